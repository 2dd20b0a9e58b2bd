#pragma once
// Seeded, reproducible randomness. Every random draw in core comes from an Rng built from an explicit seed,
// so the same project and seed give the same bits in the GUI, the CLI and on every run. The generators are
// our own (splitmix64 + xoshiro256**, Box-Muller) rather than <random>'s distributions, whose output differs
// between standard libraries.
#include <cstdint>
#include <span>

namespace ffn {

// Mixes a seed with a stream number into an independent seed (e.g. member i of an ensemble, layer j's init).
std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t stream);

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);

  std::uint64_t nextU64();
  // Uniform in [0, 1) with 24 random bits (exactly representable as float).
  float uniform();
  float uniform(float low, float high) { return low + (high - low) * uniform(); }
  // Uniform integer in [0, bound).
  std::uint64_t below(std::uint64_t bound);
  // Standard normal (Box-Muller; caches the second value).
  float normal();
  float normal(float mean, float stddev) { return mean + stddev * normal(); }

  void fillUniform(std::span<float> out, float low, float high);
  void fillNormal(std::span<float> out, float mean, float stddev);
  template <typename T>
  void shuffle(std::span<T> items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      std::size_t j = below(i);
      std::swap(items[i - 1], items[j]);
    }
  }

 private:
  std::uint64_t m_state[4];
  float m_spareNormal = 0.0f;
  bool m_hasSpare = false;
};

}  // namespace ffn

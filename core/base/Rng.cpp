#include "core/base/Rng.h"

#include <cmath>
#include <numbers>

namespace ffn {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL + 0x632be59bd9b4e019ULL);
  splitmix64(x);
  return splitmix64(x);
}

Rng::Rng(std::uint64_t seed) {
  std::uint64_t x = seed;
  for (auto& s : m_state) s = splitmix64(x);
}

std::uint64_t Rng::nextU64() {
  // xoshiro256** (Blackman & Vigna)
  const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
  const std::uint64_t t = m_state[1] << 17;
  m_state[2] ^= m_state[0];
  m_state[3] ^= m_state[1];
  m_state[1] ^= m_state[2];
  m_state[0] ^= m_state[3];
  m_state[2] ^= t;
  m_state[3] = rotl(m_state[3], 45);
  return result;
}

float Rng::uniform() { return static_cast<float>(nextU64() >> 40) * (1.0f / 16777216.0f); }

std::uint64_t Rng::below(std::uint64_t bound) {
  // Rejection below the largest multiple of bound: unbiased.
  if (bound == 0) return 0;
  const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
  while (true) {
    const std::uint64_t r = nextU64();
    if (r >= threshold) return r % bound;
  }
}

float Rng::normal() {
  if (m_hasSpare) {
    m_hasSpare = false;
    return m_spareNormal;
  }
  // Box-Muller in double for accuracy in the tails; u1 in (0, 1].
  const double u1 = (static_cast<double>(nextU64() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
  const double u2 = static_cast<double>(nextU64() >> 11) * (1.0 / 9007199254740992.0);
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  m_spareNormal = static_cast<float>(radius * std::sin(angle));
  m_hasSpare = true;
  return static_cast<float>(radius * std::cos(angle));
}

void Rng::fillUniform(std::span<float> out, float low, float high) {
  for (float& v : out) v = uniform(low, high);
}

void Rng::fillNormal(std::span<float> out, float mean, float stddev) {
  for (float& v : out) v = normal(mean, stddev);
}

}  // namespace ffn

#pragma once
// Normalization: the affine map y = (x - mean[f]) / stddev[f] applied to every feature as a batch is made. The
// stored data stays raw (and compact), and statistics fitted on the train split apply unchanged to validation
// and test, so no statistic ever leaks from held-out data. One entry is a global map shared by all features;
// no entries is the identity.
#include <cstdint>
#include <span>
#include <vector>

namespace ffn {

class Normalization {
 public:
  Normalization();  // identity
  static Normalization global(float mean, float stddev);
  // One mean and standard deviation per feature (equal lengths).
  static Normalization perFeature(std::vector<float> mean, std::vector<float> stddev);

  // Fitted on the rows `rows` of a row-major [N, features] matrix. A constant feature gets stddev 1, so it maps
  // to 0 (standardize) or stays at its offset rather than dividing by zero.
  // standardize: per-feature mean and (population) standard deviation.
  static Normalization fitStandardize(std::span<const float> values, std::int64_t features,
                                      std::span<const std::int64_t> rows);
  // minMax: maps each feature's [min, max] onto [0, 1].
  static Normalization fitMinMax(std::span<const float> values, std::int64_t features,
                                 std::span<const std::int64_t> rows);

  bool isIdentity() const { return m_mean.empty(); }
  bool isGlobal() const { return m_mean.size() == 1; }
  // Number of per-feature entries (0 identity, 1 global).
  std::int64_t entryCount() const { return static_cast<std::int64_t>(m_mean.size()); }
  float mean(std::int64_t feature) const;
  float stddev(std::int64_t feature) const;

  float apply(float x, std::int64_t feature) const {
    if (m_mean.empty()) return x;
    const auto i = static_cast<std::size_t>(m_mean.size() == 1 ? 0 : feature);
    return (x - m_mean[i]) / m_stddev[i];
  }
  // row: one sample's features, in place.
  void apply(std::span<float> row) const;
  // out[j] = apply(bytes[j] / 255.0f, j): one image row from its stored bytes. Written as plain loops the
  // compiler vectorises (two correctly rounded divisions per value, the same bits as the scalar apply), it
  // converts a Fashion-MNIST epoch of batches ~1.8x faster than a 256-entry lookup table read byte by byte did.
  // With AVX-512 a global (or identity) map reads the same values from a table held in 16 registers, 16 bytes
  // at a time (m_byteValues): the divider bounded the loops.
  void applyToBytes(std::span<const std::uint8_t> bytes, std::span<float> out) const;

 private:
  // The value of every byte under a global or identity map, computed as applyToBytes' loops compute it.
  void makeByteValues();

  std::vector<float> m_mean;
  std::vector<float> m_stddev;
  std::vector<float> m_byteValues;  // 256 entries; empty for a per-feature map and without AVX-512
};

}  // namespace ffn

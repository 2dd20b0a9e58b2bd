#include "core/data/Normalization.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "core/base/VectorLanes.h"

namespace ffn {
namespace {

// A spread this small is treated as a constant feature (division by it would only amplify rounding noise).
constexpr double kTinySpread = 1e-12;

#if defined(__AVX512F__)
// y[j] = table[in[j]] for a 256-entry table, 16 bytes at a time with the table in 16 registers:
// _mm512_permutex2var_ps picks from 32 entries by an index's low 5 bits, one pick from each 32-entry part of the
// table, then the byte's top 3 bits choose among the 8.
void bytesThroughTable(const float* values, const std::uint8_t* in, std::size_t n, float* y) {
  __m512 table[16];
  for (int t = 0; t < 16; ++t) table[t] = _mm512_loadu_ps(values + 16 * t);
  for (std::size_t j = 0; j < n; j += 16) {
    const std::size_t left = n - j;
    const __mmask16 mask = firstLanes(static_cast<std::int64_t>(left));
    const __m512i index = _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(mask, in + j));
    __m512 part[8];
    for (int p = 0; p < 8; ++p) part[p] = _mm512_permutex2var_ps(table[2 * p], index, table[2 * p + 1]);
    const __mmask16 bit5 = _mm512_test_epi32_mask(index, _mm512_set1_epi32(32));
    const __mmask16 bit6 = _mm512_test_epi32_mask(index, _mm512_set1_epi32(64));
    const __mmask16 bit7 = _mm512_test_epi32_mask(index, _mm512_set1_epi32(128));
    __m512 quarter[4];
    for (int q = 0; q < 4; ++q) quarter[q] = _mm512_mask_blend_ps(bit5, part[2 * q], part[2 * q + 1]);
    const __m512 low = _mm512_mask_blend_ps(bit6, quarter[0], quarter[1]);
    const __m512 high = _mm512_mask_blend_ps(bit6, quarter[2], quarter[3]);
    _mm512_mask_storeu_ps(y + j, mask, _mm512_mask_blend_ps(bit7, low, high));
  }
}
#endif

}  // namespace

Normalization::Normalization() { makeByteValues(); }

Normalization Normalization::global(float mean, float stddev) {
  Normalization n;
  n.m_mean = {mean};
  n.m_stddev = {stddev};
  n.makeByteValues();
  return n;
}

Normalization Normalization::perFeature(std::vector<float> mean, std::vector<float> stddev) {
  Normalization n;
  n.m_mean = std::move(mean);
  n.m_stddev = std::move(stddev);
  n.m_stddev.resize(n.m_mean.size(), 1.0f);
  n.makeByteValues();
  return n;
}

Normalization Normalization::fitStandardize(std::span<const float> values, std::int64_t features,
                                            std::span<const std::int64_t> rows) {
  // Sums in double: a float accumulator loses digits over tens of thousands of rows.
  const auto f = static_cast<std::size_t>(features);
  std::vector<double> sum(f, 0.0), sumSquares(f, 0.0);
  for (std::int64_t row : rows) {
    const float* x = values.data() + row * features;
    for (std::size_t j = 0; j < f; ++j) {
      sum[j] += x[j];
      sumSquares[j] += static_cast<double>(x[j]) * x[j];
    }
  }
  const double count = std::max<double>(1.0, static_cast<double>(rows.size()));
  std::vector<float> mean(f), stddev(f);
  for (std::size_t j = 0; j < f; ++j) {
    const double m = sum[j] / count;
    const double variance = std::max(0.0, sumSquares[j] / count - m * m);
    const double s = std::sqrt(variance);
    mean[j] = static_cast<float>(m);
    stddev[j] = s > kTinySpread ? static_cast<float>(s) : 1.0f;
  }
  return perFeature(std::move(mean), std::move(stddev));
}

Normalization Normalization::fitMinMax(std::span<const float> values, std::int64_t features,
                                       std::span<const std::int64_t> rows) {
  const auto f = static_cast<std::size_t>(features);
  std::vector<float> low(f, std::numeric_limits<float>::infinity());
  std::vector<float> high(f, -std::numeric_limits<float>::infinity());
  for (std::int64_t row : rows) {
    const float* x = values.data() + row * features;
    for (std::size_t j = 0; j < f; ++j) {
      low[j] = std::min(low[j], x[j]);
      high[j] = std::max(high[j], x[j]);
    }
  }
  std::vector<float> range(f);
  for (std::size_t j = 0; j < f; ++j) {
    if (rows.empty()) low[j] = high[j] = 0.0f;
    const double spread = static_cast<double>(high[j]) - low[j];
    range[j] = spread > kTinySpread ? static_cast<float>(spread) : 1.0f;
  }
  return perFeature(std::move(low), std::move(range));
}

float Normalization::mean(std::int64_t feature) const {
  if (m_mean.empty()) return 0.0f;
  return m_mean[static_cast<std::size_t>(m_mean.size() == 1 ? 0 : feature)];
}

float Normalization::stddev(std::int64_t feature) const {
  if (m_stddev.empty()) return 1.0f;
  return m_stddev[static_cast<std::size_t>(m_stddev.size() == 1 ? 0 : feature)];
}

void Normalization::apply(std::span<float> row) const {
  if (m_mean.empty()) return;
  for (std::size_t j = 0; j < row.size(); ++j) row[j] = apply(row[j], static_cast<std::int64_t>(j));
}

void Normalization::makeByteValues() {
  m_byteValues.clear();
#if !defined(__AVX512F__)
  return;  // only the AVX-512 path reads the table
#endif
  if (m_mean.size() > 1) return;
  std::array<std::uint8_t, 256> bytes;
  std::iota(bytes.begin(), bytes.end(), 0);
  std::vector<float> values(256);
  applyToBytes(bytes, values);  // the loops: no table yet
  m_byteValues = std::move(values);
}

void Normalization::applyToBytes(std::span<const std::uint8_t> bytes, std::span<float> out) const {
  const std::size_t n = bytes.size();
  const std::uint8_t* in = bytes.data();
  float* y = out.data();
#if defined(__AVX512F__)
  if (!m_byteValues.empty()) return bytesThroughTable(m_byteValues.data(), in, n, y);
#endif
  // v / 255.0f, a division and not a multiplication by 1/255, so that unnormalised batches hold exactly the
  // float nearest to v/255.
  if (m_mean.empty()) {
    for (std::size_t j = 0; j < n; ++j) y[j] = static_cast<float>(in[j]) / 255.0f;
  } else if (m_mean.size() == 1) {
    const float mean = m_mean[0], stddev = m_stddev[0];
    for (std::size_t j = 0; j < n; ++j) y[j] = (static_cast<float>(in[j]) / 255.0f - mean) / stddev;
  } else {
    const float* mean = m_mean.data();
    const float* stddev = m_stddev.data();
    for (std::size_t j = 0; j < n; ++j) y[j] = (static_cast<float>(in[j]) / 255.0f - mean[j]) / stddev[j];
  }
}

}  // namespace ffn

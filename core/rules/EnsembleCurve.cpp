#include "core/rules/EnsembleCurve.h"

#include <cmath>

namespace ffn {

void EnsembleCurve::reset(const Tensor& targets, double tolerance) {
  m_tolerance = tolerance;
  m_rows = targets.rows();
  m_bits = targets.cols();
  m_targets.resize(static_cast<std::size_t>(targets.size()));
  for (std::size_t i = 0; i < m_targets.size(); ++i) m_targets[i] = targets.data()[i] > 0.5f ? 1 : 0;
  m_sum.assign(m_targets.size(), 0.0);
  m_pending.clear();
  m_matches.clear();
  m_exactMatch.clear();
  m_bitError.clear();
  m_mse.clear();
}

void EnsembleCurve::add(int index, Tensor outputs) {
  assert(outputs.size() == static_cast<std::int64_t>(m_sum.size()));
  m_pending.emplace(index, std::move(outputs));
  for (auto next = m_pending.find(members()); next != m_pending.end(); next = m_pending.find(members())) {
    fold(next->second);
    m_pending.erase(next);
  }
}

void EnsembleCurve::fold(const Tensor& outputs) {
  const float* y = outputs.data();
  for (std::size_t i = 0; i < m_sum.size(); ++i) m_sum[i] += static_cast<double>(y[i]);
  const double n = static_cast<double>(members() + 1);
  std::int64_t matches = 0, wrongBits = 0;
  double squared = 0.0;
  for (std::int64_t r = 0; r < m_rows; ++r) {
    bool all = true;
    for (std::int64_t b = 0; b < m_bits; ++b) {
      const auto i = static_cast<std::size_t>(r * m_bits + b);
      const std::uint8_t bit = m_sum[i] > m_tolerance * n ? 1 : 0;  // mean > tolerance, without dividing
      if (bit != m_targets[i]) {
        all = false;
        ++wrongBits;
      }
      const double error = m_sum[i] / n - m_targets[i];
      squared += error * error;
    }
    matches += all ? 1 : 0;
  }
  const double cells = static_cast<double>(std::max<std::int64_t>(m_rows * m_bits, 1));
  m_matches.push_back(matches);
  m_exactMatch.push_back(m_rows ? static_cast<double>(matches) / static_cast<double>(m_rows) : 0.0);
  m_bitError.push_back(static_cast<double>(wrongBits) / cells);
  m_mse.push_back(squared / cells);
}

int EnsembleCurve::membersFor(double rate) const {
  // matches / T >= rate, decided on integers: ceil(rate * T) with a guard against 0.9 * 1000 = 900.0000000001
  const auto needed = static_cast<std::int64_t>(std::ceil(rate * static_cast<double>(m_rows) - 1e-9));
  for (std::size_t n = 0; n < m_matches.size(); ++n)
    if (m_matches[n] >= needed) return static_cast<int>(n + 1);
  return -1;
}

float EnsembleCurve::mean(std::int64_t row, std::int64_t bit) const {
  if (members() == 0) return 0.0f;
  return static_cast<float>(m_sum[static_cast<std::size_t>(row * m_bits + bit)] / members());
}

}  // namespace ffn

#pragma once
// EnsembleCurve: how an ensemble's vote gets better as members are added. Members' outputs on a fixed set of
// inputs are summed (in double) and, after every member, the mean's bits (bit j is 1 iff mean_j > tolerance, the
// paper's rule being tolerance 0) are compared
// with the targets: the exact-match rate (all k bits right), the per-bit error rate and the mean squared error.
// Members are folded in index order whatever order they arrive in (an early arrival waits), so the sums and the
// whole curve are the same bits for any thread count and any number of processes.
#include <map>
#include <vector>

#include "core/tensor/Tensor.h"

namespace ffn {

class EnsembleCurve {
 public:
  // targets: [T, k] 0/1 vectors of the inputs the members' outputs refer to; bit j reads 1 iff mean_j > tolerance.
  void reset(const Tensor& targets, double tolerance = 0.0);

  // Member `index`'s outputs [T, k]. Indices start at 0; each must come once.
  void add(int index, Tensor outputs);
  int members() const { return static_cast<int>(m_exactMatch.size()); }  // folded so far
  std::size_t waiting() const { return m_pending.size(); }

  // Entry n-1 is the value for the first n members.
  const std::vector<double>& exactMatch() const { return m_exactMatch; }
  const std::vector<double>& bitError() const { return m_bitError; }
  const std::vector<double>& meanSquaredError() const { return m_mse; }
  // The smallest ensemble whose exact-match rate reaches `rate` (counts compared exactly: matches >= rate * T),
  // or -1 when none has yet.
  int membersFor(double rate) const;
  // mean_j(x) of row r over the members folded so far (0 before any).
  float mean(std::int64_t row, std::int64_t bit) const;
  std::int64_t rows() const { return m_rows; }
  std::int64_t bits() const { return m_bits; }

 private:
  void fold(const Tensor& outputs);

  std::int64_t m_rows = 0, m_bits = 0;
  double m_tolerance = 0.0;
  std::vector<std::uint8_t> m_targets;
  std::vector<double> m_sum;
  std::map<int, Tensor> m_pending;
  std::vector<std::int64_t> m_matches;
  std::vector<double> m_exactMatch, m_bitError, m_mse;
};

}  // namespace ffn

#include "core/rules/MemberOrderStudy.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

#include "core/base/Rng.h"
#include "core/rules/EnsembleCurve.h"

namespace ffn {

void MemberOrderStudy::reset(const Tensor& targets, double tolerance) {
  m_targets = targets;
  m_tolerance = tolerance;
  m_outputs.clear();
}

void MemberOrderStudy::add(int index, const Tensor& outputs) {
  assert(index >= 0 && outputs.size() == m_targets.size());
  if (static_cast<std::size_t>(index) >= m_outputs.size()) m_outputs.resize(static_cast<std::size_t>(index) + 1);
  m_outputs[static_cast<std::size_t>(index)] = outputs;
}

int MemberOrderStudy::members() const {
  return static_cast<int>(std::count_if(m_outputs.begin(), m_outputs.end(), [](const Tensor& t) { return !t.empty(); }));
}

std::vector<int> MemberOrderStudy::membersFor(double rate, int orders, std::uint64_t seed) const {
  // Only a gap-free prefix of indices counts (as in EnsembleCurve, which folds members in index order).
  std::vector<int> present;
  for (std::size_t i = 0; i < m_outputs.size() && !m_outputs[i].empty(); ++i) present.push_back(static_cast<int>(i));
  std::vector<int> result;
  Rng rng(seed);
  for (int o = 0; o < orders; ++o) {
    std::vector<int> order = present;
    if (o > 0) rng.shuffle(std::span<int>(order));
    EnsembleCurve curve;
    curve.reset(m_targets, m_tolerance);
    for (std::size_t position = 0; position < order.size(); ++position)
      curve.add(static_cast<int>(position), m_outputs[static_cast<std::size_t>(order[position])]);
    result.push_back(curve.membersFor(rate));
  }
  return result;
}

int quantileOfMembersFor(std::vector<int> values, double q) {
  if (values.empty()) return -1;
  // -1 (never reached) sorts above every count
  std::sort(values.begin(), values.end(), [](int a, int b) { return (a < 0 ? INT32_MAX : a) < (b < 0 ? INT32_MAX : b); });
  const auto rank = static_cast<std::size_t>(std::clamp(std::ceil(q * static_cast<double>(values.size())) - 1.0, 0.0,
                                                        static_cast<double>(values.size() - 1)));
  return values[rank];
}

}  // namespace ffn

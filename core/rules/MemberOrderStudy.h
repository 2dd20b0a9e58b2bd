#pragma once
// MemberOrderStudy: how much "the ensemble size needed for 90 % exact match" owes to the luck of which members
// happened to come first. It keeps every member's outputs on the test inputs and replays the ensemble curve
// (EnsembleCurve, the same vote) over random orders of the same members: the spread of N over those orders is
// the noise of one run, measured without training a single extra member. (The published table reports one run
// per k; this is how we say whether our N and theirs differ by more than that noise.)
#include <cstdint>
#include <vector>

#include "core/tensor/Tensor.h"

namespace ffn {

class MemberOrderStudy {
 public:
  // targets: [T, k] 0/1 vectors of the test inputs; the vote is as in EnsembleCurve (mean_j > tolerance).
  void reset(const Tensor& targets, double tolerance);
  // Member `index`'s outputs [T, k] (a copy is kept: T * k floats per member). Indices 0..members-1, each once.
  void add(int index, const Tensor& outputs);
  int members() const;

  // The smallest ensemble reaching exact-match `rate` in each of `orders` random orders of all members added
  // (order 0 is the members' own index order; the others are drawn from `seed`); -1 where no prefix reaches it.
  std::vector<int> membersFor(double rate, int orders, std::uint64_t seed) const;

 private:
  Tensor m_targets;
  double m_tolerance = 0.0;
  std::vector<Tensor> m_outputs;  // by member index; empty until that member arrives
};

// The q-quantile (0 <= q <= 1, nearest rank) of values that reached the rate; -1 when none did. Orders that
// never reached it are counted as above every value (they need more members than the run had).
int quantileOfMembersFor(std::vector<int> values, double q);

}  // namespace ffn

#pragma once
// A minibatch as the network and the rules see it: float inputs, class labels and (for regression-style tasks)
// target vectors. Built by Dataset::makeBatch into buffers that are reused from batch to batch.
#include "core/tensor/Tensor.h"

namespace ffn {

struct Batch {
  Tensor inputs;   // [N, sample...]
  Tensor labels;   // [N] class ids stored as floats (exact below 2^24); empty for pure regression data
  Tensor targets;  // [N, T] target vectors when the dataset has them; otherwise empty
  std::int64_t size() const { return inputs.rows(); }
  bool hasTargets() const { return !targets.empty(); }
  int label(std::int64_t i) const { return static_cast<int>(labels.at(i)); }
};

}  // namespace ffn

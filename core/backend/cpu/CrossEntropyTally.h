#pragma once
// Softmax cross-entropy over rows taken in pieces, on any threads: shared by CpuBackend::softmaxCrossEntropy and
// the fused classifier head (ClassifierHead.cpp), so the two give the same bits.
#include <atomic>
#include <cstdint>

#include "core/backend/Backend.h"
#include "core/tensor/Tensor.h"

namespace ffn {

// logits:[N,C] against float-coded class ids labels:[N] -> dlogits:[N,C] = scale * (softmax - onehot). Each
// row's loss is kept apart (in the constructing thread's buffer) and result() sums them in row order: the same
// bits however the rows were split. That buffer is reused from call to call (no allocation in a training step), so
// a thread keeps one tally at a time.
class CrossEntropyTally {
 public:
  CrossEntropyTally(const ConstStridedMatrixMap& logits, const float* labels, float scale,
                    const StridedMatrixMap& dlogits);
  // Rows [begin, end); pieces with disjoint rows may run at once.
  void addRows(std::int64_t begin, std::int64_t end);
  // Once every row is in.
  LossResult result() const;

 private:
  ConstStridedMatrixMap m_logits;
  const float* m_labels;
  float m_scale;
  StridedMatrixMap m_dlogits;
  double* m_rowLoss;
  std::atomic<std::int64_t> m_correct{0};
};

}  // namespace ffn

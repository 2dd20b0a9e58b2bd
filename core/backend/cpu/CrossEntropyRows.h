#pragma once
// Softmax cross-entropy over a block of rows, shared by CpuBackend::softmaxCrossEntropy and the fused classifier
// head (ClassifierHead.cpp): one definition, so the two give the same bits.
#include <cstdint>

#include "core/tensor/Tensor.h"

namespace ffn {

// Rows [begin, end) of logits:[N,C] against float-coded class ids labels:[N]: dlogits = scale * (softmax -
// onehot) and rowLoss[n] = that row's loss (log-sum-exp minus the label's logit). Returns how many of the rows'
// argmax is their label.
std::int64_t softmaxCrossEntropyRows(const ConstStridedMatrixMap& logits, const float* labels, float scale,
                                     StridedMatrixMap dlogits, std::int64_t begin, std::int64_t end,
                                     double* rowLoss);

}  // namespace ffn

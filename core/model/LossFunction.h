#pragma once
// The loss at the Output node, evaluated on a batch: softmax cross-entropy against the labels, or half squared
// error against the batch's target vectors (or the one-hot labels when it has none).
#include <algorithm>

#include "core/backend/Backend.h"
#include "core/data/Batch.h"
#include "core/layers/InputOutput.h"

namespace ffn {

class LossFunction {
 public:
  // Summed loss and correct count of `outputs` against the batch; when `gradient` is given it receives
  // dL/doutputs for the batch *mean* loss (scaled by 1/N), ready for Network::backward.
  LossResult evaluate(Backend& backend, LossKind kind, const Tensor& outputs, const Batch& batch, Tensor* gradient);
  // The factor that makes a gradient of the summed loss over `rows` rows one of the batch mean.
  static float meanScale(std::int64_t rows) { return 1.0f / static_cast<float>(std::max<std::int64_t>(rows, 1)); }

 private:
  Tensor m_oneHot;   // [N, C] targets built from labels for MSE
  Tensor m_scratch;  // gradient sink when none is wanted
};

}  // namespace ffn

#include "core/model/LossFunction.h"

namespace ffn {

LossResult LossFunction::evaluate(Backend& backend, LossKind kind, const Tensor& outputs, const Batch& batch,
                                  Tensor* gradient) {
  Tensor& grad = gradient ? *gradient : m_scratch;
  grad.resize(outputs.shape());
  const float scale = meanScale(outputs.rows());
  if (kind == LossKind::CrossEntropy) return backend.softmaxCrossEntropy(outputs, batch.labels, scale, grad);
  if (batch.hasTargets()) return backend.meanSquaredError(outputs, batch.targets, scale, grad);
  // One-hot targets from the labels: [N, C]
  m_oneHot.resize(outputs.shape());
  auto targets = m_oneHot.matrix();
  targets.setZero();
  for (std::int64_t n = 0; n < outputs.rows(); ++n) targets(n, batch.label(n)) = 1.0f;
  return backend.meanSquaredError(outputs, m_oneHot, scale, grad);
}

}  // namespace ffn

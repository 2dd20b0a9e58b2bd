// Loss ops on the host: softmax cross-entropy against class ids, and squared error against targets.
#include <cmath>

#include "core/backend/cpu/CpuBackend.h"

namespace ffn {

LossResult CpuBackend::softmaxCrossEntropy(const TensorView& logits, const TensorView& labels, float scale,
                                           const TensorView& dlogits) {
  // logits:[N,C], labels:[N] -> dlogits:[N,C] = scale * (softmax - onehot)
  auto z = logits.matrix();
  const float* label = labels.data();
  auto grad = dlogits.mutableMatrix();
  LossResult result;
  for (Eigen::Index n = 0; n < z.rows(); ++n) {
    Eigen::Index best = 0;
    const float maxLogit = z.row(n).maxCoeff(&best);
    grad.row(n) = (z.row(n).array() - maxLogit).exp().matrix();
    const float total = grad.row(n).sum();
    const auto target = static_cast<Eigen::Index>(label[n]);
    result.lossSum += std::log(static_cast<double>(total)) - (z(n, target) - maxLogit);
    result.correct += best == target;
    grad.row(n) *= scale / total;
    grad(n, target) -= scale;
  }
  return result;
}

LossResult CpuBackend::meanSquaredError(const TensorView& out, const TensorView& target, float scale,
                                        const TensorView& dout) {
  // out, target:[N,F] -> dout:[N,F] = scale * (out - target)
  auto y = out.matrix();
  auto t = target.matrix();
  auto grad = dout.mutableMatrix();
  grad = y - t;
  LossResult result;
  result.lossSum = 0.5 * grad.cast<double>().squaredNorm();
  for (Eigen::Index n = 0; n < y.rows(); ++n) {
    Eigen::Index predicted = 0, expected = 0;
    y.row(n).maxCoeff(&predicted);
    t.row(n).maxCoeff(&expected);
    result.correct += predicted == expected;
  }
  grad *= scale;
  return result;
}

}  // namespace ffn

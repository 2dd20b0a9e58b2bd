// Optimiser updates on the host. Weight decay: L2 added to the gradient for SGD and momentum, decoupled
// (AdamW, Loshchilov & Hutter) for Adam.
#include <cmath>

#include "core/backend/cpu/CpuBackend.h"

namespace ffn {

void CpuBackend::sgdUpdate(float learningRate, float weightDecay, const TensorView& grad, const TensorView& param) {
  auto p = param.mutableVector();
  if (weightDecay != 0.0f)
    p -= learningRate * (grad.vector() + weightDecay * p);
  else
    p -= learningRate * grad.vector();
}

void CpuBackend::momentumUpdate(float learningRate, float momentum, bool nesterov, float weightDecay,
                                const TensorView& grad, const TensorView& velocity, const TensorView& param) {
  // PyTorch's form: v = mu v + g; p -= lr * (nesterov ? g + mu v : v)
  auto p = param.mutableVector();
  auto v = velocity.mutableVector();
  const Eigen::VectorXf g = weightDecay != 0.0f ? Eigen::VectorXf(grad.vector() + weightDecay * p)
                                                : Eigen::VectorXf(grad.vector());
  v = momentum * v + g;
  if (nesterov)
    p -= learningRate * (g + momentum * v);
  else
    p -= learningRate * v;
}

void CpuBackend::adamUpdate(const AdamSettings& s, const TensorView& grad, const TensorView& m, const TensorView& v,
                            const TensorView& param) {
  auto p = param.mutableVector().array();
  auto g = grad.vector().array();
  auto first = m.mutableVector().array();
  auto second = v.mutableVector().array();
  first = s.beta1 * first + (1.0f - s.beta1) * g;
  second = s.beta2 * second + (1.0f - s.beta2) * g.square();
  const auto t = static_cast<double>(s.step);
  const float correction1 = static_cast<float>(1.0 - std::pow(static_cast<double>(s.beta1), t));
  const float correction2 = static_cast<float>(1.0 - std::pow(static_cast<double>(s.beta2), t));
  const float stepSize = s.learningRate / correction1;
  const float rootCorrection2 = std::sqrt(correction2);
  if (s.weightDecay != 0.0f) p *= 1.0f - s.learningRate * s.weightDecay;
  p -= stepSize * first / (second.sqrt() / rootCorrection2 + s.epsilon);
}

}  // namespace ffn

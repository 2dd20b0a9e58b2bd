#include "core/layers/Dropout.h"

namespace ffn {

NodeKind dropoutKind() {
  NodeKind kind;
  kind.name = "Dropout";
  kind.category = "Regularisation";
  kind.summary = "Randomly zeroes activations while training, so the network cannot rely on any single one.";
  kind.params = {floatParam("rate", "Rate", 0.5, 0.0, 0.95, "Probability that a value is dropped while training.")};
  kind.inferShape = [](const std::vector<Shape>& inputs, const Json&) -> Result<Shape> { return inputs[0]; };
  kind.create = [](const LayerBuild& build) { return std::make_unique<Dropout>(build); };
  return kind;
}

Dropout::Dropout(const LayerBuild& build)
    : Layer(build.inputShape, build.outputShape), m_rate(build.node.params.at("rate").get<float>()) {}

void Dropout::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,...] -> y:[N,...]
  m_maskActive = ctx.training && m_rate > 0.0f && ctx.rng;
  if (!m_maskActive) {
    ctx.backend.copy(x, y);
    return;
  }
  m_mask.resize(x.shape());
  const float keep = 1.0f / (1.0f - m_rate);
  for (float& m : m_mask.mutableValues()) m = ctx.rng->uniform() < m_rate ? 0.0f : keep;
  ctx.backend.multiply(x, m_mask, y);
}

void Dropout::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  if (m_maskActive)
    ctx.backend.multiply(dy, m_mask, dx);
  else
    ctx.backend.copy(dy, dx);
}

}  // namespace ffn

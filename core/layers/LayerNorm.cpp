#include "core/layers/LayerNorm.h"

namespace ffn {

NodeKind layerNormKind() {
  NodeKind kind;
  kind.name = "LayerNorm";
  kind.category = "Normalisation";
  kind.summary = "Normalises each sample's features to zero mean and unit variance, then scales and shifts.";
  kind.params = {floatParam("epsilon", "Epsilon", 1e-5, 1e-12, 1.0, "Added to the variance for stability.", true),
                 boolParam("affine", "Learned scale and shift", true, "Learn per-feature gamma and beta.")};
  kind.inferShape = [](const std::vector<Shape>& inputs, const Json&) -> Result<Shape> { return inputs[0]; };
  kind.create = [](const LayerBuild& build) { return std::make_unique<LayerNorm>(build); };
  return kind;
}

LayerNorm::LayerNorm(const LayerBuild& build)
    : Layer(build.inputShape, build.outputShape),
      m_features(build.inputShape.elementCount()),
      m_eps(build.node.params.at("epsilon").get<float>()),
      m_affine(build.node.params.at("affine").get<bool>()) {}

std::vector<WeightSpec> LayerNorm::weightSpecs() const {
  if (!m_affine) return {};
  return {{"gamma", Shape{m_features}}, {"beta", Shape{m_features}}};
}

void LayerNorm::bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) {
  if (!m_affine) return;
  m_gamma = weights[0];
  m_beta = weights[1];
  m_gradGamma = gradients[0];
  m_gradBeta = gradients[1];
}

void LayerNorm::initializeWeights(Rng&) {
  if (!m_affine) return;
  m_gamma.mutableVector().setOnes();
  m_beta.mutableVector().setZero();
}

void LayerNorm::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,F] -> y:[N,F]; keeps mean, rstd:[N]
  m_mean.resize(Shape{x.rows()});
  m_rstd.resize(Shape{x.rows()});
  ctx.backend.layerNormForward(x, m_eps, m_gamma, m_beta, y, m_mean, m_rstd);
}

void LayerNorm::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  ctx.backend.layerNormBackward(x, m_gamma, m_mean, m_rstd, dy, dx, TensorView(), TensorView());
}

void LayerNorm::accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) {
  if (!m_affine) return;
  // The backend computes weight gradients together with dx; dx goes to scratch here.
  m_scratch.resize(x.shape());
  ctx.backend.layerNormBackward(x, m_gamma, m_mean, m_rstd, dy, m_scratch, m_gradGamma, m_gradBeta);
}

}  // namespace ffn

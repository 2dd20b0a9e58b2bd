#include "core/layers/SelfGuidedPath.h"

#include <cmath>
#include <numbers>

namespace ffn {

std::vector<ParamSpec> SelfGuidedPath::params() {
  return {boolParam("selfGuided", "Self-guided training", false,
                    "Train beside a dense copy that hands over to the structured factors early in training."),
          floatParam("guideFraction", "Hand-over fraction", 0.5, 0.01, 1.0,
                     "Fraction of training over which the dense copy's share decays from 1 to 0."),
          choiceParam("guideDecay", "Hand-over curve", "cosine", {"cosine", "linear"}, "Shape of the decay.")};
}

SelfGuidedPath::SelfGuidedPath(const Json& params, std::int64_t in, std::int64_t out)
    : m_enabled(params.at("selfGuided").get<bool>()),
      m_fraction(params.at("guideFraction").get<double>()),
      m_cosine(params.at("guideDecay").get<std::string>() == "cosine"),
      m_in(in),
      m_out(out) {}

void SelfGuidedPath::bind(const TensorView& weight, const TensorView& gradient) {
  m_weight = weight;
  m_gradient = gradient;
}

float SelfGuidedPath::alpha(double progress) const {
  if (!m_enabled || progress >= m_fraction) return 0.0f;
  const double t = progress / m_fraction;
  return static_cast<float>(m_cosine ? 0.5 * (1.0 + std::cos(std::numbers::pi * t)) : 1.0 - t);
}

void SelfGuidedPath::blendForward(PassContext& ctx, float a, const Tensor& x, Tensor& y) {
  if (a == 0.0f) return;
  ctx.backend.scale(1.0f - a, y);
  ctx.backend.gemm(Transpose::No, Transpose::Yes, a, x, m_weight, 1.0f, y);
}

const Tensor& SelfGuidedPath::structuredGradient(PassContext& ctx, float a, const Tensor& dy) {
  if (a == 0.0f) return dy;
  m_scaled.resize(dy.shape());
  ctx.backend.copy(dy, m_scaled);
  ctx.backend.scale(1.0f - a, m_scaled);
  return m_scaled;
}

void SelfGuidedPath::accumulateGradient(PassContext& ctx, float a, const Tensor& x, const Tensor& dy) {
  if (a == 0.0f) return;
  ctx.backend.gemm(Transpose::Yes, Transpose::No, a, dy, x, 1.0f, m_gradient);
}

void SelfGuidedPath::addInputGradient(PassContext& ctx, float a, const Tensor& dy, Tensor& dx) {
  if (a == 0.0f) return;
  ctx.backend.gemm(Transpose::No, Transpose::No, a, dy, m_weight, 1.0f, dx);
}

}  // namespace ffn

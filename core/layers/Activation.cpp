#include "core/layers/Activation.h"

namespace ffn {

Activation::Activation(const LayerBuild& build, ActivationKind function, float alpha)
    : Layer(build.inputShape, build.outputShape), m_kindName(build.node.kind), m_function(function), m_alpha(alpha) {}

void Activation::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,...] -> y:[N,...]
  ctx.backend.activationForward(m_function, m_alpha, x, y);
}

void Activation::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  ctx.backend.activationBackward(m_function, m_alpha, x, y, dy, dx);
}

bool forwardWithFollowingActivation(PassContext& ctx, Layer& layer, const Tensor& x, Tensor& y, const Layer* next,
                                    Tensor* nextY) {
  if (const auto* activation = dynamic_cast<const Activation*>(next)) {
    nextY->resize(activation->outputShape().withBatch(x.rows()));
    if (layer.forwardWithActivation(ctx, x, y, activation->function(), activation->alpha(), *nextY)) return true;
  }
  layer.forward(ctx, x, y);
  return false;
}

std::vector<NodeKind> activationKinds() {
  struct Entry {
    const char* name;
    ActivationKind function;
    const char* summary;
  };
  const Entry entries[] = {
      {"ReLU", ActivationKind::ReLU, "max(0, x): passes positive inputs, zeroes the rest."},
      {"ELU", ActivationKind::ELU, "x for x > 0, alpha (e^x - 1) below: smooth, with negative outputs."},
      {"GELU", ActivationKind::GELU, "x * Phi(x), the Gaussian error linear unit (exact erf form)."},
      {"Tanh", ActivationKind::Tanh, "Hyperbolic tangent: squashes to (-1, 1)."},
      {"Sigmoid", ActivationKind::Sigmoid, "Logistic function: squashes to (0, 1)."},
  };
  std::vector<NodeKind> kinds;
  for (const auto& e : entries) {
    NodeKind kind;
    kind.name = e.name;
    kind.category = "Activation";
    kind.summary = e.summary;
    if (e.function == ActivationKind::ELU)
      kind.params = {floatParam("alpha", "Alpha", 1.0, 0.0, 100.0, "Value the output approaches for large negative x.")};
    kind.inferShape = [](const std::vector<Shape>& inputs, const Json&) -> Result<Shape> { return inputs[0]; };
    const ActivationKind function = e.function;
    kind.create = [function](const LayerBuild& build) {
      const float alpha = build.node.params.contains("alpha") ? build.node.params.at("alpha").get<float>() : 1.0f;
      return std::make_unique<Activation>(build, function, alpha);
    };
    kinds.push_back(std::move(kind));
  }
  return kinds;
}

}  // namespace ffn

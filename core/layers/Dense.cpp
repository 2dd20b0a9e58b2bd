#include "core/layers/Dense.h"

#include "core/layers/Initializers.h"

namespace ffn {

NodeKind denseKind() {
  NodeKind kind;
  kind.name = "Dense";
  kind.category = "Linear";
  kind.summary = "Fully connected layer: every output is a weighted sum of all inputs plus a bias.";
  kind.params = {intParam("units", "Units", 64, 1, 1 << 20, "Number of outputs (neurons)."),
                 boolParam("bias", "Bias", true, "Add a learned bias to each output. Counter-Current Learning needs "
                                                 "layers without bias."),
                 initParam()};
  kind.inferShape = [](const std::vector<Shape>& inputs, const Json& params) -> Result<Shape> {
    return Shape{params.at("units").get<std::int64_t>()};
  };
  kind.create = [](const LayerBuild& build) { return std::make_unique<Dense>(build); };
  return kind;
}

Dense::Dense(const LayerBuild& build)
    : Layer(build.inputShape, build.outputShape),
      m_in(build.inputShape.elementCount()),
      m_out(build.outputShape.elementCount()),
      m_hasBias(build.node.params.at("bias").get<bool>()),
      m_init(build.node.params.at("init").get<std::string>()) {}

std::vector<WeightSpec> Dense::weightSpecs() const {
  std::vector<WeightSpec> specs{{"weight", Shape{m_out, m_in}}};
  if (m_hasBias) specs.push_back({"bias", Shape{m_out}});
  return specs;
}

void Dense::bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) {
  m_weight = weights[0];
  m_gradWeight = gradients[0];
  if (m_hasBias) {
    m_bias = weights[1];
    m_gradBias = gradients[1];
  }
}

void Dense::initializeWeights(Rng& rng) { initializeLinear(m_init, rng, m_weight, m_bias, m_in, m_out); }

void Dense::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,in] -> y:[N,out]
  ctx.backend.linearForward(x, m_weight, m_hasBias ? &m_bias : nullptr, y, nullptr);
}

bool Dense::forwardWithActivation(PassContext& ctx, const Tensor& x, Tensor& y, ActivationKind kind, float alpha,
                                  Tensor& activated) {
  // x:[N,in] -> y:[N,out], activated:[N,out] = f(y)
  const FusedActivation then{kind, alpha, activated};
  ctx.backend.linearForward(x, m_weight, m_hasBias ? &m_bias : nullptr, y, &then);
  return true;
}

void Dense::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  // dy:[N,out] -> dx:[N,in] = dy W
  ctx.backend.gemm(Transpose::No, Transpose::No, 1.0f, dy, m_weight, 0.0f, dx);
}

bool Dense::backwardInputThroughRelu(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy,
                                     const Tensor& gate, Tensor& dx) {
  // dy:[N,out] -> dx:[N,in] = gate > 0 ? dy W : 0
  return ctx.backend.linearTransposeGated(dy, m_weight, gate, dx);
}

void Dense::accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) {
  // dW:[out,in] += dy^T x; db:[out] += sum_n dy   (= instead of += with ctx.overwriteGradients)
  const float beta = ctx.overwriteGradients ? 0.0f : 1.0f;
  const std::optional<bool> finite = ctx.backend.gemmCheckingFinite(Transpose::Yes, Transpose::No, 1.0f, dy, x, beta,
                                                                    m_gradWeight);
  if (m_hasBias) ctx.backend.sumRows(dy, beta, m_gradBias);
  if (finite) {  // the bias gradient's few values are checked here
    ctx.gradientsChecked = true;
    ctx.gradientsNonFinite = !*finite || (m_hasBias && !ctx.backend.allFinite(m_gradBias));
  }
}

}  // namespace ffn

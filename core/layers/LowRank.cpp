#include "core/layers/LowRank.h"

#include "core/layers/Initializers.h"

namespace ffn {

NodeKind lowRankKind() {
  NodeKind kind;
  kind.name = "LowRank";
  kind.category = "Structured";
  kind.summary = "Dense layer factored through a narrow rank: y = U (V x) + b, far fewer weights.";
  kind.params = {intParam("units", "Units", 64, 1, 1 << 20, "Number of outputs."),
                 intParam("rank", "Rank", 16, 1, 1 << 16, "Width of the bottleneck between V and U."),
                 boolParam("bias", "Bias", true, "Add a learned bias to each output."), initParam()};
  for (auto& p : SelfGuidedPath::params()) kind.params.push_back(std::move(p));
  kind.inferShape = [](const std::vector<Shape>& inputs, const Json& params) -> Result<Shape> {
    return Shape{params.at("units").get<std::int64_t>()};
  };
  kind.create = [](const LayerBuild& build) { return std::make_unique<LowRank>(build); };
  return kind;
}

LowRank::LowRank(const LayerBuild& build)
    : Layer(build.inputShape, build.outputShape),
      m_in(build.inputShape.elementCount()),
      m_out(build.outputShape.elementCount()),
      m_rank(build.node.params.at("rank").get<std::int64_t>()),
      m_hasBias(build.node.params.at("bias").get<bool>()),
      m_init(build.node.params.at("init").get<std::string>()),
      m_guide(build.node.params, m_in, m_out) {}

std::vector<WeightSpec> LowRank::weightSpecs() const {
  std::vector<WeightSpec> specs{{"v", Shape{m_rank, m_in}}, {"u", Shape{m_out, m_rank}}};
  if (m_hasBias) specs.push_back({"bias", Shape{m_out}});
  if (m_guide.enabled()) specs.push_back(m_guide.weightSpec());
  return specs;
}

void LowRank::bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) {
  m_v = weights[0], m_gradV = gradients[0];
  m_u = weights[1], m_gradU = gradients[1];
  std::size_t next = 2;
  if (m_hasBias) m_bias = weights[next], m_gradBias = gradients[next++];
  if (m_guide.enabled()) m_guide.bind(weights[next], gradients[next]);
}

void LowRank::initializeWeights(Rng& rng) {
  initializeLinear(m_init, rng, m_v, TensorView(), m_in, m_rank);
  initializeLinear(m_init, rng, m_u, m_bias, m_rank, m_out);
  if (m_guide.enabled()) m_guide.weight().mutableMatrix() = m_u.matrix() * m_v.matrix();  // W_g = U V
}

void LowRank::denseMatrix(Backend& backend, const TensorView& out) const {
  backend.gemm(Transpose::No, Transpose::No, 1.0f, m_u, m_v, 0.0f, out);
}

void LowRank::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,in] -> h:[N,rank] -> y:[N,units]
  m_hidden.resize(Shape{x.rows(), m_rank});
  ctx.backend.gemm(Transpose::No, Transpose::Yes, 1.0f, x, m_v, 0.0f, m_hidden);
  ctx.backend.gemm(Transpose::No, Transpose::Yes, 1.0f, m_hidden, m_u, 0.0f, y);
  m_guide.blendForward(ctx, m_guide.alpha(ctx.progress), x, y);
  if (m_hasBias) ctx.backend.addRowVector(y, m_bias);
}

void LowRank::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  // dh:[N,rank] = g U; dx:[N,in] = dh V (+ a dy W_g), g = (1 - a) dy
  const float a = m_guide.alpha(ctx.progress);
  const Tensor& g = m_guide.structuredGradient(ctx, a, dy);
  m_gradHidden.resize(Shape{dy.rows(), m_rank});
  ctx.backend.gemm(Transpose::No, Transpose::No, 1.0f, g, m_u, 0.0f, m_gradHidden);
  ctx.backend.gemm(Transpose::No, Transpose::No, 1.0f, m_gradHidden, m_v, 0.0f, dx);
  m_guide.addInputGradient(ctx, a, dy, dx);
}

void LowRank::accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) {
  // dU += g^T h; dV += (g U)^T x with g = (1 - a) dy; the bias sees the full dy
  const float a = m_guide.alpha(ctx.progress);
  const Tensor& g = m_guide.structuredGradient(ctx, a, dy);
  ctx.backend.gemm(Transpose::Yes, Transpose::No, 1.0f, g, m_hidden, 1.0f, m_gradU);
  m_gradHidden.resize(Shape{dy.rows(), m_rank});
  ctx.backend.gemm(Transpose::No, Transpose::No, 1.0f, g, m_u, 0.0f, m_gradHidden);
  ctx.backend.gemm(Transpose::Yes, Transpose::No, 1.0f, m_gradHidden, x, 1.0f, m_gradV);
  if (m_hasBias) ctx.backend.sumRows(dy, 1.0f, m_gradBias);
  m_guide.accumulateGradient(ctx, a, x, dy);
}

}  // namespace ffn

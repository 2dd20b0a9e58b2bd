#include "core/layers/BlockDiagonal.h"

#include <cmath>

#include "core/backend/cpu/CpuBackend.h"
#include "core/layers/Initializers.h"

namespace ffn {

NodeKind blockDiagonalKind() {
  NodeKind kind;
  kind.name = "BlockDiagonal";
  kind.category = "Structured";
  kind.summary = "Dense layer cut into k independent blocks: each slice of outputs sees one slice of inputs.";
  kind.params = {intParam("units", "Units", 64, 1, 1 << 20, "Number of outputs (divisible by the block count)."),
                 intParam("blocks", "Blocks", 4, 1, 4096, "Number of diagonal blocks k; inputs and units must "
                                                         "both divide by it."),
                 boolParam("bias", "Bias", true, "Add a learned bias to each output."), initParam()};
  for (auto& p : SelfGuidedPath::params()) kind.params.push_back(std::move(p));
  kind.inferShape = [](const std::vector<Shape>& inputs, const Json& params) -> Result<Shape> {
    const auto units = params.at("units").get<std::int64_t>();
    const auto blocks = params.at("blocks").get<std::int64_t>();
    const auto in = inputs[0].elementCount();
    if (in % blocks != 0)
      return fail("its input has ", std::to_string(in), " features, which do not split into ", std::to_string(blocks),
                  " equal blocks");
    if (units % blocks != 0)
      return fail(std::to_string(units), " units do not split into ", std::to_string(blocks), " equal blocks");
    return Shape{units};
  };
  kind.create = [](const LayerBuild& build) { return std::make_unique<BlockDiagonal>(build); };
  return kind;
}

BlockDiagonal::BlockDiagonal(const LayerBuild& build)
    : Layer(build.inputShape, build.outputShape),
      m_in(build.inputShape.elementCount()),
      m_out(build.outputShape.elementCount()),
      m_blocks(build.node.params.at("blocks").get<std::int64_t>()),
      m_blockIn(m_in / m_blocks),
      m_blockOut(m_out / m_blocks),
      m_hasBias(build.node.params.at("bias").get<bool>()),
      m_init(build.node.params.at("init").get<std::string>()),
      m_guide(build.node.params, m_in, m_out) {}

std::vector<WeightSpec> BlockDiagonal::weightSpecs() const {
  std::vector<WeightSpec> specs{{"blocks", Shape{m_blocks, m_blockOut, m_blockIn}}};
  if (m_hasBias) specs.push_back({"bias", Shape{m_out}});
  if (m_guide.enabled()) specs.push_back(m_guide.weightSpec());
  return specs;
}

void BlockDiagonal::bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) {
  m_weights = weights[0], m_gradWeights = gradients[0];
  std::size_t next = 1;
  if (m_hasBias) m_bias = weights[next], m_gradBias = gradients[next++];
  if (m_guide.enabled()) m_guide.bind(weights[next], gradients[next]);
}

TensorView BlockDiagonal::blockOf(const TensorView& all, std::int64_t b) const {
  const std::int64_t size = m_blockOut * m_blockIn;
  return TensorView(*all.tensor(), all.offset() + b * size, Shape{m_blockOut, m_blockIn});
}

TensorView BlockDiagonal::block(std::int64_t b) const { return blockOf(m_weights, b); }

void BlockDiagonal::initializeWeights(Rng& rng) {
  // Each block is a small dense layer with fan-in in/k; the bias follows the scheme's rule for that fan-in.
  for (std::int64_t b = 0; b < m_blocks; ++b) initializeLinear(m_init, rng, block(b), TensorView(), m_blockIn, m_blockOut);
  if (m_hasBias) {
    const float limit = 1.0f / std::sqrt(static_cast<float>(m_blockIn));
    if (m_init == "kaiming-uniform")
      rng.fillUniform(m_bias.mutableValues(), -limit, limit);
    else
      m_bias.mutableVector().setZero();
  }
  if (m_guide.enabled()) {
    CpuBackend cpu;
    denseMatrix(cpu, m_guide.weight());
  }
}

void BlockDiagonal::denseMatrix(Backend& backend, const TensorView& out) const {
  backend.fill(0.0f, out);
  for (std::int64_t b = 0; b < m_blocks; ++b) {
    // Copy block b into rows [b*outB, (b+1)*outB), columns [b*inB, (b+1)*inB).
    auto target = out.rowRange(b * m_blockOut, m_blockOut).columnRange(b * m_blockIn, m_blockIn);
    target.mutableMatrix() = block(b).matrix();
  }
}

void BlockDiagonal::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,in] -> y:[N,units]; block b: y[:, b] = x[:, b] B_b^T
  const TensorView in(x, 0, Shape{x.rows(), m_in}), out(y, 0, Shape{y.rows(), m_out});
  for (std::int64_t b = 0; b < m_blocks; ++b)
    ctx.backend.gemm(Transpose::No, Transpose::Yes, 1.0f, in.columnRange(b * m_blockIn, m_blockIn), block(b), 0.0f,
                     out.columnRange(b * m_blockOut, m_blockOut));
  m_guide.blendForward(ctx, m_guide.alpha(ctx.progress), x, y);
  if (m_hasBias) ctx.backend.addRowVector(y, m_bias);
}

void BlockDiagonal::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  // dx[:, b]:[N,in/k] = g[:, b] B_b, g = (1 - a) dy
  const float a = m_guide.alpha(ctx.progress);
  const Tensor& g = m_guide.structuredGradient(ctx, a, dy);
  const TensorView gradOut(g, 0, Shape{g.rows(), m_out}), gradIn(dx, 0, Shape{dx.rows(), m_in});
  for (std::int64_t b = 0; b < m_blocks; ++b)
    ctx.backend.gemm(Transpose::No, Transpose::No, 1.0f, gradOut.columnRange(b * m_blockOut, m_blockOut), block(b),
                     0.0f, gradIn.columnRange(b * m_blockIn, m_blockIn));
  m_guide.addInputGradient(ctx, a, dy, dx);
}

void BlockDiagonal::accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) {
  // dB_b += g[:, b]^T x[:, b]
  const float a = m_guide.alpha(ctx.progress);
  const Tensor& g = m_guide.structuredGradient(ctx, a, dy);
  const TensorView gradOut(g, 0, Shape{g.rows(), m_out}), in(x, 0, Shape{x.rows(), m_in});
  for (std::int64_t b = 0; b < m_blocks; ++b)
    ctx.backend.gemm(Transpose::Yes, Transpose::No, 1.0f, gradOut.columnRange(b * m_blockOut, m_blockOut),
                     in.columnRange(b * m_blockIn, m_blockIn), 1.0f, blockOf(m_gradWeights, b));
  if (m_hasBias) ctx.backend.sumRows(dy, 1.0f, m_gradBias);
  m_guide.accumulateGradient(ctx, a, x, dy);
}

}  // namespace ffn

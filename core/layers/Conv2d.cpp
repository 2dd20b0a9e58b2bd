#include "core/layers/Conv2d.h"

#include "core/layers/ImageShapes.h"
#include "core/layers/Initializers.h"

namespace ffn {

NodeKind conv2dKind() {
  NodeKind kind;
  kind.name = "Conv2d";
  kind.category = "Image";
  kind.summary = "2-D convolution: slides learned filters over the image, one output channel per filter.";
  kind.params = {intParam("channels", "Output channels", 16, 1, 4096, "Number of filters (output channels)."),
                 intParam("kernel", "Kernel size", 3, 1, 31, "Width and height of each filter."),
                 intParam("stride", "Stride", 1, 1, 16, "Step between filter positions."),
                 intParam("padding", "Padding", 1, 0, 15, "Zeros added around the image on each side."),
                 boolParam("bias", "Bias", true, "Add a learned bias per output channel."), initParam()};
  kind.inferShape = [](const std::vector<Shape>& inputs, const Json& params) -> Result<Shape> {
    return windowOutputShape(inputs[0], params, params.at("channels").get<std::int64_t>());
  };
  kind.create = [](const LayerBuild& build) { return std::make_unique<Conv2d>(build); };
  return kind;
}

Conv2d::Conv2d(const LayerBuild& build)
    : Layer(build.inputShape, build.outputShape),
      m_window(windowFor(build.inputShape, build.node.params)),
      m_outChannels(build.outputShape[0]),
      m_hasBias(build.node.params.at("bias").get<bool>()),
      m_init(build.node.params.at("init").get<std::string>()) {}

std::int64_t Conv2d::forwardFlopsPerSample() const {
  return m_outChannels * m_window.outHeight() * m_window.outWidth() * m_window.channels * m_window.kernelH *
         m_window.kernelW;
}

std::vector<WeightSpec> Conv2d::weightSpecs() const {
  std::vector<WeightSpec> specs{{"weight", Shape{m_outChannels, m_window.channels, m_window.kernelH, m_window.kernelW}}};
  if (m_hasBias) specs.push_back({"bias", Shape{m_outChannels}});
  return specs;
}

void Conv2d::bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) {
  m_weight = weights[0];
  m_gradWeight = gradients[0];
  if (m_hasBias) {
    m_bias = weights[1];
    m_gradBias = gradients[1];
  }
}

void Conv2d::initializeWeights(Rng& rng) {
  const std::int64_t fanIn = m_window.channels * m_window.kernelH * m_window.kernelW;
  initializeLinear(m_init, rng, m_weight, m_bias, fanIn, m_outChannels * m_window.kernelH * m_window.kernelW);
}

void Conv2d::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,C,H,W] -> cols:[N*OH*OW, C*k*k] -> rows:[N*OH*OW, OC] -> y:[N,OC,OH,OW]
  const std::int64_t n = x.rows(), pixels = m_window.outHeight() * m_window.outWidth();
  m_columns.resize(Shape{n * pixels, m_window.channels * m_window.kernelH * m_window.kernelW});
  m_outRows.resize(Shape{n * pixels, m_outChannels});
  ctx.backend.im2col(m_window, x, m_columns);
  ctx.backend.gemm(Transpose::No, Transpose::Yes, 1.0f, m_columns, m_weight.reshaped(Shape{m_outChannels, m_columns.cols()}),
                   0.0f, m_outRows);
  if (m_hasBias) ctx.backend.addRowVector(m_outRows, m_bias);
  ctx.backend.channelsLastToFirst(n, pixels, m_outChannels, m_outRows, y);
}

void Conv2d::gradientRows(PassContext& ctx, const Tensor& dy) {
  const std::int64_t n = dy.rows(), pixels = m_window.outHeight() * m_window.outWidth();
  m_gradRows.resize(Shape{n * pixels, m_outChannels});
  ctx.backend.channelsFirstToLast(n, pixels, m_outChannels, dy, m_gradRows);
}

void Conv2d::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  // dy:[N,OC,OH,OW] -> dcols:[N*OH*OW, C*k*k] = rows(dy) W -> dx:[N,C,H,W]
  gradientRows(ctx, dy);
  m_gradColumns.resize(m_columns.shape());
  ctx.backend.gemm(Transpose::No, Transpose::No, 1.0f, m_gradRows, m_weight.reshaped(Shape{m_outChannels, m_columns.cols()}),
                   0.0f, m_gradColumns);
  ctx.backend.col2im(m_window, m_gradColumns, dx);
}

void Conv2d::accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) {
  // dW:[OC, C*k*k] += rows(dy)^T cols; db += column sums of rows(dy)
  gradientRows(ctx, dy);
  ctx.backend.gemm(Transpose::Yes, Transpose::No, 1.0f, m_gradRows, m_columns, 1.0f,
                   m_gradWeight.reshaped(Shape{m_outChannels, m_columns.cols()}));
  if (m_hasBias) ctx.backend.sumRows(m_gradRows, 1.0f, m_gradBias);
}

}  // namespace ffn

#include "core/layers/Pooling.h"

#include "core/layers/ImageShapes.h"

namespace ffn {
namespace {

NodeKind poolKind(const char* name, const char* summary) {
  NodeKind kind;
  kind.name = name;
  kind.category = "Image";
  kind.summary = summary;
  kind.params = {intParam("kernel", "Window size", 2, 1, 31, "Width and height of the pooling window."),
                 intParam("stride", "Stride", 2, 1, 31, "Step between windows (equal to the window: no overlap).")};
  kind.inferShape = [](const std::vector<Shape>& inputs, const Json& params) -> Result<Shape> {
    return windowOutputShape(inputs[0], params, inputs[0].rank() == 3 ? inputs[0][0] : 0);
  };
  return kind;
}

}  // namespace

NodeKind maxPool2dKind() {
  NodeKind kind = poolKind("MaxPool2d", "Keeps the largest value of each window: halves the image at 2x2.");
  kind.create = [](const LayerBuild& build) { return std::make_unique<MaxPool2d>(build); };
  return kind;
}

NodeKind avgPool2dKind() {
  NodeKind kind = poolKind("AvgPool2d", "Averages each window: a smooth downsampling.");
  kind.create = [](const LayerBuild& build) { return std::make_unique<AvgPool2d>(build); };
  return kind;
}

MaxPool2d::MaxPool2d(const LayerBuild& build)
    : Layer(build.inputShape, build.outputShape), m_window(windowFor(build.inputShape, build.node.params)) {}

void MaxPool2d::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,C,H,W] -> y:[N,C,OH,OW]
  m_argmax.resize(y.shape());
  ctx.backend.maxPoolForward(m_window, x, y, m_argmax);
}

void MaxPool2d::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  ctx.backend.maxPoolBackward(m_window, m_argmax, dy, dx);
}

AvgPool2d::AvgPool2d(const LayerBuild& build)
    : Layer(build.inputShape, build.outputShape), m_window(windowFor(build.inputShape, build.node.params)) {}

void AvgPool2d::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,C,H,W] -> y:[N,C,OH,OW]
  ctx.backend.avgPoolForward(m_window, x, y);
}

void AvgPool2d::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  ctx.backend.avgPoolBackward(m_window, dy, dx);
}

}  // namespace ffn

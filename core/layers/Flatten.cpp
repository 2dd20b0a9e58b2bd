#include "core/layers/Flatten.h"

namespace ffn {

NodeKind flattenKind() {
  NodeKind kind;
  kind.name = "Flatten";
  kind.category = "Image";
  kind.summary = "Lays an image's channels, rows and columns out as one feature vector.";
  kind.inferShape = [](const std::vector<Shape>& inputs, const Json&) -> Result<Shape> {
    return Shape{inputs[0].elementCount()};
  };
  kind.create = [](const LayerBuild& build) { return std::make_unique<Flatten>(build.inputShape, build.outputShape); };
  return kind;
}

void Flatten::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,C,H,W] -> y:[N,C*H*W]
  ctx.backend.copy(x, TensorView(y, 0, x.shape()));
}

void Flatten::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  ctx.backend.copy(dy, TensorView(dx, 0, dy.shape()));
}

}  // namespace ffn

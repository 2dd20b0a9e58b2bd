#include "core/layers/Softmax.h"

namespace ffn {

NodeKind softmaxKind() {
  NodeKind kind;
  kind.name = "Softmax";
  kind.category = "Activation";
  kind.summary = "Turns scores into probabilities that sum to 1 (the Output's cross-entropy already does this).";
  kind.inferShape = [](const std::vector<Shape>& inputs, const Json&) -> Result<Shape> {
    return Shape{inputs[0].elementCount()};
  };
  kind.create = [](const LayerBuild& build) { return std::make_unique<Softmax>(build.inputShape, build.outputShape); };
  return kind;
}

void Softmax::forward(PassContext& ctx, const Tensor& x, Tensor& y) {
  // x:[N,F] -> y:[N,F]
  ctx.backend.softmaxRows(x, y);
}

void Softmax::backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) {
  ctx.backend.softmaxBackward(y, dy, dx);
}

}  // namespace ffn

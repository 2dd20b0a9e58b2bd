#include "core/layers/InputOutput.h"

namespace ffn {

NodeKind inputKind() {
  NodeKind kind;
  kind.name = "Input";
  kind.category = "Input/Output";
  kind.summary = "Where samples enter: [features] for tables and 2-D points, [channels, height, width] for images.";
  kind.role = NodeRole::Input;
  kind.inputPorts = 0;
  kind.params = {intListParam("shape", "Sample shape", {2}, 1, 1 << 24,
                              "Shape of one sample: [features] or [channels, height, width]. Set from the dataset.")};
  kind.inferShape = [](const std::vector<Shape>&, const Json& params) -> Result<Shape> {
    Shape shape(params.at("shape").get<std::vector<std::int64_t>>());
    if (shape.rank() != 1 && shape.rank() != 3)
      return fail("the sample shape must be [features] or [channels, height, width], got ", shape.toString());
    return shape;
  };
  return kind;
}

NodeKind outputKind() {
  NodeKind kind;
  kind.name = "Output";
  kind.category = "Input/Output";
  kind.summary = "The network's answer: one score (logit) per class, and the loss backprop minimises.";
  kind.role = NodeRole::Output;
  kind.params = {choiceParam("loss", "Loss", "cross-entropy", {"cross-entropy", "mse"},
                             "cross-entropy: softmax over the scores against the class (classification). mse: half "
                             "the squared error against the target vector (or the one-hot class).")};
  kind.inferShape = [](const std::vector<Shape>& inputs, const Json&) -> Result<Shape> {
    if (inputs[0].rank() != 1)
      return fail("needs one score per class, got an image ", inputs[0].toString(), "; add Flatten and Dense first");
    return inputs[0];
  };
  return kind;
}

LossKind lossKindFromName(const std::string& name) {
  return name == "mse" ? LossKind::MeanSquaredError : LossKind::CrossEntropy;
}

}  // namespace ffn

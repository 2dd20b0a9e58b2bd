#pragma once
// Softmax over the features of each sample. Put it last only for networks trained with MSE on probabilities:
// the cross-entropy loss of the Output node already applies softmax to its logits.
#include "core/graph/NodeKind.h"
#include "core/layers/Layer.h"

namespace ffn {

class Softmax final : public Layer {
 public:
  using Layer::Layer;
  std::string kind() const override { return "Softmax"; }
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
};

NodeKind softmaxKind();

}  // namespace ffn

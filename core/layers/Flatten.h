#pragma once
// Flatten: [C, H, W] -> [C*H*W]. The data does not move (row-major), only the shape changes.
#include "core/graph/NodeKind.h"
#include "core/layers/Layer.h"

namespace ffn {

class Flatten final : public Layer {
 public:
  using Layer::Layer;
  std::string kind() const override { return "Flatten"; }
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
};

NodeKind flattenKind();

}  // namespace ffn

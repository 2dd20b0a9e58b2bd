#pragma once
// Dropout (inverted): while training, each value is zeroed with probability `rate` and the rest scaled by
// 1/(1 - rate); at evaluation it passes unchanged. The mask comes from the network's seeded Rng.
#include "core/graph/NodeKind.h"
#include "core/layers/Layer.h"

namespace ffn {

class Dropout final : public Layer {
 public:
  Dropout(const LayerBuild& build);
  std::string kind() const override { return "Dropout"; }
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;

 private:
  float m_rate;
  bool m_maskActive = false;
  Tensor m_mask;  // [N, ...] of 0 or 1/(1-rate), from the last training forward
};

NodeKind dropoutKind();

}  // namespace ffn

#pragma once
// Element-wise activations: ReLU, ELU, GELU, Tanh, Sigmoid. Any shape in, the same shape out.
#include "core/graph/NodeKind.h"
#include "core/layers/Layer.h"

namespace ffn {

class Activation final : public Layer {
 public:
  Activation(const LayerBuild& build, ActivationKind function, float alpha);
  std::string kind() const override { return m_kindName; }
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  ActivationKind function() const { return m_function; }
  float alpha() const { return m_alpha; }  // ELU's negative saturation

 private:
  std::string m_kindName;
  ActivationKind m_function;
  float m_alpha;
};

std::vector<NodeKind> activationKinds();

// Runs `layer` on x into y and, when `next` (may be null) is an element-wise activation that the layer can
// apply in the same pass (Dense: in its GEMM's blocks), next as well, into *nextY (resized here). Returns
// whether next was run; both outputs are then as if each layer had run on its own. Every forward loop over a
// chain uses it.
bool forwardWithFollowingActivation(PassContext& ctx, Layer& layer, const Tensor& x, Tensor& y, const Layer* next,
                                    Tensor* nextY);

}  // namespace ffn

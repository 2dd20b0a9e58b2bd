#pragma once
// Self-guided training of a structured layer (Structured FFN, 2024): a dense matrix W_g starts as the product of
// the layer's factors and runs beside them, o = alpha x W_g^T + (1 - alpha) S(x) (+ bias), while alpha decays from
// 1 to 0 (cosine or linear) over the first `fraction` of training. Once alpha is 0, W_g is no longer used: the
// structured factors alone carry the layer. (Its values stay in the flat weight buffer, unused.)
#include "core/graph/ParamSpec.h"
#include "core/layers/Layer.h"

namespace ffn {

class SelfGuidedPath {
 public:
  static std::vector<ParamSpec> params();
  SelfGuidedPath(const Json& params, std::int64_t in, std::int64_t out);

  bool enabled() const { return m_enabled; }
  WeightSpec weightSpec() const { return {"guide", Shape{m_out, m_in}}; }
  void bind(const TensorView& weight, const TensorView& gradient);
  TensorView weight() const { return m_weight; }
  // The dense path's share at this point of training.
  float alpha(double progress) const;

  // y:[N,out] holds S(x); becomes (1 - a) S(x) + a x W_g^T.
  void blendForward(PassContext& ctx, float a, const Tensor& x, Tensor& y);
  // The gradient reaching the structured factors: (1 - a) dy (dy itself when a = 0).
  const Tensor& structuredGradient(PassContext& ctx, float a, const Tensor& dy);
  // dW_g += a dy^T x
  void accumulateGradient(PassContext& ctx, float a, const Tensor& x, const Tensor& dy);
  // dx:[N,in] += a dy W_g
  void addInputGradient(PassContext& ctx, float a, const Tensor& dy, Tensor& dx);

 private:
  bool m_enabled;
  double m_fraction;
  bool m_cosine;
  std::int64_t m_in, m_out;
  TensorView m_weight, m_gradient;
  Tensor m_scaled;
};

}  // namespace ffn

#pragma once
// LayerNorm: each sample's features normalised to zero mean and unit variance, then scaled and shifted by
// learned per-feature gamma and beta (when `affine`).
#include "core/graph/NodeKind.h"
#include "core/layers/Layer.h"

namespace ffn {

class LayerNorm final : public Layer {
 public:
  LayerNorm(const LayerBuild& build);
  std::string kind() const override { return "LayerNorm"; }
  std::vector<WeightSpec> weightSpecs() const override;
  void bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) override;
  void initializeWeights(Rng& rng) override;
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  void accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) override;
  std::int64_t forwardFlopsPerSample() const override { return 4 * m_features; }

  float epsilon() const { return m_eps; }
  const TensorView& gamma() const { return m_gamma; }
  const TensorView& beta() const { return m_beta; }
  const Tensor& lastMean() const { return m_mean; }
  const Tensor& lastInverseStd() const { return m_rstd; }

 private:
  std::int64_t m_features;
  float m_eps;
  bool m_affine;
  TensorView m_gamma, m_beta, m_gradGamma, m_gradBeta;
  Tensor m_mean, m_rstd;  // [N] from the last forward
  Tensor m_scratch;       // [N,F] dx when only weight gradients are asked for
};

NodeKind layerNormKind();

}  // namespace ffn

#pragma once
// Dense: y = x W^T + b, W:[units, in]. Any input shape is read as flat features ([C,H,W] -> C*H*W).
#include "core/graph/NodeKind.h"
#include "core/layers/Layer.h"

namespace ffn {

class Dense final : public Layer {
 public:
  Dense(const LayerBuild& build);
  std::string kind() const override { return "Dense"; }
  std::vector<WeightSpec> weightSpecs() const override;
  void bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) override;
  void initializeWeights(Rng& rng) override;
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  bool forwardWithActivation(PassContext& ctx, const Tensor& x, Tensor& y, ActivationKind kind, float alpha,
                             Tensor& activated) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  bool backwardInputThroughRelu(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy,
                                const Tensor& gate, Tensor& dx) override;
  void accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) override;
  bool writesGradients() const override { return true; }
  // dW and db from (dy, x); dx from (dy, W): separate products into separate buffers.
  bool backwardHalvesIndependent() const override { return true; }
  std::int64_t forwardFlopsPerSample() const override { return m_in * m_out; }

  std::int64_t inFeatures() const { return m_in; }
  std::int64_t units() const { return m_out; }
  bool hasBias() const { return m_hasBias; }
  const TensorView& weight() const { return m_weight; }  // [units, in]
  const TensorView& bias() const { return m_bias; }      // [units]; invalid without bias

 private:
  std::int64_t m_in, m_out;
  bool m_hasBias;
  std::string m_init;
  TensorView m_weight, m_bias, m_gradWeight, m_gradBias;
};

NodeKind denseKind();

}  // namespace ffn

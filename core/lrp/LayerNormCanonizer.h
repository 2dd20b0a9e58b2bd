#pragma once
// LayerNormCanonizer: the Dense map z = a W^T + b in front of a LayerNorm, with the LayerNorm's centring merged
// in (zennit's canonizers merge batch-norm the same way): u = z - mean_k(z_k) = a W'^T + b' with
// W' = W - 1 wbar (wbar the mean of W's rows) and b' = b - mean(b). The LayerNorm then sees a zero-mean input,
// so its own mean subtraction does nothing and y = gamma * u / std(u) + beta: the network's outputs are
// unchanged. What remains is element-wise up to the per-sample scale 1/std(u), which depends on the sample and
// so cannot be folded into fixed weights (unlike batch-norm); NormScaleStage handles it.
#include "core/lrp/LinearMap.h"

namespace ffn {

class LayerNormCanonizer final : public LinearMap {
 public:
  // weight:[F, in], bias:[F] or invalid: the linear layer (or LowRank's up factor) before the LayerNorm.
  LayerNormCanonizer(TensorView weight, TensorView bias);
  std::int64_t inFeatures() const override { return m_weight.cols(); }
  std::int64_t outFeatures() const override { return m_weight.rows(); }
  std::vector<TensorView> weights() const override { return {TensorView(m_merged)}; }
  TensorView bias() const override { return TensorView(m_mergedBias); }
  // Recomputes W' and b' from the current weights.
  void refresh(Backend& backend) override;
  void forward(Backend& backend, std::span<const TensorView> w, const TensorView& bias, const Tensor& x,
               Tensor& z) override;
  void transpose(Backend& backend, std::span<const TensorView> w, const Tensor& s, Tensor& c) override;

 private:
  TensorView m_weight, m_bias;
  Tensor m_merged, m_mergedBias, m_rowMean;
  DenseMap m_dense;  // runs the merged tensors
};

}  // namespace ffn

#pragma once
// LowRank: y = U (V x) + b with V:[rank, in], U:[units, rank] — a dense map of rank at most `rank`, with
// rank * (in + units) weights instead of in * units. Optional self-guided training (SelfGuidedPath).
#include "core/graph/NodeKind.h"
#include "core/layers/Layer.h"
#include "core/layers/SelfGuidedPath.h"

namespace ffn {

class LowRank final : public Layer {
 public:
  LowRank(const LayerBuild& build);
  std::string kind() const override { return "LowRank"; }
  std::vector<WeightSpec> weightSpecs() const override;
  void bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) override;
  void initializeWeights(Rng& rng) override;
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  void accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) override;
  std::int64_t forwardFlopsPerSample() const override { return m_rank * (m_in + m_out); }

  std::int64_t rank() const { return m_rank; }
  const TensorView& down() const { return m_v; }  // V:[rank, in]
  const TensorView& up() const { return m_u; }    // U:[units, rank]
  const TensorView& bias() const { return m_bias; }
  // The dense equivalent U V:[units, in].
  void denseMatrix(Backend& backend, const TensorView& out) const;
  // The hidden code h = x V^T of the last forward, [N, rank].
  const Tensor& hidden() const { return m_hidden; }

 private:
  std::int64_t m_in, m_out, m_rank;
  bool m_hasBias;
  std::string m_init;
  SelfGuidedPath m_guide;
  TensorView m_v, m_u, m_bias, m_gradV, m_gradU, m_gradBias;
  Tensor m_hidden, m_gradHidden;
};

NodeKind lowRankKind();

}  // namespace ffn

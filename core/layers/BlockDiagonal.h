#pragma once
// BlockDiagonal: the input and output are split into k equal blocks and block b maps only x_b to y_b:
// y = concat_b(B_b x_b) + b, B_b:[units/k, in/k] — 1/k of a dense layer's weights. Optional self-guided
// training (SelfGuidedPath).
#include "core/graph/NodeKind.h"
#include "core/layers/Layer.h"
#include "core/layers/SelfGuidedPath.h"

namespace ffn {

class BlockDiagonal final : public Layer {
 public:
  BlockDiagonal(const LayerBuild& build);
  std::string kind() const override { return "BlockDiagonal"; }
  std::vector<WeightSpec> weightSpecs() const override;
  void bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) override;
  void initializeWeights(Rng& rng) override;
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  void accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) override;
  std::int64_t forwardFlopsPerSample() const override { return m_in * m_out / m_blocks; }

  std::int64_t blockCount() const { return m_blocks; }
  // Block b as a [units/k, in/k] view.
  TensorView block(std::int64_t b) const;
  const TensorView& bias() const { return m_bias; }
  // The dense equivalent:[units, in], zero outside the blocks.
  void denseMatrix(Backend& backend, const TensorView& out) const;

 private:
  TensorView blockOf(const TensorView& all, std::int64_t b) const;

  std::int64_t m_in, m_out, m_blocks, m_blockIn, m_blockOut;
  bool m_hasBias;
  std::string m_init;
  SelfGuidedPath m_guide;
  TensorView m_weights, m_bias, m_gradWeights, m_gradBias;
};

NodeKind blockDiagonalKind();

}  // namespace ffn

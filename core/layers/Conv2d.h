#pragma once
// Conv2d: 2-D convolution by im2col + one GEMM over the whole batch. Weight [out, in, k, k] (PyTorch's layout).
#include "core/graph/NodeKind.h"
#include "core/layers/Layer.h"

namespace ffn {

class Conv2d final : public Layer {
 public:
  Conv2d(const LayerBuild& build);
  std::string kind() const override { return "Conv2d"; }
  std::vector<WeightSpec> weightSpecs() const override;
  void bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) override;
  void initializeWeights(Rng& rng) override;
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  void accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) override;
  std::int64_t forwardFlopsPerSample() const override;

  const Window2d& window() const { return m_window; }
  std::int64_t outChannels() const { return m_outChannels; }
  bool hasBias() const { return m_hasBias; }
  const TensorView& weight() const { return m_weight; }  // [out, in*k*k]
  const TensorView& bias() const { return m_bias; }

 private:
  // dy:[N,OC,OH,OW] -> m_gradRows:[N*OH*OW, OC]
  void gradientRows(PassContext& ctx, const Tensor& dy);

  Window2d m_window;
  std::int64_t m_outChannels;
  bool m_hasBias;
  std::string m_init;
  TensorView m_weight, m_bias, m_gradWeight, m_gradBias;
  Tensor m_columns;   // [N*OH*OW, C*k*k] from the last forward
  Tensor m_outRows;   // [N*OH*OW, OC]
  Tensor m_gradRows;  // [N*OH*OW, OC]
  Tensor m_gradColumns;
};

NodeKind conv2dKind();

}  // namespace ffn

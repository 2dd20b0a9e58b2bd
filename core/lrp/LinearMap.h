#pragma once
// LinearMap: the linear part of a layer as LRP sees it, z = L(x; W) (+ b), and its transpose c = L^T(s; W).
// A rule (LrpRule) changes the input and the weights element-wise and runs these two maps on what it changed,
// so one rule works unchanged on every kind of linear layer: Dense, each factor of LowRank, BlockDiagonal
// (block by block), Conv2d (im2col + GEMM) and sum pooling (a fixed averaging window). Everything runs over the
// whole batch through Backend ops.
#include <span>
#include <string>
#include <vector>

#include "core/backend/Backend.h"

namespace ffn {

class LinearMap {
 public:
  LinearMap() = default;
  virtual ~LinearMap() = default;
  LinearMap(const LinearMap&) = delete;  // maps may hold views of tensors they own
  LinearMap& operator=(const LinearMap&) = delete;
  virtual std::int64_t inFeatures() const = 0;
  virtual std::int64_t outFeatures() const = 0;
  // The weight tensors rules change element-wise (none for pooling), and the bias (invalid when absent).
  virtual std::vector<TensorView> weights() const = 0;
  virtual TensorView bias() const { return {}; }
  // Called once per relevance pass before forward/transpose: a map derived from the network's weights (a
  // canonizer's merged copy) recomputes itself here, so it follows weights that changed since the last call.
  virtual void refresh(Backend& backend) {}
  // x:[N,in] -> z:[N,out] = L(x; w) + bias (no bias when `bias` is invalid). w: weights() or changed copies of
  // them in the same layout. z is resized here.
  virtual void forward(Backend& backend, std::span<const TensorView> w, const TensorView& bias, const Tensor& x,
                       Tensor& z) = 0;
  // s:[N,out] -> c:[N,in] = L^T(s; w). c is resized here.
  virtual void transpose(Backend& backend, std::span<const TensorView> w, const Tensor& s, Tensor& c) = 0;
  // s:[N,out], a:[N,in] -> rIn:[N,in] = a * L^T(s; w), element-wise: a rule's last step on an unchanged input.
  // The default goes through `scratch` (transpose, then multiply); rIn is resized here.
  // rIn = (a * L^T(s)) / (z + eps * sign(z)) in one pass (Backend::linearTransposeTimesDivided): false, having
  // done nothing, where the map or backend cannot.
  virtual bool transposeTimesDivided(Backend& backend, std::span<const TensorView> w, const Tensor& s,
                                     const Tensor& a, const Tensor& z, float eps, Tensor& rIn) {
    return false;
  }
  virtual void transposeTimes(Backend& backend, std::span<const TensorView> w, const Tensor& s, const Tensor& a,
                              Tensor& scratch, Tensor& rIn);
};

// z = x W^T + b, W:[out, in]. Views into a network's weights, or tensors it owns (a canonizer's merged copy).
class DenseMap final : public LinearMap {
 public:
  DenseMap(TensorView weight, TensorView bias) : m_weight(std::move(weight)), m_bias(std::move(bias)) {}
  DenseMap(Tensor weight, Tensor bias);
  std::int64_t inFeatures() const override { return m_weight.cols(); }
  std::int64_t outFeatures() const override { return m_weight.rows(); }
  std::vector<TensorView> weights() const override { return {m_weight}; }
  TensorView bias() const override { return m_bias; }
  void forward(Backend& backend, std::span<const TensorView> w, const TensorView& bias, const Tensor& x,
               Tensor& z) override;
  void transpose(Backend& backend, std::span<const TensorView> w, const Tensor& s, Tensor& c) override;
  // One product with the multiplication in its blocks (Backend::linearTransposeTimes); no scratch.
  bool transposeTimesDivided(Backend& backend, std::span<const TensorView> w, const Tensor& s, const Tensor& a,
                             const Tensor& z, float eps, Tensor& rIn) override;
  void transposeTimes(Backend& backend, std::span<const TensorView> w, const Tensor& s, const Tensor& a,
                      Tensor& scratch, Tensor& rIn) override;

 private:
  Tensor m_ownedWeight, m_ownedBias;
  TensorView m_weight, m_bias;
};

// k independent blocks: z[:, b] = x[:, b] B_b^T + b; blocks:[k, out/k, in/k].
class BlockDiagonalMap final : public LinearMap {
 public:
  BlockDiagonalMap(TensorView blocks, TensorView bias) : m_blocks(std::move(blocks)), m_bias(std::move(bias)) {}
  std::int64_t inFeatures() const override { return m_blocks.shape()[0] * m_blocks.shape()[2]; }
  std::int64_t outFeatures() const override { return m_blocks.shape()[0] * m_blocks.shape()[1]; }
  std::vector<TensorView> weights() const override { return {m_blocks}; }
  TensorView bias() const override { return m_bias; }
  void forward(Backend& backend, std::span<const TensorView> w, const TensorView& bias, const Tensor& x,
               Tensor& z) override;
  void transpose(Backend& backend, std::span<const TensorView> w, const Tensor& s, Tensor& c) override;

 private:
  TensorView m_blocks, m_bias;
};

// 2-D convolution, weight:[OC, C*k*k] (PyTorch's layout), bias:[OC]; inputs [N, C, H, W] read as [N, C*H*W].
class ConvolutionMap final : public LinearMap {
 public:
  ConvolutionMap(const Window2d& window, std::int64_t outChannels, TensorView weight, TensorView bias);
  std::int64_t inFeatures() const override { return m_window.channels * m_window.height * m_window.width; }
  std::int64_t outFeatures() const override { return m_outChannels * pixels(); }
  std::vector<TensorView> weights() const override { return {m_weight}; }
  TensorView bias() const override { return m_bias; }
  void forward(Backend& backend, std::span<const TensorView> w, const TensorView& bias, const Tensor& x,
               Tensor& z) override;
  void transpose(Backend& backend, std::span<const TensorView> w, const Tensor& s, Tensor& c) override;

 private:
  std::int64_t pixels() const { return m_window.outHeight() * m_window.outWidth(); }
  Window2d m_window;
  std::int64_t m_outChannels;
  TensorView m_weight, m_bias;
  Tensor m_columns, m_rows;  // scratch: [N*OH*OW, C*k*k] and [N*OH*OW, OC]
};

// Average pooling as a fixed linear map (every window weight 1/k^2): LRP's sum pooling. Max pooling's
// "proportional" choice uses it over the same window too.
class SumPoolMap final : public LinearMap {
 public:
  explicit SumPoolMap(const Window2d& window) : m_window(window) {}
  std::int64_t inFeatures() const override { return m_window.channels * m_window.height * m_window.width; }
  std::int64_t outFeatures() const override { return m_window.channels * m_window.outHeight() * m_window.outWidth(); }
  std::vector<TensorView> weights() const override { return {}; }
  void forward(Backend& backend, std::span<const TensorView> w, const TensorView& bias, const Tensor& x,
               Tensor& z) override;
  void transpose(Backend& backend, std::span<const TensorView> w, const Tensor& s, Tensor& c) override;

 private:
  Window2d m_window;
};

}  // namespace ffn

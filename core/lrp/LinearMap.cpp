#include "core/lrp/LinearMap.h"

#include <cassert>

namespace ffn {

DenseMap::DenseMap(Tensor weight, Tensor bias) : m_ownedWeight(std::move(weight)), m_ownedBias(std::move(bias)) {
  m_weight = TensorView(m_ownedWeight);
  if (!m_ownedBias.empty()) m_bias = TensorView(m_ownedBias);
}

void DenseMap::forward(Backend& backend, std::span<const TensorView> w, const TensorView& bias, const Tensor& x,
                       Tensor& z) {
  // x:[N,in] -> z:[N,out] = x W^T + b
  z.resize(Shape{x.rows(), outFeatures()});
  backend.gemm(Transpose::No, Transpose::Yes, 1.0f, x, w[0], 0.0f, z);
  if (bias.valid()) backend.addRowVector(z, bias);
}

void LinearMap::transposeTimes(Backend& backend, std::span<const TensorView> w, const Tensor& s, const Tensor& a,
                               Tensor& scratch, Tensor& rIn) {
  transpose(backend, w, s, scratch);
  rIn.resize(scratch.shape());
  backend.multiply(a, scratch, rIn);
}

void DenseMap::transpose(Backend& backend, std::span<const TensorView> w, const Tensor& s, Tensor& c) {
  // s:[N,out] -> c:[N,in] = s W
  c.resize(Shape{s.rows(), inFeatures()});
  backend.gemm(Transpose::No, Transpose::No, 1.0f, s, w[0], 0.0f, c);
}

void DenseMap::transposeTimes(Backend& backend, std::span<const TensorView> w, const Tensor& s, const Tensor& a,
                              Tensor&, Tensor& rIn) {
  // s:[N,out], a:[N,in] -> rIn:[N,in] = a * (s W)
  rIn.resize(Shape{s.rows(), inFeatures()});
  backend.linearTransposeTimes(s, w[0], a, rIn);
}

bool DenseMap::transposeTimesDivided(Backend& backend, std::span<const TensorView> w, const Tensor& s,
                                     const Tensor& a, const Tensor& z, float eps, Tensor& rIn) {
  rIn.resize(Shape{s.rows(), inFeatures()});
  return backend.linearTransposeTimesDivided(s, w[0], a, z, eps, rIn);
}

namespace {

// Block b of a [k, out/k, in/k] tensor (or of a changed copy with the same layout).
TensorView blockView(const TensorView& blocks, std::int64_t b) {
  const std::int64_t rows = blocks.shape()[1], cols = blocks.shape()[2];
  return TensorView(*blocks.tensor(), blocks.offset() + b * rows * cols, Shape{rows, cols});
}

}  // namespace

void BlockDiagonalMap::forward(Backend& backend, std::span<const TensorView> w, const TensorView& bias,
                               const Tensor& x, Tensor& z) {
  // x:[N,in] -> z:[N,out]; z[:, b] = x[:, b] B_b^T
  const std::int64_t k = m_blocks.shape()[0], blockOut = m_blocks.shape()[1], blockIn = m_blocks.shape()[2];
  z.resize(Shape{x.rows(), outFeatures()});
  const TensorView in(x, 0, Shape{x.rows(), inFeatures()});
  const TensorView out(z);
  for (std::int64_t b = 0; b < k; ++b)
    backend.gemm(Transpose::No, Transpose::Yes, 1.0f, in.columnRange(b * blockIn, blockIn), blockView(w[0], b), 0.0f,
                 out.columnRange(b * blockOut, blockOut));
  if (bias.valid()) backend.addRowVector(z, bias);
}

void BlockDiagonalMap::transpose(Backend& backend, std::span<const TensorView> w, const Tensor& s, Tensor& c) {
  // s:[N,out] -> c:[N,in]; c[:, b] = s[:, b] B_b
  const std::int64_t k = m_blocks.shape()[0], blockOut = m_blocks.shape()[1], blockIn = m_blocks.shape()[2];
  c.resize(Shape{s.rows(), inFeatures()});
  const TensorView in(s), out(c);
  for (std::int64_t b = 0; b < k; ++b)
    backend.gemm(Transpose::No, Transpose::No, 1.0f, in.columnRange(b * blockOut, blockOut), blockView(w[0], b), 0.0f,
                 out.columnRange(b * blockIn, blockIn));
}

ConvolutionMap::ConvolutionMap(const Window2d& window, std::int64_t outChannels, TensorView weight, TensorView bias)
    : m_window(window), m_outChannels(outChannels), m_bias(std::move(bias)) {
  m_weight = weight.reshaped(Shape{outChannels, window.channels * window.kernelH * window.kernelW});
}

void ConvolutionMap::forward(Backend& backend, std::span<const TensorView> w, const TensorView& bias, const Tensor& x,
                             Tensor& z) {
  // x:[N,C,H,W] -> cols:[N*OH*OW, C*k*k] -> rows:[N*OH*OW, OC] (+ b) -> z:[N, OC*OH*OW]
  const std::int64_t n = x.rows();
  m_columns.resize(Shape{n * pixels(), m_weight.cols()});
  m_rows.resize(Shape{n * pixels(), m_outChannels});
  backend.im2col(m_window, x, m_columns);
  backend.gemm(Transpose::No, Transpose::Yes, 1.0f, m_columns, w[0], 0.0f, m_rows);
  if (bias.valid()) backend.addRowVector(m_rows, bias);
  z.resize(Shape{n, outFeatures()});
  backend.channelsLastToFirst(n, pixels(), m_outChannels, m_rows, z);
}

void ConvolutionMap::transpose(Backend& backend, std::span<const TensorView> w, const Tensor& s, Tensor& c) {
  // s:[N, OC*OH*OW] -> rows:[N*OH*OW, OC] -> cols:[N*OH*OW, C*k*k] = rows W -> c:[N, C*H*W] (col2im)
  const std::int64_t n = s.rows();
  m_rows.resize(Shape{n * pixels(), m_outChannels});
  backend.channelsFirstToLast(n, pixels(), m_outChannels, s, m_rows);
  m_columns.resize(Shape{n * pixels(), m_weight.cols()});
  backend.gemm(Transpose::No, Transpose::No, 1.0f, m_rows, w[0], 0.0f, m_columns);
  c.resize(Shape{n, inFeatures()});
  backend.col2im(m_window, m_columns, c);
}

void SumPoolMap::forward(Backend& backend, std::span<const TensorView>, const TensorView&, const Tensor& x, Tensor& z) {
  // x:[N,C,H,W] -> z:[N, C*OH*OW], each the mean of its window
  z.resize(Shape{x.rows(), outFeatures()});
  backend.avgPoolForward(m_window, x, z);
}

void SumPoolMap::transpose(Backend& backend, std::span<const TensorView>, const Tensor& s, Tensor& c) {
  // s:[N, C*OH*OW] -> c:[N, C*H*W]
  c.resize(Shape{s.rows(), inFeatures()});
  backend.avgPoolBackward(m_window, s, c);
}

}  // namespace ffn

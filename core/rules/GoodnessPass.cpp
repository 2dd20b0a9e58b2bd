#include "core/rules/GoodnessPass.h"

#include <cmath>

namespace ffn {

void GoodnessPass::configure(std::vector<DenseBlock> blocks, TensorView labelWeights, TensorView labelGradient,
                             int classes, bool replaceFirst) {
  m_blocks = std::move(blocks);
  m_labelWeights = labelWeights;
  m_labelGradient = labelGradient;
  m_classes = classes;
  m_replaceFirst = replaceFirst;
  m_layers.assign(m_blocks.size(), GoodnessLayer{});
}

void GoodnessPass::setInputs(Backend& backend, const TensorView& inputs) {
  // inputs:[N, in...] -> x0:[N, in] with the label features cleared; x0Squares:[N]
  const std::int64_t n = inputs.rows(), features = inputs.cols();
  m_x0.resize(Shape{n, features});
  backend.copy(inputs, m_x0);
  if (m_replaceFirst) {
    // Preparing the input, like making the batch: N x C host writes.
    float* x = m_x0.mutableData();
    for (std::int64_t row = 0; row < n; ++row) std::fill_n(x + row * features, m_classes, 0.0f);
  }
  m_x0Squares.resize(Shape{n});
  backend.rowSumOfSquares(m_x0, m_x0Squares);
}

Tensor& GoodnessPass::labels(std::int64_t copies) {
  m_labels.resize(Shape{copies * m_x0.rows(), m_classes});
  return m_labels;
}

void GoodnessPass::run(PassContext& ctx, std::size_t layers, bool normalizeLast) {
  Backend& backend = ctx.backend;
  const std::int64_t n = m_x0.rows(), rows = m_labels.rows();
  {
    // Layer 1: x0:[N,in] -> base:[N,d1], tiled to z:[R,d1], + labels:[R,C] L^T, / ||(x0, e)||, + b
    const DenseBlock& first = m_blocks[0];
    GoodnessLayer& out = m_layers[0];
    m_base.resize(Shape{n, first.out()});
    backend.gemm(Transpose::No, Transpose::Yes, 1.0f, m_x0, first.weight, 0.0f, m_base);
    out.z.resize(Shape{rows, first.out()});
    for (std::int64_t begin = 0; begin < rows; begin += n) backend.copy(m_base, TensorView(out.z).rowRange(begin, n));
    backend.gemm(Transpose::No, Transpose::Yes, 1.0f, m_labels, m_labelWeights, 1.0f, out.z);
    m_inverseNorms.resize(Shape{rows});
    const float* squares = m_x0Squares.data();
    const float* label = m_labels.data();
    float* inverse = m_inverseNorms.mutableData();
    for (std::int64_t r = 0; r < rows; ++r) {
      double labelSquares = 0.0;
      for (int c = 0; c < m_classes; ++c) labelSquares += double(label[r * m_classes + c]) * label[r * m_classes + c];
      inverse[r] = 1.0f / (static_cast<float>(std::sqrt(squares[r % n] + labelSquares)) + kEpsilon);
    }
    backend.scaleRows(out.z, m_inverseNorms, out.z);
    if (first.bias.valid()) backend.addRowVector(out.z, first.bias);
  }
  for (std::size_t l = 0; l < layers; ++l) {
    GoodnessLayer& out = m_layers[l];
    if (l > 0) {
      // h_{l-1}:[R,d_{l-1}] -> z:[R,d_l]
      GoodnessLayer& below = m_layers[l - 1];
      below.h.resize(below.a.shape());
      below.norms.resize(Shape{rows});
      backend.normalizeRows(below.a, kEpsilon, below.h, below.norms);
      out.z.resize(Shape{rows, m_blocks[l].out()});
      backend.gemm(Transpose::No, Transpose::Yes, 1.0f, below.h, m_blocks[l].weight, 0.0f, out.z);
      if (m_blocks[l].bias.valid()) backend.addRowVector(out.z, m_blocks[l].bias);
    }
    m_blocks[l].activate(ctx, out.z, out.a);
    out.goodness.resize(Shape{rows});
    backend.rowSumOfSquares(out.a, out.goodness);
  }
  if (normalizeLast) {
    GoodnessLayer& last = m_layers[layers - 1];
    last.h.resize(last.a.shape());
    last.norms.resize(Shape{rows});
    backend.normalizeRows(last.a, kEpsilon, last.h, last.norms);
  }
}

void GoodnessPass::keepRows(Backend& backend, const Tensor& index, std::size_t layers, bool lastNormalized) {
  const std::int64_t rows = index.size();
  auto keep = [&](Tensor& t) {
    Shape shape = t.shape();
    shape[0] = rows;
    m_kept.resize(shape);
    backend.gatherRows(t, index, m_kept);
    std::swap(t, m_kept);  // m_kept keeps the larger buffer for the next call
  };
  keep(m_labels);
  keep(m_inverseNorms);
  for (std::size_t l = 0; l < layers; ++l) {
    GoodnessLayer& layer = m_layers[l];
    keep(layer.a);  // z is not kept: nothing reads it once a is computed
    keep(layer.goodness);
    if (l + 1 < layers || lastNormalized) {
      keep(layer.h);
      keep(layer.norms);
    }
  }
}

void GoodnessPass::writeGradient(Backend& backend, std::size_t l, const Tensor& dz, std::int64_t rows) {
  const DenseBlock& block = m_blocks[l];
  if (l > 0) {
    // dW:[d_l, d_{l-1}] = dz^T h_{l-1}, db = sum dz
    block.writeGradient(backend, TensorView(m_layers[l - 1].h).rowRange(0, rows), dz);
    return;
  }
  // z1 = (x0 W^T + e L^T) * s + b with s the row's inverse norm: dW = (sum over copies of dz*s)^T x0,
  // dL = (dz*s)^T e, db = sum dz.
  if (block.bias.valid()) backend.sumRows(dz, 0.0f, block.gradBias);
  const std::int64_t n = m_x0.rows();
  m_scaledDz.resize(dz.shape());
  backend.scaleRows(dz, TensorView(m_inverseNorms).rowRange(0, rows), m_scaledDz);
  m_dzSum.resize(Shape{n, block.out()});
  backend.copy(TensorView(m_scaledDz).rowRange(0, n), m_dzSum);
  for (std::int64_t begin = n; begin < rows; begin += n)
    backend.axpy(1.0f, TensorView(m_scaledDz).rowRange(begin, n), m_dzSum);
  backend.gemm(Transpose::Yes, Transpose::No, 1.0f, m_dzSum, m_x0, 0.0f, block.gradWeight);
  // With replace-first, L is the first C columns of W, just written from x0's (cleared, so zero) label features:
  // add to them. With extra inputs, L is a tensor of its own: write it.
  backend.gemm(Transpose::Yes, Transpose::No, 1.0f, m_scaledDz, TensorView(m_labels).rowRange(0, rows),
               m_replaceFirst ? 1.0f : 0.0f, m_labelGradient);
}

}  // namespace ffn

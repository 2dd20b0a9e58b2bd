#include "core/lrp/LayerNormCanonizer.h"

namespace ffn {

LayerNormCanonizer::LayerNormCanonizer(TensorView weight, TensorView bias)
    : m_weight(std::move(weight)),
      m_bias(std::move(bias)),
      m_merged(Shape{m_weight.rows(), m_weight.cols()}),
      m_mergedBias(Shape{m_weight.rows()}),
      m_dense(TensorView(m_merged), TensorView(m_mergedBias)) {}

void LayerNormCanonizer::refresh(Backend& backend) {
  // W':[F,in] = W - 1 wbar, wbar = (1/F) sum_k W[k,:]
  const std::int64_t features = m_weight.rows();
  m_rowMean.resize(Shape{m_weight.cols()});
  backend.sumRows(m_weight, 0.0f, m_rowMean);
  backend.scale(-1.0f / static_cast<float>(features), m_rowMean);
  backend.copy(m_weight, m_merged);
  backend.addRowVector(m_merged, m_rowMean);
  // b' = b - mean(b) (zero without a bias)
  if (!m_bias.valid()) {
    backend.fill(0.0f, m_mergedBias);
    return;
  }
  const double mean = backend.sum(m_bias) / static_cast<double>(features);
  backend.fill(static_cast<float>(-mean), m_mergedBias);
  backend.axpy(1.0f, m_bias, m_mergedBias);
}

void LayerNormCanonizer::forward(Backend& backend, std::span<const TensorView> w, const TensorView& bias,
                                 const Tensor& x, Tensor& z) {
  // x:[N,in] -> u:[N,F] = x W'^T + b'
  m_dense.forward(backend, w, bias, x, z);
}

void LayerNormCanonizer::transpose(Backend& backend, std::span<const TensorView> w, const Tensor& s, Tensor& c) {
  // s:[N,F] -> c:[N,in] = s W'
  m_dense.transpose(backend, w, s, c);
}

}  // namespace ffn

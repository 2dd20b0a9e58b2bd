#include "core/lrp/LrpStage.h"

#include <cassert>

#include "core/lrp/LrpRule.h"

namespace ffn {

void WinnerStage::relevance(Backend& backend, const Tensor& a, const Tensor*, const Tensor& rOut, Tensor& rIn) {
  // rOut:[N, C*OH*OW] -> rIn:[N, C*H*W]
  rIn.resize(Shape{a.rows(), a.cols()});
  backend.maxPoolBackward(m_window, m_winners, rOut, rIn);
}

NormScaleStage::NormScaleStage(std::string label, std::size_t layer, const TensorView& beta)
    : LrpStage(std::move(label), layer) {
  if (beta.valid()) {
    m_negativeBeta = Tensor(Shape{beta.size()}, beta.values());
    m_negativeBeta.vector() *= -1.0f;
  }
}

void NormScaleStage::relevance(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut, Tensor& rIn) {
  // z = y:[N,F] the LayerNorm's output; rIn = (y - beta) * rOut / stabilise(y)
  assert(z != nullptr);
  rIn.resize(Shape{rOut.rows(), rOut.cols()});
  backend.stabilizedDivide(rOut, *z, LrpRule::kDefaultStabilizer, rIn);
  if (m_negativeBeta.empty()) {
    backend.multiply(rIn, *z, rIn);
    return;
  }
  m_scaled.resize(rIn.shape());
  backend.copy(*z, m_scaled);
  backend.addRowVector(m_scaled, m_negativeBeta);
  backend.multiply(rIn, m_scaled, rIn);
}

}  // namespace ffn

// Layer normalisation on the host (Ba et al. 2016): each row normalised to zero mean and unit variance.
#include <cmath>

#include "core/backend/cpu/CpuBackend.h"

namespace ffn {

void CpuBackend::layerNormForward(const TensorView& x, float eps, const TensorView& gamma, const TensorView& beta,
                                  const TensorView& y, const TensorView& mean, const TensorView& rstd) {
  // x:[N,F] -> y:[N,F]; mean, rstd:[N]
  auto in = x.matrix();
  auto out = y.mutableMatrix();
  auto means = mean.mutableVector();
  auto inverseStd = rstd.mutableVector();
  means = in.rowwise().mean();
  out = in.colwise() - means;
  inverseStd = (out.rowwise().squaredNorm() / static_cast<float>(in.cols())).array().cwiseMax(0.0f).unaryExpr(
      [eps](float variance) { return 1.0f / std::sqrt(variance + eps); });
  out.array().colwise() *= inverseStd.array();
  if (gamma.valid()) out.array().rowwise() *= gamma.vector().transpose().array();
  if (beta.valid()) out.rowwise() += beta.vector().transpose();
}

void CpuBackend::layerNormBackward(const TensorView& x, const TensorView& gamma, const TensorView& mean,
                                   const TensorView& rstd, const TensorView& dy, const TensorView& dx,
                                   const TensorView& dgamma, const TensorView& dbeta) {
  // dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), g = dy * gamma
  auto in = x.matrix();
  auto gradOut = dy.matrix();
  const auto inverseStd = rstd.vector().array();
  RowMatrix xhat = in.colwise() - mean.vector();
  xhat.array().colwise() *= inverseStd;
  if (dgamma.valid()) dgamma.mutableVector() += gradOut.cwiseProduct(xhat).colwise().sum().transpose();
  if (dbeta.valid()) dbeta.mutableVector() += gradOut.colwise().sum().transpose();
  RowMatrix g = gradOut;
  if (gamma.valid()) g.array().rowwise() *= gamma.vector().transpose().array();
  const float invF = 1.0f / static_cast<float>(in.cols());
  const Eigen::VectorXf meanG = g.rowwise().sum() * invF;
  const Eigen::VectorXf meanGX = g.cwiseProduct(xhat).rowwise().sum() * invF;
  auto gradIn = dx.mutableMatrix();
  gradIn = g.colwise() - meanG;
  gradIn -= (xhat.array().colwise() * meanGX.array()).matrix();
  gradIn.array().colwise() *= inverseStd;
}

}  // namespace ffn

// Element-wise ops, activations and reductions on the host (Eigen arrays, vectorised by the compiler).
#include <cmath>
#include <numbers>

#include "core/backend/cpu/CpuBackend.h"

namespace ffn {
namespace {

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;

}  // namespace

void CpuBackend::activationForward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y) {
  auto in = x.vector().array();
  auto out = y.mutableVector().array();
  switch (kind) {
    case ActivationKind::Identity: out = in; break;
    case ActivationKind::ReLU: out = in.max(0.0f); break;
    case ActivationKind::ELU: out = (in > 0.0f).select(in, alpha * (in.exp() - 1.0f)); break;
    case ActivationKind::GELU: out = 0.5f * in * (1.0f + (in * kInvSqrt2).unaryExpr([](float v) { return std::erf(v); })); break;
    case ActivationKind::Tanh: out = in.tanh(); break;
    case ActivationKind::Sigmoid: out = 1.0f / (1.0f + (-in).exp()); break;
  }
}

void CpuBackend::activationBackward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y,
                                    const TensorView& dy, const TensorView& dx) {
  auto in = x.vector().array();
  auto out = y.vector().array();
  auto gradOut = dy.vector().array();
  auto gradIn = dx.mutableVector().array();
  switch (kind) {
    case ActivationKind::Identity: gradIn = gradOut; break;
    case ActivationKind::ReLU: gradIn = (in > 0.0f).select(gradOut, 0.0f); break;
    case ActivationKind::ELU: gradIn = (in > 0.0f).select(gradOut, gradOut * (out + alpha)); break;
    case ActivationKind::GELU:
      gradIn = gradOut * (0.5f * (1.0f + (in * kInvSqrt2).unaryExpr([](float v) { return std::erf(v); })) + in * kInvSqrt2Pi * (-0.5f * in * in).exp());
      break;
    case ActivationKind::Tanh: gradIn = gradOut * (1.0f - out * out); break;
    case ActivationKind::Sigmoid: gradIn = gradOut * out * (1.0f - out); break;
  }
}

void CpuBackend::softmaxRows(const TensorView& x, const TensorView& y) {
  // x:[N,C] -> y:[N,C]
  auto in = x.matrix();
  auto out = y.mutableMatrix();
  out = (in.colwise() - in.rowwise().maxCoeff()).array().exp().matrix();
  out.array().colwise() /= out.rowwise().sum().array();
}

void CpuBackend::softmaxBackward(const TensorView& y, const TensorView& dy, const TensorView& dx) {
  // dx = y * (dy - <dy, y>)
  auto out = y.matrix();
  auto gradOut = dy.matrix();
  const Eigen::VectorXf dots = out.cwiseProduct(gradOut).rowwise().sum();
  dx.mutableMatrix() = (out.array() * (gradOut.colwise() - dots).array()).matrix();
}

void CpuBackend::axpy(float alpha, const TensorView& x, const TensorView& y) {
  y.mutableVector() += alpha * x.vector();
}

void CpuBackend::scale(float alpha, const TensorView& x) { x.mutableVector() *= alpha; }

void CpuBackend::multiply(const TensorView& a, const TensorView& b, const TensorView& out) {
  out.mutableVector() = a.vector().cwiseProduct(b.vector());
}

void CpuBackend::copy(const TensorView& from, const TensorView& to) { to.mutableVector() = from.vector(); }

void CpuBackend::fill(float value, const TensorView& x) { x.mutableVector().setConstant(value); }

double CpuBackend::sum(const TensorView& x) { return x.vector().cast<double>().sum(); }

double CpuBackend::sumOfSquares(const TensorView& x) { return x.vector().cast<double>().squaredNorm(); }

bool CpuBackend::allFinite(const TensorView& x) { return x.vector().allFinite(); }

void CpuBackend::rowSumOfSquares(const TensorView& x, const TensorView& out) {
  // x:[N,F] -> out:[N]
  out.mutableVector() = x.matrix().rowwise().squaredNorm();
}

void CpuBackend::normalizeRows(const TensorView& x, float eps, const TensorView& y, const TensorView& norms) {
  // y[n,:] = x[n,:] / (||x[n,:]|| + eps)
  auto normOut = norms.mutableVector();
  normOut = x.matrix().rowwise().norm();
  y.mutableMatrix() = (x.matrix().array().colwise() / (normOut.array() + eps)).matrix();
}

void CpuBackend::normalizeRowsBackward(const TensorView& y, const TensorView& norms, float eps,
                                       const TensorView& dy, const TensorView& dx) {
  // With s = ||x|| and y = x / (s + eps): dx = (dy - y <dy, y> s / (s + eps)) / (s + eps)
  auto out = y.matrix();
  auto gradOut = dy.matrix();
  const Eigen::ArrayXf s = norms.vector().array();
  const Eigen::ArrayXf dots = out.cwiseProduct(gradOut).rowwise().sum().array();
  const Eigen::ArrayXf coefficient = dots * s / (s + eps);
  dx.mutableMatrix() =
      ((gradOut.array() - out.array().colwise() * coefficient).colwise() / (s + eps)).matrix();
}

void CpuBackend::stabilizedDivide(const TensorView& r, const TensorView& z, float eps, const TensorView& out) {
  auto zs = z.vector().array();
  const Eigen::ArrayXf denominator = zs + eps * (zs >= 0.0f).select(Eigen::ArrayXf::Ones(zs.size()), -1.0f);
  out.mutableVector().array() =
      (denominator != 0.0f).select(r.vector().array() / denominator, Eigen::ArrayXf::Zero(zs.size()));
}

}  // namespace ffn

// Element-wise ops, activations and reductions on the host (Eigen arrays, vectorised by the compiler).
#include <cassert>
#include <cmath>
#include <numbers>

#include "core/backend/cpu/ActivationValues.h"
#include "core/backend/cpu/CpuBackend.h"

namespace ffn {
namespace {

constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;
// Element-wise ops are split into pieces of this many elements (big enough to amortise a hand-off).
constexpr std::int64_t kGrain = 1 << 15;

// ReLU and ELU backward as plain loops the compiler vectorises (a compare and a blend): dx = dy where x > 0, and
// below 0 for ReLU, dy * (y + alpha) for ELU (y = alpha (e^x - 1) there). The ELU branch computes its value for
// every element: with y read only on one side of the ?: the compiler may not load it speculatively and emits a
// scalar loop with a branch per element (measured: 10% of a Counter-Current step).
void stepBackward(std::int64_t count, const float* __restrict x, const float* __restrict dy,
                  const float* __restrict y, float alpha, float* __restrict dx) {
  if (!y) {
    for (std::int64_t i = 0; i < count; ++i) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
    return;
  }
  for (std::int64_t i = 0; i < count; ++i) {
    const float below = dy[i] * (y[i] + alpha);
    dx[i] = x[i] > 0.0f ? dy[i] : below;
  }
}

}  // namespace

void activationValues(ActivationKind kind, float alpha, const float* x, float* y, std::int64_t count) {
  const Eigen::Map<const Eigen::ArrayXf> in(x, count);
  Eigen::Map<Eigen::ArrayXf> out(y, count);
  switch (kind) {
    case ActivationKind::Identity:
      if (y != x) out = in;
      break;
    case ActivationKind::ReLU: out = in.max(0.0f); break;
    // Arithmetic rather than select(): Eigen 3.4 evaluates select() one scalar (and one libm exp) at a time.
    case ActivationKind::ELU: out = in.max(0.0f) + alpha * (in.min(0.0f).exp() - 1.0f); break;
    case ActivationKind::GELU: out = 0.5f * in * (1.0f + (in * kInvSqrt2).unaryExpr([](float v) { return std::erf(v); })); break;
    case ActivationKind::Tanh: out = in.tanh(); break;
    case ActivationKind::Sigmoid: out = 1.0f / (1.0f + (-in).exp()); break;
  }
}

void CpuBackend::activationForward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y) {
  // Element by element, so split in balanced pieces: at batch 128 a layer's 32K values were one serial piece.
  assert(x.contiguous() && y.contiguous());
  parallelRanges(x.size(), balancedGrain(x.size()), [&](std::int64_t begin, std::int64_t end) {
    activationValues(kind, alpha, x.data() + begin, y.mutableData() + begin, end - begin);
  });
}

void CpuBackend::activationBackward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y,
                                    const TensorView& dy, const TensorView& dx) {
  parallelRanges(x.size(), balancedGrain(x.size()), [&](std::int64_t begin, std::int64_t end) {
  const auto count = end - begin;
  auto in = x.vector().segment(begin, count).array();
  auto out = y.vector().segment(begin, count).array();
  auto gradOut = dy.vector().segment(begin, count).array();
  auto gradIn = dx.mutableVector().segment(begin, count).array();
  switch (kind) {
    case ActivationKind::Identity: gradIn = gradOut; break;
    case ActivationKind::ReLU: stepBackward(count, in.data(), gradOut.data(), nullptr, 0.0f, gradIn.data()); break;
    case ActivationKind::ELU: stepBackward(count, in.data(), gradOut.data(), out.data(), alpha, gradIn.data()); break;
    case ActivationKind::GELU:
      gradIn = gradOut * (0.5f * (1.0f + (in * kInvSqrt2).unaryExpr([](float v) { return std::erf(v); })) + in * kInvSqrt2Pi * (-0.5f * in * in).exp());
      break;
    case ActivationKind::Tanh: gradIn = gradOut * (1.0f - out * out); break;
    case ActivationKind::Sigmoid: gradIn = gradOut * out * (1.0f - out); break;
  }
  });
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
  parallelRanges(x.size(), balancedGrain(x.size()), [&](std::int64_t begin, std::int64_t end) {
    y.mutableVector().segment(begin, end - begin) += alpha * x.vector().segment(begin, end - begin);
  });
}

void CpuBackend::scale(float alpha, const TensorView& x) {
  parallelRanges(x.size(), balancedGrain(x.size()), [&](std::int64_t begin, std::int64_t end) {
    x.mutableVector().segment(begin, end - begin) *= alpha;
  });
}

void CpuBackend::multiply(const TensorView& a, const TensorView& b, const TensorView& out) {
  parallelRanges(a.size(), balancedGrain(a.size()), [&](std::int64_t begin, std::int64_t end) {
    const auto n = end - begin;
    out.mutableVector().segment(begin, n) = a.vector().segment(begin, n).cwiseProduct(b.vector().segment(begin, n));
  });
}

void CpuBackend::subtract(const TensorView& a, const TensorView& b, const TensorView& out) {
  parallelRanges(a.size(), balancedGrain(a.size()), [&](std::int64_t begin, std::int64_t end) {
    const auto n = end - begin;
    out.mutableVector().segment(begin, n) = a.vector().segment(begin, n) - b.vector().segment(begin, n);
  });
}

void CpuBackend::copy(const TensorView& from, const TensorView& to) {
  parallelRanges(from.size(), balancedGrain(from.size()), [&](std::int64_t begin, std::int64_t end) {
    to.mutableVector().segment(begin, end - begin) = from.vector().segment(begin, end - begin);
  });
}

void CpuBackend::fill(float value, const TensorView& x) {
  parallelRanges(x.size(), balancedGrain(x.size()), [&](std::int64_t begin, std::int64_t end) {
    x.mutableVector().segment(begin, end - begin).setConstant(value);
  });
}

double CpuBackend::sum(const TensorView& x) {
  return sumOverPieces(x.size(), kGrain, [&](std::int64_t b, std::int64_t e) {
    return x.vector().segment(b, e - b).cast<double>().sum();
  });
}

double CpuBackend::sumOfSquares(const TensorView& x) {
  return sumOverPieces(x.size(), kGrain, [&](std::int64_t b, std::int64_t e) {
    return x.vector().segment(b, e - b).cast<double>().squaredNorm();
  });
}

bool CpuBackend::allFinite(const TensorView& x) {
  // x - x is 0 for finite values and NaN for NaN and infinities: one vectorised pass.
  return std::isfinite(sumOverPieces(x.size(), balancedGrain(x.size()), [&](std::int64_t b, std::int64_t e) {
    auto piece = x.vector().segment(b, e - b).array();
    return static_cast<double>((piece - piece).sum());
  }));
}

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

void CpuBackend::scaleRows(const TensorView& x, const TensorView& factors, const TensorView& y) {
  // x:[N,F], factors:[N] -> y:[N,F]; split by rows, so every element is one product at any thread count
  const std::int64_t grain = std::max<std::int64_t>(1, kGrain / std::max<std::int64_t>(1, x.cols()));
  parallelRanges(x.rows(), grain, [&](std::int64_t begin, std::int64_t end) {
    const auto count = end - begin;
    y.rowRange(begin, count).mutableMatrix().array() =
        x.rowRange(begin, count).matrix().array().colwise() * factors.vector().segment(begin, count).array();
  });
}

void CpuBackend::gatherRows(const TensorView& x, const TensorView& index, const TensorView& y) {
  // x:[M,F], index:[N] -> y:[N,F]; plain row copies (a view per row would cost more than the copy)
  assert(index.contiguous());
  const std::int64_t cols = y.cols(), xStride = x.rowStride(), yStride = y.rowStride();
  const float* rows = index.data();
  const float* from = x.data();
  float* to = y.mutableData();
  const std::int64_t grain = std::max<std::int64_t>(1, kGrain / std::max<std::int64_t>(1, cols));
  parallelRanges(y.rows(), grain, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t r = begin; r < end; ++r) {
      const auto source = static_cast<std::int64_t>(rows[r]);
      assert(source >= 0 && source < x.rows());
      std::copy_n(from + source * xStride, cols, to + r * yStride);
    }
  });
}

void CpuBackend::stabilizedDivide(const TensorView& r, const TensorView& z, float eps, const TensorView& out) {
  // One pass in pieces over the pool, no temporaries: LRP calls this on [N, units] tensors of whole test batches.
  assert(r.contiguous() && z.contiguous() && out.contiguous());
  const float* rData = r.data();
  const float* zData = z.data();
  float* outData = out.mutableData();
  parallelRanges(z.size(), kGrain, [&](std::int64_t begin, std::int64_t end) {
    const float* __restrict rs = rData + begin;
    const float* __restrict zs = zData + begin;
    float* __restrict o = outData + begin;
    for (std::int64_t i = 0; i < end - begin; ++i) {
      const float d = zs[i] + (zs[i] >= 0.0f ? eps : -eps);
      o[i] = d != 0.0f ? rs[i] / d : 0.0f;
    }
  });
}

}  // namespace ffn

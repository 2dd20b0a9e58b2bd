// Element-wise ops, activations, row-wise softmax / normalisation and the reductions, on the device. Twin:
// core/backend/cpu/Elementwise.cpp.
#include <cassert>
#include <vector>

#include "core/backend/opencl/OpenClBackend.h"

namespace ffn {

using opencl::KernelId;

namespace {

int count(const TensorView& view) { return static_cast<int>(view.size()); }

// The kernels number the activations as the enum does.
static_assert(static_cast<int>(ActivationKind::Identity) == 0 && static_cast<int>(ActivationKind::ReLU) == 1 &&
              static_cast<int>(ActivationKind::ELU) == 2 && static_cast<int>(ActivationKind::GELU) == 3 &&
              static_cast<int>(ActivationKind::Tanh) == 4 && static_cast<int>(ActivationKind::Sigmoid) == 5);

}  // namespace

void OpenClBackend::activationForward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y) {
  // x:[n] -> y:[n] = f(x)
  assert(x.contiguous() && y.contiguous());
  if (y.size() == 0) return;
  run(
      Op::ActivationForward,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer yb = write(y);
        launchElements(KernelId::ActivationForward, y.size(), count(y), static_cast<int>(kind), alpha, xb, offset(x),
                       yb, offset(y));
        wrote(y);
      },
      [&] { onCpu(&CpuBackend::activationForward, kind, alpha, x, y); });
}

void OpenClBackend::activationBackward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y,
                                       const TensorView& dy, const TensorView& dx) {
  // x, y, dy:[n] -> dx:[n] = dy * f'(x)
  if (dx.size() == 0) return;
  run(
      Op::ActivationBackward,
      [&] {
        const cl::Buffer xb = read(x), yb = read(y), dyb = read(dy);
        const cl::Buffer dxb = write(dx);
        launchElements(KernelId::ActivationBackward, dx.size(), count(dx), static_cast<int>(kind), alpha, xb,
                       offset(x), yb, offset(y), dyb, offset(dy), dxb, offset(dx));
        wrote(dx);
      },
      [&] { onCpu(&CpuBackend::activationBackward, kind, alpha, x, y, dy, dx); });
}

void OpenClBackend::softmaxRows(const TensorView& x, const TensorView& y) {
  // x:[N,C] -> y:[N,C]
  if (y.size() == 0) return;
  run(
      Op::SoftmaxRows,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer yb = write(y);
        launchRows(KernelId::SoftmaxRows, x.rows(), static_cast<int>(x.rows()), static_cast<int>(x.cols()), xb,
                   offset(x), stride(x), yb, offset(y), stride(y));
        wrote(y);
      },
      [&] { onCpu(&CpuBackend::softmaxRows, x, y); });
}

void OpenClBackend::softmaxBackward(const TensorView& y, const TensorView& dy, const TensorView& dx) {
  // y, dy:[N,C] -> dx:[N,C] = y * (dy - <dy, y>)
  if (dx.size() == 0) return;
  run(
      Op::SoftmaxBackward,
      [&] {
        const cl::Buffer yb = read(y), dyb = read(dy);
        const cl::Buffer dxb = write(dx);
        launchRows(KernelId::SoftmaxBackward, y.rows(), static_cast<int>(y.rows()), static_cast<int>(y.cols()), yb,
                   offset(y), stride(y), dyb, offset(dy), stride(dy), dxb, offset(dx), stride(dx));
        wrote(dx);
      },
      [&] { onCpu(&CpuBackend::softmaxBackward, y, dy, dx); });
}

void OpenClBackend::axpy(float alpha, const TensorView& x, const TensorView& y) {
  // y:[n] += alpha x:[n]
  assert(x.contiguous() && y.contiguous());
  if (y.size() == 0) return;
  run(
      Op::Axpy,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer yb = write(y, false);
        launchElements(KernelId::Axpy, y.size(), count(y), alpha, xb, offset(x), yb, offset(y));
        wrote(y);
      },
      [&] { onCpu(&CpuBackend::axpy, alpha, x, y); });
}

void OpenClBackend::scale(float alpha, const TensorView& x) {
  // x:[n] *= alpha
  if (x.size() == 0) return;
  run(
      Op::Scale,
      [&] {
        const cl::Buffer xb = write(x, false);
        launchElements(KernelId::Scale, x.size(), count(x), alpha, xb, offset(x));
        wrote(x);
      },
      [&] { onCpu(&CpuBackend::scale, alpha, x); });
}

void OpenClBackend::multiply(const TensorView& a, const TensorView& b, const TensorView& out) {
  // a, b:[n] -> out:[n] = a * b
  if (out.size() == 0) return;
  run(
      Op::Multiply,
      [&] {
        const cl::Buffer ab = read(a), bb = read(b);
        const cl::Buffer ob = write(out);
        launchElements(KernelId::Multiply, out.size(), count(out), ab, offset(a), bb, offset(b), ob, offset(out));
        wrote(out);
      },
      [&] { onCpu(&CpuBackend::multiply, a, b, out); });
}

void OpenClBackend::copy(const TensorView& from, const TensorView& to) {
  // from:[n] -> to:[n]
  if (to.size() == 0) return;
  run(
      Op::Copy,
      [&] {
        const cl::Buffer fb = read(from);
        const cl::Buffer tb = write(to);
        launchElements(KernelId::Copy, to.size(), count(to), fb, offset(from), tb, offset(to));
        wrote(to);
      },
      [&] { onCpu(&CpuBackend::copy, from, to); });
}

void OpenClBackend::fill(float value, const TensorView& x) {
  // x:[n] = value
  if (x.size() == 0) return;
  run(
      Op::Fill,
      [&] {
        const cl::Buffer xb = write(x);
        launchElements(KernelId::Fill, x.size(), count(x), value, xb, offset(x));
        wrote(x);
      },
      [&] { onCpu(&CpuBackend::fill, value, x); });
}

double OpenClBackend::reduce(int mode, const TensorView& x) {
  // x:[n] -> one partial per work-group, added up here in double
  if (x.size() == 0) return 0.0;
  constexpr std::int64_t kMaxGroups = 256;
  const std::int64_t groups =
      std::min(kMaxGroups, (x.size() + static_cast<std::int64_t>(m_reduceGroup) - 1) /
                               static_cast<std::int64_t>(m_reduceGroup));
  const cl::Buffer xb = read(x);
  const cl::Buffer partials = scratch(0, static_cast<std::size_t>(groups) * m_accBytes);
  launch(KernelId::ReducePartials, cl::NDRange(static_cast<std::size_t>(groups) * m_reduceGroup),
         cl::NDRange(m_reduceGroup), count(x), mode, xb, offset(x), partials);
  const std::size_t bytes = static_cast<std::size_t>(groups) * m_accBytes;
  double total = 0.0;
  if (m_accBytes == sizeof(double)) {
    std::vector<double> values(static_cast<std::size_t>(groups));
    m_context->queue().enqueueReadBuffer(partials, CL_TRUE, 0, bytes, values.data());
    for (const double value : values) total += value;
  } else {
    std::vector<float> values(static_cast<std::size_t>(groups));
    m_context->queue().enqueueReadBuffer(partials, CL_TRUE, 0, bytes, values.data());
    for (const float value : values) total += value;
  }
  m_context->countDownload(bytes);
  return total;
}

double OpenClBackend::sum(const TensorView& x) {
  return run(Op::Sum, [&] { return reduce(0, x); }, [&] { return onCpu(&CpuBackend::sum, x); });
}

double OpenClBackend::sumOfSquares(const TensorView& x) {
  return run(Op::SumOfSquares, [&] { return reduce(1, x); }, [&] { return onCpu(&CpuBackend::sumOfSquares, x); });
}

bool OpenClBackend::allFinite(const TensorView& x) {
  return run(Op::AllFinite, [&] { return reduce(2, x) == 0.0; }, [&] { return onCpu(&CpuBackend::allFinite, x); });
}

void OpenClBackend::rowSumOfSquares(const TensorView& x, const TensorView& out) {
  // x:[N,F] -> out:[N]
  if (out.size() == 0) return;
  run(
      Op::RowSumOfSquares,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer ob = write(out);
        launchRows(KernelId::RowSumOfSquares, x.rows(), static_cast<int>(x.rows()), static_cast<int>(x.cols()), xb,
                   offset(x), stride(x), ob, offset(out));
        wrote(out);
      },
      [&] { onCpu(&CpuBackend::rowSumOfSquares, x, out); });
}

void OpenClBackend::normalizeRows(const TensorView& x, float eps, const TensorView& y, const TensorView& norms) {
  // x:[N,F] -> y:[N,F] = x / (||x|| + eps), norms:[N] = ||x||
  if (y.size() == 0) return;
  run(
      Op::NormalizeRows,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer yb = write(y), nb = write(norms);
        launchRows(KernelId::NormalizeRows, x.rows(), static_cast<int>(x.rows()), static_cast<int>(x.cols()), eps, xb,
                   offset(x), stride(x), yb, offset(y), stride(y), nb, offset(norms));
        wrote(y);
        wrote(norms);
      },
      [&] { onCpu(&CpuBackend::normalizeRows, x, eps, y, norms); });
}

void OpenClBackend::normalizeRowsBackward(const TensorView& y, const TensorView& norms, float eps,
                                          const TensorView& dy, const TensorView& dx) {
  // y, dy:[N,F], norms:[N] -> dx:[N,F]
  if (dx.size() == 0) return;
  run(
      Op::NormalizeRowsBackward,
      [&] {
        const cl::Buffer yb = read(y), nb = read(norms), dyb = read(dy);
        const cl::Buffer dxb = write(dx);
        launchRows(KernelId::NormalizeRowsBackward, y.rows(), static_cast<int>(y.rows()), static_cast<int>(y.cols()),
                   eps, yb, offset(y), stride(y), nb, offset(norms), dyb, offset(dy), stride(dy), dxb, offset(dx),
                   stride(dx));
        wrote(dx);
      },
      [&] { onCpu(&CpuBackend::normalizeRowsBackward, y, norms, eps, dy, dx); });
}

void OpenClBackend::stabilizedDivide(const TensorView& r, const TensorView& z, float eps, const TensorView& out) {
  // r, z:[n] -> out:[n] = r / (z + eps sign(z))
  if (out.size() == 0) return;
  run(
      Op::StabilizedDivide,
      [&] {
        const cl::Buffer rb = read(r), zb = read(z);
        const cl::Buffer ob = write(out);
        launchElements(KernelId::StabilizedDivide, out.size(), count(out), eps, rb, offset(r), zb, offset(z), ob,
                       offset(out));
        wrote(out);
      },
      [&] { onCpu(&CpuBackend::stabilizedDivide, r, z, eps, out); });
}

void OpenClBackend::scaleRows(const TensorView& x, const TensorView& factors, const TensorView& y) {
  // x:[N,F], factors:[N] -> y:[N,F]; one work-item per element, so y may be x
  if (y.size() == 0) return;
  run(
      Op::ScaleRows,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer fb = read(factors);
        const cl::Buffer yb = write(y);
        launchMatrix(KernelId::ScaleRows, y.rows(), y.cols(), static_cast<int>(y.rows()), static_cast<int>(y.cols()),
                     xb, offset(x), stride(x), fb, offset(factors), yb, offset(y), stride(y));
        wrote(y);
      },
      [&] { onCpu(&CpuBackend::scaleRows, x, factors, y); });
}

void OpenClBackend::gatherRows(const TensorView& x, const TensorView& index, const TensorView& y) {
  // x:[M,F], index:[N] -> y:[N,F]; one work-item per element of y
  if (y.size() == 0) return;
  run(
      Op::GatherRows,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer ib = read(index);
        const cl::Buffer yb = write(y);
        launchMatrix(KernelId::GatherRows, y.rows(), y.cols(), static_cast<int>(y.rows()), static_cast<int>(y.cols()),
                     xb, offset(x), stride(x), ib, offset(index), yb, offset(y), stride(y));
        wrote(y);
      },
      [&] { onCpu(&CpuBackend::gatherRows, x, index, y); });
}

}  // namespace ffn

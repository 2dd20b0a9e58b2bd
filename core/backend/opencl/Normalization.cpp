// Layer normalisation on the device: a row kernel for y (and for dx), a column kernel for dgamma / dbeta.
// Twin: core/backend/cpu/Normalization.cpp.
#include "core/backend/opencl/OpenClBackend.h"

namespace ffn {

using opencl::KernelId;

void OpenClBackend::layerNormForward(const TensorView& x, float eps, const TensorView& gamma, const TensorView& beta,
                                     const TensorView& y, const TensorView& mean, const TensorView& rstd) {
  // x:[N,F] -> y:[N,F]; mean, rstd:[N]
  if (y.size() == 0) return;
  run(
      Op::LayerNormForward,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer gb = gamma.valid() ? read(gamma) : m_dummy;
        const cl::Buffer bb = beta.valid() ? read(beta) : m_dummy;
        const cl::Buffer yb = write(y), mb = write(mean), rb = write(rstd);
        launchRows(KernelId::LayerNormForward, x.rows(), static_cast<int>(x.rows()), static_cast<int>(x.cols()), eps,
                   xb, offset(x), stride(x), gb, gamma.valid() ? offset(gamma) : 0, gamma.valid() ? 1 : 0, bb,
                   beta.valid() ? offset(beta) : 0, beta.valid() ? 1 : 0, yb, offset(y), stride(y), mb, offset(mean),
                   rb, offset(rstd));
        wrote(y);
        wrote(mean);
        wrote(rstd);
      },
      [&] { onCpu(&CpuBackend::layerNormForward, x, eps, gamma, beta, y, mean, rstd); });
}

void OpenClBackend::layerNormBackward(const TensorView& x, const TensorView& gamma, const TensorView& mean,
                                      const TensorView& rstd, const TensorView& dy, const TensorView& dx,
                                      const TensorView& dgamma, const TensorView& dbeta) {
  // x, dy:[N,F], mean, rstd:[N] -> dx:[N,F]; dgamma, dbeta:[F] += ...
  if (dx.size() == 0) return;
  run(
      Op::LayerNormBackward,
      [&] {
        const int rows = static_cast<int>(x.rows()), cols = static_cast<int>(x.cols());
        const cl::Buffer xb = read(x), mb = read(mean), rb = read(rstd), dyb = read(dy);
        const cl::Buffer gb = gamma.valid() ? read(gamma) : m_dummy;
        // Every buffer first, then the kernels: a failure must not leave dgamma accumulated once already.
        const cl::Buffer dgb = dgamma.valid() ? write(dgamma, false) : m_dummy;
        const cl::Buffer dbb = dbeta.valid() ? write(dbeta, false) : m_dummy;
        const cl::Buffer dxb = write(dx);
        if (dgamma.valid() || dbeta.valid())
          launchElements(KernelId::LayerNormParamGrads, cols, rows, cols, xb, offset(x), stride(x), mb, offset(mean),
                         rb, offset(rstd), dyb, offset(dy), stride(dy), dgb, dgamma.valid() ? offset(dgamma) : 0,
                         dgamma.valid() ? 1 : 0, dbb, dbeta.valid() ? offset(dbeta) : 0, dbeta.valid() ? 1 : 0);
        launchRows(KernelId::LayerNormBackward, rows, rows, cols, xb, offset(x), stride(x), gb,
                   gamma.valid() ? offset(gamma) : 0, gamma.valid() ? 1 : 0, mb, offset(mean), rb, offset(rstd), dyb,
                   offset(dy), stride(dy), dxb, offset(dx), stride(dx));
        wrote(dx);
        if (dgamma.valid()) wrote(dgamma);
        if (dbeta.valid()) wrote(dbeta);
      },
      [&] { onCpu(&CpuBackend::layerNormBackward, x, gamma, mean, rstd, dy, dx, dgamma, dbeta); });
}

}  // namespace ffn

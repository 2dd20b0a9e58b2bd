// Max and average pooling on the device. Twin: core/backend/cpu/Pooling.cpp.
#include "core/backend/opencl/OpenClBackend.h"

namespace ffn {

using opencl::KernelId;

void OpenClBackend::maxPoolForward(const Window2d& w, const TensorView& x, const TensorView& y,
                                   const TensorView& argmax) {
  // x:[N,C,H,W] -> y, argmax:[N,C,OH,OW]
  const std::int64_t total = x.rows() * w.channels * w.outHeight() * w.outWidth();
  if (total == 0) return;
  run(
      Op::MaxPoolForward,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer yb = write(y), ab = write(argmax);
        launchElements(KernelId::MaxPoolForward, total, static_cast<int>(total), windowArgs(w), xb, offset(x), yb,
                       offset(y), ab, offset(argmax));
        wrote(y);
        wrote(argmax);
      },
      [&] { onCpu(&CpuBackend::maxPoolForward, w, x, y, argmax); });
}

void OpenClBackend::maxPoolBackward(const Window2d& w, const TensorView& argmax, const TensorView& dy,
                                    const TensorView& dx) {
  // argmax, dy:[N,C,OH,OW] -> dx:[N,C,H,W]
  const std::int64_t total = dx.rows() * w.channels * w.height * w.width;
  if (total == 0) return;
  // A window lying wholly in the padding (pad >= kernel) names a pixel it does not cover, which the kernel's
  // gather cannot see: such geometry runs on the CPU (it is never useful, but it is legal).
  if (w.padH >= w.kernelH || w.padW >= w.kernelW) return onCpu(&CpuBackend::maxPoolBackward, w, argmax, dy, dx);
  run(
      Op::MaxPoolBackward,
      [&] {
        const cl::Buffer ab = read(argmax), dyb = read(dy);
        const cl::Buffer dxb = write(dx);
        launchElements(KernelId::MaxPoolBackward, total, static_cast<int>(total), windowArgs(w), ab, offset(argmax),
                       dyb, offset(dy), dxb, offset(dx));
        wrote(dx);
      },
      [&] { onCpu(&CpuBackend::maxPoolBackward, w, argmax, dy, dx); });
}

void OpenClBackend::avgPoolForward(const Window2d& w, const TensorView& x, const TensorView& y) {
  // x:[N,C,H,W] -> y:[N,C,OH,OW]
  const std::int64_t total = x.rows() * w.channels * w.outHeight() * w.outWidth();
  if (total == 0) return;
  run(
      Op::AvgPoolForward,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer yb = write(y);
        launchElements(KernelId::AvgPoolForward, total, static_cast<int>(total), windowArgs(w), xb, offset(x), yb,
                       offset(y));
        wrote(y);
      },
      [&] { onCpu(&CpuBackend::avgPoolForward, w, x, y); });
}

void OpenClBackend::avgPoolBackward(const Window2d& w, const TensorView& dy, const TensorView& dx) {
  // dy:[N,C,OH,OW] -> dx:[N,C,H,W]
  const std::int64_t total = dx.rows() * w.channels * w.height * w.width;
  if (total == 0) return;
  run(
      Op::AvgPoolBackward,
      [&] {
        const cl::Buffer dyb = read(dy);
        const cl::Buffer dxb = write(dx);
        launchElements(KernelId::AvgPoolBackward, total, static_cast<int>(total), windowArgs(w), dyb, offset(dy), dxb,
                       offset(dx));
        wrote(dx);
      },
      [&] { onCpu(&CpuBackend::avgPoolBackward, w, dy, dx); });
}

}  // namespace ffn

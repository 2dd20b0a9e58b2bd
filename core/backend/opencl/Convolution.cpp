// im2col / col2im and the channel transposes on the device. Twin: core/backend/cpu/Convolution.cpp.
#include "core/backend/opencl/OpenClBackend.h"

namespace ffn {

using opencl::KernelId;

void OpenClBackend::im2col(const Window2d& w, const TensorView& x, const TensorView& cols) {
  // x:[N,C,H,W] -> cols:[N*OH*OW, C*KH*KW]
  const std::int64_t total = x.rows() * w.outHeight() * w.outWidth() * w.channels * w.kernelH * w.kernelW;
  if (total == 0) return;
  run(
      Op::Im2Col,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer cb = write(cols);
        launchElements(KernelId::Im2Col, total, static_cast<int>(total), windowArgs(w), xb, offset(x), cb,
                       offset(cols));
        wrote(cols);
      },
      [&] { onCpu(&CpuBackend::im2col, w, x, cols); });
}

void OpenClBackend::col2im(const Window2d& w, const TensorView& cols, const TensorView& dx) {
  // cols:[N*OH*OW, C*KH*KW] -> dx:[N,C,H,W] (overwritten: the sum of the columns that read each pixel)
  const std::int64_t total = dx.rows() * w.channels * w.height * w.width;
  if (total == 0) return;
  run(
      Op::Col2Im,
      [&] {
        const cl::Buffer cb = read(cols);
        const cl::Buffer db = write(dx);
        launchElements(KernelId::Col2Im, total, static_cast<int>(total), windowArgs(w), cb, offset(cols), db,
                       offset(dx));
        wrote(dx);
      },
      [&] { onCpu(&CpuBackend::col2im, w, cols, dx); });
}

void OpenClBackend::channelsLastToFirst(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                                        const TensorView& to) {
  // [N, HW, C] -> [N, C, HW]
  const std::int64_t total = n * hw * c;
  if (total == 0) return;
  run(
      Op::ChannelsLastToFirst,
      [&] {
        const cl::Buffer fb = read(from);
        const cl::Buffer tb = write(to);
        launchElements(KernelId::ChannelsLastToFirst, total, static_cast<int>(total), static_cast<int>(hw),
                       static_cast<int>(c), fb, offset(from), tb, offset(to));
        wrote(to);
      },
      [&] { onCpu(&CpuBackend::channelsLastToFirst, n, hw, c, from, to); });
}

void OpenClBackend::channelsFirstToLast(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                                        const TensorView& to) {
  // [N, C, HW] -> [N, HW, C]
  const std::int64_t total = n * hw * c;
  if (total == 0) return;
  run(
      Op::ChannelsFirstToLast,
      [&] {
        const cl::Buffer fb = read(from);
        const cl::Buffer tb = write(to);
        launchElements(KernelId::ChannelsFirstToLast, total, static_cast<int>(total), static_cast<int>(hw),
                       static_cast<int>(c), fb, offset(from), tb, offset(to));
        wrote(to);
      },
      [&] { onCpu(&CpuBackend::channelsFirstToLast, n, hw, c, from, to); });
}

}  // namespace ffn

// im2col / col2im and the channel transposes that turn a batched convolution into one GEMM:
// x:[N,C,H,W] -> cols:[N*OH*OW, C*KH*KW]; y' = cols * W^T:[N*OH*OW, OC]; y = channels-first(y'):[N,OC,OH,OW].
// Each splits the samples over the threads (every sample's output is its own: the same bits at any count).
#include <algorithm>

#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/cpu/WindowPositions.h"

namespace ffn {

void CpuBackend::im2col(const Window2d& w, const TensorView& x, const TensorView& cols) {
  const std::int64_t patch = w.channels * w.kernelH * w.kernelW, pixels = w.outHeight() * w.outWidth();
  const std::int64_t planeSize = w.height * w.width, sampleSize = w.channels * planeSize;
  const float* in = x.data();
  float* out = cols.mutableData();
  hostParallel(x.rows(), [&](std::int64_t first, std::int64_t last) {
    for (std::int64_t s = first; s < last; ++s) {
      float* row = out + s * pixels * patch;  // one row of cols per window, in window order
      forEachWindowPosition(w, [&](std::int64_t iy0, std::int64_t ix0, bool inside) {
        for (std::int64_t c = 0; c < w.channels; ++c) {
          const float* plane = in + s * sampleSize + c * planeSize;
          for (std::int64_t iy = iy0; iy < iy0 + w.kernelH; ++iy) {
            const bool rowOk = iy >= 0 && iy < w.height;
            for (std::int64_t ix = ix0; ix < ix0 + w.kernelW; ++ix)
              *row++ = inside || (rowOk && ix >= 0 && ix < w.width) ? plane[iy * w.width + ix] : 0.0f;
          }
        }
      });
    }
  });
}

void CpuBackend::col2im(const Window2d& w, const TensorView& cols, const TensorView& dx) {
  const std::int64_t patch = w.channels * w.kernelH * w.kernelW, pixels = w.outHeight() * w.outWidth();
  const std::int64_t planeSize = w.height * w.width, sampleSize = w.channels * planeSize;
  const float* in = cols.data();
  float* out = dx.mutableData();
  hostParallel(dx.rows(), [&](std::int64_t first, std::int64_t last) {
    std::fill(out + first * sampleSize, out + last * sampleSize, 0.0f);
    for (std::int64_t s = first; s < last; ++s) {
      const float* row = in + s * pixels * patch;
      forEachWindowPosition(w, [&](std::int64_t iy0, std::int64_t ix0, bool inside) {
        for (std::int64_t c = 0; c < w.channels; ++c) {
          float* plane = out + s * sampleSize + c * planeSize;
          for (std::int64_t iy = iy0; iy < iy0 + w.kernelH; ++iy) {
            const bool rowOk = iy >= 0 && iy < w.height;
            for (std::int64_t ix = ix0; ix < ix0 + w.kernelW; ++ix, ++row)
              if (inside || (rowOk && ix >= 0 && ix < w.width)) plane[iy * w.width + ix] += *row;
          }
        }
      });
    }
  });
}

namespace {

// Transposes the [rows, cols] block of each sample in [first, last): the two channel orders are each other's
// transpose.
void transposeEachSample(std::int64_t first, std::int64_t last, std::int64_t rows, std::int64_t cols,
                         const float* in, float* out) {
  for (std::int64_t s = first; s < last; ++s) {
    ConstMatrixMap source(in + s * rows * cols, rows, cols);
    MatrixMap target(out + s * rows * cols, cols, rows);
    target = source.transpose();
  }
}

}  // namespace

void CpuBackend::channelsLastToFirst(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                                     const TensorView& to) {
  const float* in = from.data();
  float* out = to.mutableData();
  hostParallel(n, [&](std::int64_t first, std::int64_t last) {
    transposeEachSample(first, last, hw, c, in, out);  // [N, HW, C] -> [N, C, HW]
  });
}

void CpuBackend::channelsFirstToLast(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                                     const TensorView& to) {
  const float* in = from.data();
  float* out = to.mutableData();
  hostParallel(n, [&](std::int64_t first, std::int64_t last) {
    transposeEachSample(first, last, c, hw, in, out);  // [N, C, HW] -> [N, HW, C]
  });
}

}  // namespace ffn

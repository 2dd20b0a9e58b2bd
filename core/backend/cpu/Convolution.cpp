// im2col / col2im and the channel transposes that turn a batched convolution into one GEMM:
// x:[N,C,H,W] -> cols:[N*OH*OW, C*KH*KW]; y' = cols * W^T:[N*OH*OW, OC]; y = channels-first(y'):[N,OC,OH,OW].
// Each splits the samples over the threads (every sample's output is its own: the same bits at any count).
#include <algorithm>

#include "core/backend/cpu/CpuBackend.h"

namespace ffn {

namespace {

// Calls visit(sample, pixel, iy0, ix0, inside) for every output pixel of the samples [first, last): pixel is its
// row in cols, (iy0, ix0) its window's top-left corner in the input, inside whether the whole window lies in the
// image (most do: those copy without bounds checks, which took most of im2col's time).
template <typename Visit>
void forEachPixel(const Window2d& w, std::int64_t first, std::int64_t last, Visit&& visit) {
  const std::int64_t oh = w.outHeight(), ow = w.outWidth();
  for (std::int64_t s = first; s < last; ++s)
    for (std::int64_t y = 0; y < oh; ++y) {
      const std::int64_t iy0 = y * w.strideH - w.padH;
      const bool rowInside = iy0 >= 0 && iy0 + w.kernelH <= w.height;
      for (std::int64_t x = 0; x < ow; ++x) {
        const std::int64_t ix0 = x * w.strideW - w.padW;
        visit(s, (s * oh + y) * ow + x, iy0, ix0, rowInside && ix0 >= 0 && ix0 + w.kernelW <= w.width);
      }
    }
}

}  // namespace

void CpuBackend::im2col(const Window2d& w, const TensorView& x, const TensorView& cols) {
  const std::int64_t patch = w.channels * w.kernelH * w.kernelW;
  const std::int64_t planeSize = w.height * w.width, sampleSize = w.channels * planeSize;
  const float* in = x.data();
  float* out = cols.mutableData();
  hostParallel(x.rows(), [&](std::int64_t first, std::int64_t last) {
    forEachPixel(w, first, last,
                 [&](std::int64_t s, std::int64_t pixel, std::int64_t iy0, std::int64_t ix0, bool inside) {
      float* row = out + pixel * patch;
      for (std::int64_t c = 0; c < w.channels; ++c) {
        const float* plane = in + s * sampleSize + c * planeSize;
        for (std::int64_t iy = iy0; iy < iy0 + w.kernelH; ++iy) {
          const bool rowOk = iy >= 0 && iy < w.height;
          for (std::int64_t ix = ix0; ix < ix0 + w.kernelW; ++ix)
            *row++ = inside || (rowOk && ix >= 0 && ix < w.width) ? plane[iy * w.width + ix] : 0.0f;
        }
      }
    });
  });
}

void CpuBackend::col2im(const Window2d& w, const TensorView& cols, const TensorView& dx) {
  const std::int64_t patch = w.channels * w.kernelH * w.kernelW;
  const std::int64_t planeSize = w.height * w.width, sampleSize = w.channels * planeSize;
  const float* in = cols.data();
  float* out = dx.mutableData();
  hostParallel(dx.rows(), [&](std::int64_t first, std::int64_t last) {
    std::fill(out + first * sampleSize, out + last * sampleSize, 0.0f);
    forEachPixel(w, first, last,
                 [&](std::int64_t s, std::int64_t pixel, std::int64_t iy0, std::int64_t ix0, bool inside) {
      const float* row = in + pixel * patch;
      for (std::int64_t c = 0; c < w.channels; ++c) {
        float* plane = out + s * sampleSize + c * planeSize;
        for (std::int64_t iy = iy0; iy < iy0 + w.kernelH; ++iy) {
          const bool rowOk = iy >= 0 && iy < w.height;
          for (std::int64_t ix = ix0; ix < ix0 + w.kernelW; ++ix, ++row)
            if (inside || (rowOk && ix >= 0 && ix < w.width)) plane[iy * w.width + ix] += *row;
        }
      }
    });
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

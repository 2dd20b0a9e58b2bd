// im2col / col2im and the channel transposes that turn a batched convolution into one GEMM:
// x:[N,C,H,W] -> cols:[N*OH*OW, C*KH*KW]; y' = cols * W^T:[N*OH*OW, OC]; y = channels-first(y'):[N,OC,OH,OW].
// Each splits the samples over the threads (every sample's output is its own: the same bits at any count).
#include <algorithm>

#include "core/backend/cpu/CpuBackend.h"

namespace ffn {

void CpuBackend::im2col(const Window2d& w, const TensorView& x, const TensorView& cols) {
  const std::int64_t n = x.rows(), oh = w.outHeight(), ow = w.outWidth();
  const std::int64_t patch = w.channels * w.kernelH * w.kernelW;
  const std::int64_t sampleSize = w.channels * w.height * w.width;
  const float* in = x.data();
  float* out = cols.mutableData();
  hostParallel(n, [&](std::int64_t first, std::int64_t last) {
  for (std::int64_t s = first; s < last; ++s) {
    const float* sample = in + s * sampleSize;
    for (std::int64_t y = 0; y < oh; ++y) {
      for (std::int64_t xo = 0; xo < ow; ++xo) {
        float* row = out + ((s * oh + y) * ow + xo) * patch;
        for (std::int64_t c = 0; c < w.channels; ++c) {
          const float* plane = sample + c * w.height * w.width;
          for (std::int64_t ky = 0; ky < w.kernelH; ++ky) {
            const std::int64_t iy = y * w.strideH - w.padH + ky;
            for (std::int64_t kx = 0; kx < w.kernelW; ++kx) {
              const std::int64_t ix = xo * w.strideW - w.padW + kx;
              const bool inside = iy >= 0 && iy < w.height && ix >= 0 && ix < w.width;
              *row++ = inside ? plane[iy * w.width + ix] : 0.0f;
            }
          }
        }
      }
    }
  }
  });
}

void CpuBackend::col2im(const Window2d& w, const TensorView& cols, const TensorView& dx) {
  const std::int64_t n = dx.rows(), oh = w.outHeight(), ow = w.outWidth();
  const std::int64_t patch = w.channels * w.kernelH * w.kernelW;
  const std::int64_t sampleSize = w.channels * w.height * w.width;
  const float* in = cols.data();
  float* out = dx.mutableData();
  hostParallel(n, [&](std::int64_t first, std::int64_t last) {
  std::fill(out + first * sampleSize, out + last * sampleSize, 0.0f);
  for (std::int64_t s = first; s < last; ++s) {
    float* sample = out + s * sampleSize;
    for (std::int64_t y = 0; y < oh; ++y) {
      for (std::int64_t xo = 0; xo < ow; ++xo) {
        const float* row = in + ((s * oh + y) * ow + xo) * patch;
        for (std::int64_t c = 0; c < w.channels; ++c) {
          float* plane = sample + c * w.height * w.width;
          for (std::int64_t ky = 0; ky < w.kernelH; ++ky) {
            const std::int64_t iy = y * w.strideH - w.padH + ky;
            for (std::int64_t kx = 0; kx < w.kernelW; ++kx, ++row) {
              const std::int64_t ix = xo * w.strideW - w.padW + kx;
              if (iy >= 0 && iy < w.height && ix >= 0 && ix < w.width) plane[iy * w.width + ix] += *row;
            }
          }
        }
      }
    }
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

// Max and average pooling over [N, C, H, W] on the host, samples split over the threads (each writes only its
// own samples: the same bits at any thread count). Windows may overlap (stride < kernel), so the backward passes
// accumulate. Average pooling divides by the full window (padding counts as zeros).
#include <algorithm>
#include <limits>

#include "core/backend/cpu/CpuBackend.h"

namespace ffn {
namespace {

// Calls visit(outputIndex, plane offset of the sample/channel, window start y/x) for every output cell of the
// samples [first, last).
template <typename Visit>
void forEachWindow(const Window2d& w, std::int64_t first, std::int64_t last, Visit&& visit) {
  const std::int64_t oh = w.outHeight(), ow = w.outWidth();
  std::int64_t output = first * w.channels * oh * ow;
  for (std::int64_t plane = first * w.channels; plane < last * w.channels; ++plane)
    for (std::int64_t y = 0; y < oh; ++y)
      for (std::int64_t x = 0; x < ow; ++x) visit(output++, plane, y * w.strideH - w.padH, x * w.strideW - w.padW);
}

}  // namespace

void CpuBackend::maxPoolForward(const Window2d& w, const TensorView& x, const TensorView& y, const TensorView& argmax) {
  const float* in = x.data();
  float* out = y.mutableData();
  float* winner = argmax.mutableData();
  const std::int64_t planeSize = w.height * w.width, sampleSize = w.channels * planeSize;
  hostParallel(x.rows(), [&](std::int64_t first, std::int64_t last) {
  forEachWindow(w, first, last, [&](std::int64_t o, std::int64_t plane, std::int64_t y0, std::int64_t x0) {
    const std::int64_t sampleStart = (plane / w.channels) * sampleSize;
    const std::int64_t planeStart = plane * planeSize;
    float best = -std::numeric_limits<float>::infinity();
    std::int64_t bestIndex = planeStart;
    for (std::int64_t ky = 0; ky < w.kernelH; ++ky)
      for (std::int64_t kx = 0; kx < w.kernelW; ++kx) {
        const std::int64_t iy = y0 + ky, ix = x0 + kx;
        if (iy < 0 || iy >= w.height || ix < 0 || ix >= w.width) continue;
        const std::int64_t index = planeStart + iy * w.width + ix;
        if (in[index] > best) best = in[index], bestIndex = index;
      }
    out[o] = best;
    winner[o] = static_cast<float>(bestIndex - sampleStart);  // exact: one sample has < 2^24 elements
  });
  });
}

void CpuBackend::maxPoolBackward(const Window2d& w, const TensorView& argmax, const TensorView& dy,
                                 const TensorView& dx) {
  const float* winner = argmax.data();
  const float* gradOut = dy.data();
  float* gradIn = dx.mutableData();
  const std::int64_t n = dx.rows(), sampleSize = w.channels * w.height * w.width;
  const std::int64_t outPerSample = w.channels * w.outHeight() * w.outWidth();
  hostParallel(n, [&](std::int64_t first, std::int64_t last) {
    std::fill(gradIn + first * sampleSize, gradIn + last * sampleSize, 0.0f);
    for (std::int64_t s = first; s < last; ++s)
      for (std::int64_t o = 0; o < outPerSample; ++o) {
        const std::int64_t i = s * outPerSample + o;
        gradIn[s * sampleSize + static_cast<std::int64_t>(winner[i])] += gradOut[i];
      }
  });
}

void CpuBackend::avgPoolForward(const Window2d& w, const TensorView& x, const TensorView& y) {
  const float* in = x.data();
  float* out = y.mutableData();
  const float inverseArea = 1.0f / static_cast<float>(w.kernelH * w.kernelW);
  const std::int64_t planeSize = w.height * w.width;
  hostParallel(x.rows(), [&](std::int64_t first, std::int64_t last) {
  forEachWindow(w, first, last, [&](std::int64_t o, std::int64_t plane, std::int64_t y0, std::int64_t x0) {
    float total = 0.0f;
    for (std::int64_t ky = 0; ky < w.kernelH; ++ky)
      for (std::int64_t kx = 0; kx < w.kernelW; ++kx) {
        const std::int64_t iy = y0 + ky, ix = x0 + kx;
        if (iy >= 0 && iy < w.height && ix >= 0 && ix < w.width) total += in[plane * planeSize + iy * w.width + ix];
      }
    out[o] = total * inverseArea;
  });
  });
}

void CpuBackend::avgPoolBackward(const Window2d& w, const TensorView& dy, const TensorView& dx) {
  const float* gradOut = dy.data();
  float* gradIn = dx.mutableData();
  const float inverseArea = 1.0f / static_cast<float>(w.kernelH * w.kernelW);
  const std::int64_t planeSize = w.height * w.width;
  const std::int64_t sampleSize = w.channels * planeSize;
  hostParallel(dx.rows(), [&](std::int64_t first, std::int64_t last) {
  std::fill(gradIn + first * sampleSize, gradIn + last * sampleSize, 0.0f);
  forEachWindow(w, first, last, [&](std::int64_t o, std::int64_t plane, std::int64_t y0, std::int64_t x0) {
    const float share = gradOut[o] * inverseArea;
    for (std::int64_t ky = 0; ky < w.kernelH; ++ky)
      for (std::int64_t kx = 0; kx < w.kernelW; ++kx) {
        const std::int64_t iy = y0 + ky, ix = x0 + kx;
        if (iy >= 0 && iy < w.height && ix >= 0 && ix < w.width) gradIn[plane * planeSize + iy * w.width + ix] += share;
      }
  });
  });
}

}  // namespace ffn

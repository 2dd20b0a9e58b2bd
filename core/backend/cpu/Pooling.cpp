// Max and average pooling over [N, C, H, W] on the host, samples split over the threads (each writes only its
// own samples: the same bits at any thread count). Windows may overlap (stride < kernel), so the backward passes
// accumulate. Average pooling divides by the full window (padding counts as zeros).
#include <algorithm>
#include <limits>

#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/cpu/WindowPositions.h"

namespace ffn {
namespace {

// Calls visit(outputIndex, plane, channel, window start y/x, inside) for every output cell of the n samples,
// their samples split over the backend's threads; plane counts (sample, channel) pairs (WindowPositions.h says
// the rest).
template <typename Visit>
void forEachWindow(Backend& backend, const Window2d& w, std::int64_t n, Visit&& visit) {
  backend.hostParallel(n, [&](std::int64_t first, std::int64_t last) {
    std::int64_t output = first * w.channels * w.outHeight() * w.outWidth();
    for (std::int64_t sample = first; sample < last; ++sample)
      for (std::int64_t channel = 0; channel < w.channels; ++channel) {
        const std::int64_t plane = sample * w.channels + channel;
        forEachWindowPosition(w, [&](std::int64_t y0, std::int64_t x0, bool inside) {
          visit(output++, plane, channel, y0, x0, inside);
        });
      }
  });
}

}  // namespace

void CpuBackend::maxPoolForward(const Window2d& w, const TensorView& x, const TensorView& y, const TensorView& argmax) {
  const float* in = x.data();
  float* out = y.mutableData();
  float* winner = argmax.mutableData();
  const std::int64_t planeSize = w.height * w.width;
  forEachWindow(*this, w, x.rows(),
                [&](std::int64_t o, std::int64_t plane, std::int64_t channel, std::int64_t y0, std::int64_t x0,
                    bool inside) {
                  const std::int64_t planeStart = plane * planeSize;
                  float best = -std::numeric_limits<float>::infinity();
                  std::int64_t bestIndex = planeStart;
                  for (std::int64_t iy = y0; iy < y0 + w.kernelH; ++iy)
                    for (std::int64_t ix = x0; ix < x0 + w.kernelW; ++ix) {
                      if (!inside && (iy < 0 || iy >= w.height || ix < 0 || ix >= w.width)) continue;
                      const std::int64_t index = planeStart + iy * w.width + ix;
                      if (in[index] > best) best = in[index], bestIndex = index;
                    }
                  out[o] = best;
                  // Within its sample: the channel's offset plus the position (exact: a sample has < 2^24 values).
                  winner[o] = static_cast<float>(bestIndex - planeStart + channel * planeSize);
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
  forEachWindow(*this, w, x.rows(),
                [&](std::int64_t o, std::int64_t plane, std::int64_t, std::int64_t y0, std::int64_t x0, bool inside) {
                  float total = 0.0f;
                  for (std::int64_t iy = y0; iy < y0 + w.kernelH; ++iy)
                    for (std::int64_t ix = x0; ix < x0 + w.kernelW; ++ix)
                      if (inside || (iy >= 0 && iy < w.height && ix >= 0 && ix < w.width))
                        total += in[plane * planeSize + iy * w.width + ix];
                  out[o] = total * inverseArea;
                });
}

void CpuBackend::avgPoolBackward(const Window2d& w, const TensorView& dy, const TensorView& dx) {
  const float* gradOut = dy.data();
  float* gradIn = dx.mutableData();
  const float inverseArea = 1.0f / static_cast<float>(w.kernelH * w.kernelW);
  const std::int64_t planeSize = w.height * w.width;
  // Cleared first: windows may overlap, so the pass adds.
  std::fill_n(gradIn, dx.size(), 0.0f);
  forEachWindow(*this, w, dx.rows(),
                [&](std::int64_t o, std::int64_t plane, std::int64_t, std::int64_t y0, std::int64_t x0, bool inside) {
                  const float share = gradOut[o] * inverseArea;
                  for (std::int64_t iy = y0; iy < y0 + w.kernelH; ++iy)
                    for (std::int64_t ix = x0; ix < x0 + w.kernelW; ++ix)
                      if (inside || (iy >= 0 && iy < w.height && ix >= 0 && ix < w.width))
                        gradIn[plane * planeSize + iy * w.width + ix] += share;
                });
}

}  // namespace ffn

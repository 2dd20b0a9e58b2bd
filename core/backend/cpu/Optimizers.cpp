// Optimiser updates on the host. Weight decay: L2 added to the gradient for SGD and momentum, decoupled
// (AdamW, Loshchilov & Hutter) for Adam.
#include <algorithm>
#include <cmath>

#include "core/backend/cpu/CpuBackend.h"

namespace ffn {

namespace {

// Adam and momentum are several statements, each a sweep over its arrays. Done over a whole piece (four arrays
// of 128 KB, beyond L2) every statement fetched the moments and weights again from L3; done per
// block of this many elements (16 KB for four arrays) they stay in L1 between statements. Block boundaries are
// multiples of 8 floats, so vectorisation (and every result bit) is unchanged.
constexpr std::int64_t kCacheBlock = 1024;

// Calls fn(begin, n) over [begin, end) in blocks of kCacheBlock.
template <typename Fn>
void forEachCacheBlock(std::int64_t begin, std::int64_t end, Fn&& fn) {
  for (std::int64_t b = begin; b < end; b += kCacheBlock) fn(b, std::min(kCacheBlock, end - b));
}

}  // namespace

void CpuBackend::sgdUpdate(float learningRate, float weightDecay, const TensorView& grad, const TensorView& param) {
  parallelRanges(param.size(), balancedGrain(param.size()), [&](std::int64_t begin, std::int64_t end) {
    auto p = param.mutableVector().segment(begin, end - begin);
    auto g = grad.vector().segment(begin, end - begin);
    if (weightDecay != 0.0f)
      p -= learningRate * (g + weightDecay * p);
    else
      p -= learningRate * g;
  });
}

void CpuBackend::momentumUpdate(float learningRate, float momentum, bool nesterov, float weightDecay,
                                const TensorView& grad, const TensorView& velocity, const TensorView& param) {
  // PyTorch's form: v = mu v + g; p -= lr * (nesterov ? g + mu v : v), with g += wd p first
  parallelRanges(param.size(), balancedGrain(param.size()), [&](std::int64_t begin, std::int64_t end) {
    forEachCacheBlock(begin, end, [&](std::int64_t b, std::int64_t n) {
      auto p = param.mutableVector().segment(b, n).array();
      auto v = velocity.mutableVector().segment(b, n).array();
      auto g = grad.vector().segment(b, n).array();
      v = momentum * v + g + weightDecay * p;
      if (nesterov)
        p -= learningRate * (g + weightDecay * p + momentum * v);
      else
        p -= learningRate * v;
    });
  });
}

void CpuBackend::adamUpdate(const AdamSettings& s, const TensorView& grad, const TensorView& m, const TensorView& v,
                            const TensorView& param) {
  const auto t = static_cast<double>(s.step);
  const float correction1 = static_cast<float>(1.0 - std::pow(static_cast<double>(s.beta1), t));
  const float correction2 = static_cast<float>(1.0 - std::pow(static_cast<double>(s.beta2), t));
  const float stepSize = s.learningRate / correction1;
  const float rootCorrection2 = std::sqrt(correction2);
  parallelRanges(param.size(), balancedGrain(param.size()), [&](std::int64_t begin, std::int64_t end) {
    forEachCacheBlock(begin, end, [&](std::int64_t b, std::int64_t n) {
      auto p = param.mutableVector().segment(b, n).array();
      auto g = grad.vector().segment(b, n).array();
      auto first = m.mutableVector().segment(b, n).array();
      auto second = v.mutableVector().segment(b, n).array();
      first = s.beta1 * first + (1.0f - s.beta1) * g;
      second = s.beta2 * second + (1.0f - s.beta2) * g.square();
      if (s.weightDecay != 0.0f) p *= 1.0f - s.learningRate * s.weightDecay;
      p -= stepSize * first / (second.sqrt() / rootCorrection2 + s.epsilon);
    });
  });
}

}  // namespace ffn

// Optimiser updates on the host. Weight decay: L2 added to the gradient for SGD and momentum, decoupled
// (AdamW, Loshchilov & Hutter) for Adam. Denormals are flushed to zero in the updates (FlushDenormals.h).
#include <algorithm>
#include <cmath>

#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/cpu/FlushDenormals.h"

namespace ffn {

namespace {

// Momentum is two statements, each a sweep over its arrays (Adam is one loop, adamRange below). Done over a whole
// piece (arrays of 128 KB, beyond L2) every statement fetched the velocity and weights again from L3; done per
// block of this many elements (12 KB for three arrays) they stay in L1 between statements. Block boundaries are
// multiples of 8 floats, so vectorisation (and every result bit) is unchanged.
constexpr std::int64_t kCacheBlock = 1024;

// Calls fn(begin, n) over [begin, end) in blocks of kCacheBlock.
template <typename Fn>
void forEachCacheBlock(std::int64_t begin, std::int64_t end, Fn&& fn) {
  for (std::int64_t b = begin; b < end; b += kCacheBlock) fn(b, std::min(kCacheBlock, end - b));
}

// Adam's constants for one step, by value: the loop below then keeps them in registers.
struct AdamStep {
  float beta1, beta2;
  AdamStepConstants folded;
};

// Element by element: the moments, then the weight in the efficient form (AdamStepConstants, Backend.h). A
// function of its own with restrict arguments, so the loop is vectorised.
void adamRange(std::int64_t n, const AdamStep c, const float* __restrict g, float* __restrict first,
               float* __restrict second, float* __restrict p) {
  for (std::int64_t i = 0; i < n; ++i) {
    const float mi = c.beta1 * first[i] + (1.0f - c.beta1) * g[i];
    const float vi = c.beta2 * second[i] + (1.0f - c.beta2) * (g[i] * g[i]);
    first[i] = mi;
    second[i] = vi;
    p[i] = p[i] * c.folded.decayFactor - c.folded.stepSize * mi / (std::sqrt(vi) + c.folded.epsilon);
  }
}

}  // namespace

void CpuBackend::sgdUpdate(float learningRate, float weightDecay, const TensorView& grad, const TensorView& param) {
  parallelRanges(param.size(), balancedGrain(param.size()), [&](std::int64_t begin, std::int64_t end) {
    const FlushDenormals flush;
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
    const FlushDenormals flush;  // the velocity decays like Adam's moments
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
  const AdamStep step{s.beta1, s.beta2, adamStepConstants(s)};
  // One pass, each element's whole update at once: its division and square root then overlap the loads of the
  // next elements from L3. As three sweeps per cache block (the moments, then the weights) the divider waited for
  // memory and memory for the divider: 1.4x slower at the Fashion-MNIST MLP's 235K weights. The file is built with
  // -fno-math-errno (core/CMakeLists.txt), without which std::sqrt keeps the loop scalar.
  // The host pointers are taken here, once: a Tensor hands out its host data on one thread at a time.
  float* const pData = param.mutableData();
  const float* const gData = grad.data();
  float* const mData = m.mutableData();
  float* const vData = v.mutableData();
  const int threads = threadCount();
  if (!s.tensors.empty() && threads > 1) {
    // Each thread the rows of each tensor that its share of the layer's forward product reads (the units of its
    // panels, firstPanelOfShare): updated here, they are still in that core's cache when the forward packs them.
    // The Fashion-MNIST MLP's update went from 73 to 66 us per step, and packing the first layer's weights for
    // the forward product from 26 to 23 us (thread by thread, pieces claimed in any order, it was the other
    // core's cache half the time).
    m_pool->run(threads, [&](int t) {
      const FlushDenormals flush;
      for (const WeightRows& tensor : s.tensors) {
        constexpr std::int64_t kPanel = packed::PackedMatrix::kPanelColumns;
        const std::int64_t first = std::min(tensor.rows, firstPanelOfShare(tensor.rows, t, threads) * kPanel);
        const std::int64_t last = std::min(tensor.rows, firstPanelOfShare(tensor.rows, t + 1, threads) * kPanel);
        const std::int64_t begin = tensor.offset + first * tensor.columns, count = (last - first) * tensor.columns;
        adamRange(count, step, gData + begin, mData + begin, vData + begin, pData + begin);
      }
    });
    return;
  }
  parallelRanges(param.size(), balancedGrain(param.size()), [&](std::int64_t begin, std::int64_t end) {
    const FlushDenormals flush;  // see FlushDenormals.h: decayed moments otherwise cost 1.5x
    adamRange(end - begin, step, gData + begin, mData + begin, vData + begin, pData + begin);
  });
}

}  // namespace ffn

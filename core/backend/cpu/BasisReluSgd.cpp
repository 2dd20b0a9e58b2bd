// CpuBackend::basisReluSgdStep: the backward pass of the basis-input two-layer ReLU network and a plain SGD step in
// one pass over the hidden units (declared in CpuBackend.h).
//
// Why fused: Backend::basisReluBackward writes gradient buffers as large as the weights ([in,m] and [out,m]) that
// the optimiser then reads back with the weights in further passes; at k = 30, m = 50,000 an epoch moved ~70 MB
// through memory for ~90M multiply-adds. Here the hidden units are visited one strip of 16 at a time (one 64-byte
// line of every row): dh = g W2 is formed from the strip of the old W2, then each row of dW2 = g^T h is formed in
// registers and subtracted from W2 at once, and relu'(pre) * dh from the gathered rows of W1^T and from b1. Each
// weight is read and written once; no gradient buffer exists. Every sum runs in the same order as in
// basisReluBackward (rows, then outputs, ascending, from zero), so the gradients are the same bits; only the
// update's rounding may differ from Backend::sgdUpdate's (the compiler may fuse its multiply and subtract).
//
// The strips go block by block (BasisReluForwardPass's blocks of 128 units). When asked, each block, right after
// its step, is fed to a BasisReluForwardPass while it is still in L1/L2: the next epoch's outputs come out of this
// pass, the same bits as basisReluForward on the stepped weights, and each epoch sweeps the weights in memory once
// instead of twice (at k = 30, m = 50,000 the forward's own sweep was ~40% of an epoch).
#include <algorithm>
#include <vector>

#include "core/backend/BasisReluForwardPass.h"
#include "core/backend/HostVec.h"
#include "core/backend/cpu/CpuBackend.h"

namespace ffn {
namespace {

using namespace hostvec;  // NOLINT: the kernels' vocabulary (Vec, load, store, splat)

constexpr std::int64_t kStrip = 2 * kLanes;  // units per strip: 64 bytes of each row
constexpr std::int64_t kAhead = 8 * kStrip;  // how far ahead (in units) rows are prefetched
constexpr int kTileRows = 6;                 // result rows per register tile: 12 accumulators of 16 registers

Vec relu(Vec a) { return a < Vec{} ? Vec{} : a; }  // lane by lane as std::max(a, 0.0f), as basisReluForward

// The training rows grouped by the position of their one: rows sharing a position add their gradients there.
struct Groups {
  std::vector<std::int64_t> position;  // per group
  std::vector<int> first, count;       // per group: its rows in `rows`
  std::vector<int> rows;               // row indices, group by group, ascending within a group
};

Groups groupRows(const TensorView& index) {
  const auto n = static_cast<int>(index.size());
  Groups g;
  for (int r = 0; r < n; ++r) {
    const auto p = static_cast<std::int64_t>(index.data()[r]);
    if (std::find(g.position.begin(), g.position.end(), p) == g.position.end()) g.position.push_back(p);
  }
  for (std::int64_t p : g.position) {
    g.first.push_back(static_cast<int>(g.rows.size()));
    for (int r = 0; r < n; ++r)
      if (static_cast<std::int64_t>(index.data()[r]) == p) g.rows.push_back(r);
    g.count.push_back(static_cast<int>(g.rows.size()) - g.first.back());
  }
  return g;
}

// For result rows [r0, r0 + R): s[t] = sum over c < inner, ascending, of coef[(r0 + t) * inner + c] * rhs row c
// (16 units at rhs + c * stride); sink(r0 + t, s[t][0], s[t][1]) receives each.
template <int R, typename Sink>
[[gnu::always_inline]] inline void stripTile(const float* coef, std::int64_t inner, const float* rhs, std::int64_t stride, int r0, Sink&& sink) {
  Vec s[R][2] = {};
  for (std::int64_t c = 0; c < inner; ++c) {
    const float* x = rhs + c * stride;
    const Vec x0 = load(x), x1 = load(x + kLanes);
    for (int t = 0; t < R; ++t) {
      const Vec g = splat(coef[(r0 + t) * inner + c]);
      s[t][0] += g * x0;
      s[t][1] += g * x1;
    }
  }
  for (int t = 0; t < R; ++t) sink(r0 + t, s[t][0], s[t][1]);
}

template <typename Sink>
[[gnu::always_inline]] inline void stripProduct(const float* coef, int rows, std::int64_t inner, const float* rhs, std::int64_t stride, Sink&& sink) {
  int r0 = 0;
  for (; r0 + kTileRows <= rows; r0 += kTileRows) stripTile<kTileRows>(coef, inner, rhs, stride, r0, sink);
  switch (rows - r0) {
    case 5: stripTile<5>(coef, inner, rhs, stride, r0, sink); break;
    case 4: stripTile<4>(coef, inner, rhs, stride, r0, sink); break;
    case 3: stripTile<3>(coef, inner, rhs, stride, r0, sink); break;
    case 2: stripTile<2>(coef, inner, rhs, stride, r0, sink); break;
    case 1: stripTile<1>(coef, inner, rhs, stride, r0, sink); break;
    default: break;
  }
}

struct Step {
  const Groups& groups;
  const float* g;   // [N, out]
  const float* gT;  // [out, N]
  int n = 0, outs = 0;
  float lr = 0.0f, scaleW1 = 1.0f, scaleW2 = 1.0f;
  std::vector<float> h, dh;         // [N, kStrip] each
};

// One strip of 16 units: w1[gi] = the strip of group gi's w1t row, b1 and w2 (rows `stride` apart) at the strip.
void stepStrip(Step& s, float* const* w1, float* b1, float* w2, std::int64_t stride) {
  const Vec bias0 = load(b1), bias1 = load(b1 + kLanes);
  for (std::size_t gi = 0; gi < s.groups.position.size(); ++gi)
    for (int i = 0; i < s.groups.count[gi]; ++i) {
      float* hr = s.h.data() + s.groups.rows[static_cast<std::size_t>(s.groups.first[gi] + i)] * kStrip;
      store(hr, relu(load(w1[gi]) + bias0));
      store(hr + kLanes, relu(load(w1[gi] + kLanes) + bias1));
    }
  // dh = g W2 from the old W2: [N,out] x [out,16]
  stripProduct(s.g, s.n, s.outs, w2, stride, [&](int r, Vec a, Vec b) {
    store(s.dh.data() + r * kStrip, a);
    store(s.dh.data() + r * kStrip + kLanes, b);
  });
  // W2 -= lr * scaleW2 * g^T h: [out,N] x [N,16], row by row as it is formed
  const Vec lr = splat(s.lr), scale2 = splat(s.scaleW2), scale1 = splat(s.scaleW1);
  stripProduct(s.gT, s.outs, s.n, s.h.data(), kStrip, [&](int o, Vec a, Vec b) {
    float* w = w2 + o * stride;
    store(w, load(w) - lr * (a * scale2));
    store(w + kLanes, load(w + kLanes) - lr * (b * scale2));
  });
  // dpre = relu'(pre) dh (ReLU'(0) = 0, as in PyTorch; pre > 0 exactly where h > 0); b1 and W1^T rows
  Vec db[2] = {};
  for (int r = 0; r < s.n; ++r)
    for (int half = 0; half < 2; ++half) {
      float* d = s.dh.data() + r * kStrip + half * kLanes;
      const Vec v = load(s.h.data() + r * kStrip + half * kLanes) > Vec{} ? load(d) : Vec{};
      store(d, v);
      db[half] += v;
    }
  for (std::size_t gi = 0; gi < s.groups.position.size(); ++gi)
    for (int half = 0; half < 2; ++half) {
      const int* rows = s.groups.rows.data() + s.groups.first[gi];
      Vec grad = load(s.dh.data() + rows[0] * kStrip + half * kLanes);
      for (int i = 1; i < s.groups.count[gi]; ++i) grad += load(s.dh.data() + rows[i] * kStrip + half * kLanes);
      float* w = w1[gi] + half * kLanes;
      store(w, load(w) - lr * (grad * scale1));
    }
  store(b1, bias0 - lr * db[0]);
  store(b1 + kLanes, bias1 - lr * db[1]);
}

// The last units, fewer than a strip (from unit j, `width` of them): a zero-padded copy of the strip, stepped, and
// copied back.
void stepLastUnits(Step& s, std::int64_t j, std::int64_t width, std::int64_t m, float* W1, float* B1, float* W2) {
  const std::size_t groupCount = s.groups.position.size();
  std::vector<float*> w1(groupCount);
  std::vector<float> w1Pad(groupCount * kStrip, 0.0f), b1Pad(kStrip, 0.0f),
      w2Pad(static_cast<std::size_t>(s.outs * kStrip), 0.0f);
  for (std::size_t gi = 0; gi < groupCount; ++gi) {
    w1[gi] = w1Pad.data() + gi * kStrip;
    std::copy_n(W1 + s.groups.position[gi] * m + j, width, w1[gi]);
  }
  std::copy_n(B1 + j, width, b1Pad.data());
  for (int o = 0; o < s.outs; ++o) std::copy_n(W2 + o * m + j, width, w2Pad.data() + o * kStrip);
  stepStrip(s, w1.data(), b1Pad.data(), w2Pad.data(), kStrip);
  for (std::size_t gi = 0; gi < groupCount; ++gi) std::copy_n(w1[gi], width, W1 + s.groups.position[gi] * m + j);
  std::copy_n(b1Pad.data(), width, B1 + j);
  for (int o = 0; o < s.outs; ++o) std::copy_n(w2Pad.data() + o * kStrip, width, W2 + o * m + j);
}

}  // namespace

void CpuBackend::basisReluSgdStep(const TensorView& index, const TensorView& gradOut, float learningRate,
                                  float scaleW1, float scaleW2, const TensorView& w1t, const TensorView& b1,
                                  const TensorView& w2, const TensorView& b2, const TensorView& nextOut) {
  // gradOut:[N,out] -> w1t:[in,m], b1:[m], w2:[out,m], b2:[out] stepped in place; nextOut:[N,out] when valid
  const Groups groups = groupRows(index);
  const auto n = static_cast<int>(index.size());
  const auto outs = static_cast<int>(w2.rows());
  const std::int64_t m = w1t.cols();
  const float* g = gradOut.data();
  std::vector<float> gT(static_cast<std::size_t>(outs * n));
  for (int r = 0; r < n; ++r)
    for (int o = 0; o < outs; ++o) gT[static_cast<std::size_t>(o * n + r)] = g[r * outs + o];
  Step s{groups, g, gT.data(), n, outs, learningRate, scaleW1, scaleW2, {}, {}};
  s.h.resize(static_cast<std::size_t>(n * kStrip));
  s.dh.resize(s.h.size());
  const std::size_t groupCount = groups.position.size();
  std::vector<float*> w1(groupCount);
  float* W1 = w1t.mutableData();
  float* B1 = b1.mutableData();
  float* W2 = w2.mutableData();
  const bool forward = nextOut.valid();
  std::vector<std::int64_t> rows;
  for (int r = 0; r < n; ++r) rows.push_back(static_cast<std::int64_t>(index.data()[r]));
  BasisReluForwardPass pass(forward ? rows : std::vector<std::int64_t>{}, forward ? outs : 0);
  for (std::int64_t j0 = 0; j0 < m; j0 += basisrelu::kBlock) {
    const basisrelu::Block blk = basisrelu::Block::at(j0, m);
    const std::int64_t end = j0 + blk.width;
    std::int64_t j = j0;
    for (; j + kStrip <= end; j += kStrip) {
      for (std::size_t gi = 0; gi < groupCount; ++gi) {
        w1[gi] = W1 + groups.position[gi] * m + j;
        if (j + kAhead < m) __builtin_prefetch(w1[gi] + kAhead, 1);
      }
      if (j + kAhead < m)
        for (int o = 0; o < outs; ++o) __builtin_prefetch(W2 + o * m + j + kAhead, 1);
      stepStrip(s, w1.data(), B1 + j, W2 + j, m);
    }
    if (j < end) stepLastUnits(s, j, end - j, m, W1, B1, W2);
    // the block's updated units are still in cache: their share of the next epoch's outputs
    if (forward) pass.addBlock(W1, B1, W2, m, blk);
  }
  float* B2 = b2.mutableData();
  for (int o = 0; o < outs; ++o) {
    float sum = 0.0f;
    for (int r = 0; r < n; ++r) sum += g[r * outs + o];
    B2[o] -= learningRate * sum;
  }
  if (forward) pass.finish(B2, nextOut.mutableData());
}

}  // namespace ffn

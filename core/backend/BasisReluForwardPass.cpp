#include "core/backend/BasisReluForwardPass.h"

#include <algorithm>
#include <cstring>

namespace ffn {

using namespace hostvec;  // NOLINT: the kernels' vocabulary (Vec, load, store, splat)

namespace basisrelu {

Block Block::at(std::int64_t j0, std::int64_t m) {
  const std::int64_t width = std::min(kBlock, m - j0);
  return {j0, width, (width + 2 * kLanes - 1) / (2 * kLanes) * (2 * kLanes)};
}

void gather(const std::vector<std::int64_t>& rows, const float* w1t, const float* b1, std::int64_t m,
            const Block& blk, Scratch* pre, Scratch& h) {
  const float* bias = b1 + blk.j0;
  for (std::size_t n = 0; n < rows.size(); ++n) {
    const float* w = w1t + rows[n] * m + blk.j0;
    float* a = pre ? pre->row(static_cast<std::int64_t>(n)) : nullptr;
    float* r = h.row(static_cast<std::int64_t>(n));
    std::int64_t j = 0;
    for (; j + kLanes <= blk.width; j += kLanes) {
      const Vec v = load(w + j) + load(bias + j);
      if (a) store(a + j, v);
      store(r + j, v < Vec{} ? Vec{} : v);  // lane by lane as std::max(v, 0.0f)
    }
    for (; j < blk.width; ++j) {
      const float v = w[j] + bias[j];
      if (a) a[j] = v;
      r[j] = std::max(v, 0.0f);
    }
    for (; j < blk.padded; ++j) {
      if (a) a[j] = 0.0f;
      r[j] = 0.0f;
    }
  }
}

void copyBlock(const float* src, std::int64_t rows, std::int64_t m, const Block& blk, Scratch& dst) {
  for (std::int64_t r = 0; r < rows; ++r) {
    float* d = dst.row(r);
    std::memcpy(d, src + r * m + blk.j0, sizeof(float) * static_cast<std::size_t>(blk.width));
    std::fill(d + blk.width, d + blk.padded, 0.0f);
  }
}

}  // namespace basisrelu

namespace {

using basisrelu::Scratch;

// acc[n][o] (kLanes partial sums each) += sum_j h[n][j] w2[o][j] over the block, for RN rows by RO outputs; the
// block's rows of w2 are `stride` apart.
template <int RN, int RO>
[[gnu::always_inline]] inline void forwardTile(Scratch& h, const float* w2, std::int64_t stride, std::int64_t n0,
                                               std::int64_t o0, std::int64_t outs, std::int64_t padded, Vec* acc) {
  Vec s[RN][RO] = {};
  const float* hr[RN];
  const float* wr[RO];
  for (int a = 0; a < RN; ++a) hr[a] = h.row(n0 + a);
  for (int b = 0; b < RO; ++b) wr[b] = w2 + (o0 + b) * stride;
  for (std::int64_t j = 0; j < padded; j += kLanes) {
    Vec x[RN];
    for (int a = 0; a < RN; ++a) x[a] = load(hr[a] + j);
    for (int b = 0; b < RO; ++b) {
      const Vec w = load(wr[b] + j);
      for (int a = 0; a < RN; ++a) s[a][b] += x[a] * w;
    }
  }
  for (int a = 0; a < RN; ++a)
    for (int b = 0; b < RO; ++b) acc[(n0 + a) * outs + o0 + b] += s[a][b];
}

template <int RN>
void forwardRows(Scratch& h, const float* w2, std::int64_t stride, std::int64_t n0, std::int64_t outs,
                 std::int64_t padded, Vec* acc) {
  std::int64_t o0 = 0;
  for (; o0 + 4 <= outs; o0 += 4) forwardTile<RN, 4>(h, w2, stride, n0, o0, outs, padded, acc);
  switch (outs - o0) {
    case 3: forwardTile<RN, 3>(h, w2, stride, n0, o0, outs, padded, acc); break;
    case 2: forwardTile<RN, 2>(h, w2, stride, n0, o0, outs, padded, acc); break;
    case 1: forwardTile<RN, 1>(h, w2, stride, n0, o0, outs, padded, acc); break;
    default: break;
  }
}

// Tiles of 3 rows by 4 outputs: 12 accumulators, 3 rows of h and one of w2 fill AVX2's 16 registers. The tiles'
// shape changes no sum: each (row, output) adds its units in the same order in any tile.
void forwardBlock(Scratch& h, const float* w2, std::int64_t stride, std::int64_t rows, std::int64_t outs,
                  std::int64_t padded, Vec* acc) {
  std::int64_t n0 = 0;
  for (; n0 + 3 <= rows; n0 += 3) forwardRows<3>(h, w2, stride, n0, outs, padded, acc);
  if (rows - n0 == 2) forwardRows<2>(h, w2, stride, n0, outs, padded, acc);
  if (rows - n0 == 1) forwardRows<1>(h, w2, stride, n0, outs, padded, acc);
}

}  // namespace

BasisReluForwardPass::BasisReluForwardPass(std::vector<std::int64_t> rows, std::int64_t outs)
    : m_rows(std::move(rows)),
      m_outs(outs),
      m_h(static_cast<std::int64_t>(m_rows.size()), basisrelu::kBlock),
      m_w2(outs, basisrelu::kBlock),
      m_acc(m_rows.size() * static_cast<std::size_t>(outs), Vec{}) {}

void BasisReluForwardPass::addBlock(const float* w1t, const float* b1, const float* w2, std::int64_t m,
                                    const basisrelu::Block& blk) {
  // units [j0, j0 + width): h:[N,width] = relu(w1t[rows] + b1); acc:[N,out] += h w2^T
  const auto n = static_cast<std::int64_t>(m_rows.size());
  basisrelu::gather(m_rows, w1t, b1, m, blk, nullptr, m_h);
  if (blk.width == blk.padded) {  // whole tiles: w2's rows read in place
    forwardBlock(m_h, w2 + blk.j0, m, n, m_outs, blk.padded, m_acc.data());
  } else {  // the last units: zero-padded copies, so that whole vectors can be loaded
    basisrelu::copyBlock(w2, m_outs, m, blk, m_w2);
    forwardBlock(m_h, m_w2.row(0), basisrelu::kBlock, n, m_outs, blk.padded, m_acc.data());
  }
}

void BasisReluForwardPass::finish(const float* b2, float* out) {
  // acc:[N,out] (kLanes partial sums each) -> out:[N,out]
  const auto count = static_cast<std::int64_t>(m_acc.size());
  for (std::int64_t i = 0; i < count; ++i) {
    float sum = 0.0f;
    for (int l = 0; l < kLanes; ++l) sum += m_acc[static_cast<std::size_t>(i)][l];
    out[i] = sum + b2[i % m_outs];
    m_acc[static_cast<std::size_t>(i)] = Vec{};
  }
}

}  // namespace ffn

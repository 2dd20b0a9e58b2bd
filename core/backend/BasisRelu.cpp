// Host implementation of the basis-input two-layer ReLU ops (declared in Backend.h).
//
// Why hand-written: with k = 10..30 rows and outputs against m = 50,000 hidden units, every product here is a
// GEMM with two tiny dimensions and one huge one, where a general GEMM spends more time packing than multiplying.
// The hidden units are visited in blocks of kBlock (a block's slice of every [*, m] matrix stays in L1/L2), and
// eight consecutive units share one SIMD vector (GCC/Clang vector extensions; the compiler maps them to AVX2,
// SSE or NEON): the backward products then need no horizontal sums at all, and the forward keeps eight partial
// sums per (row, output) that are added once at the end (BasisReluForwardPass, shared with the fused SGD step).
// The order of every sum depends only on the sizes.
#include <algorithm>
#include <cstring>
#include <vector>

#include "core/backend/Backend.h"
#include "core/backend/BasisReluForwardPass.h"
#include "core/backend/HostVec.h"

namespace ffn {
namespace {

using namespace hostvec;  // NOLINT: the kernels' vocabulary (Vec, load, store, splat)

using basisrelu::Block;
using basisrelu::kBlock;
using basisrelu::Scratch;

std::vector<std::int64_t> positions(const TensorView& index) {
  std::vector<std::int64_t> rows(static_cast<std::size_t>(index.size()));
  for (std::size_t n = 0; n < rows.size(); ++n) rows[n] = static_cast<std::int64_t>(index.data()[n]);
  return rows;
}

// out[r] = sum_c coef[r][c] rhs[c] over two vectors of the block at j, for R rows; coef is [rows, inner].
template <int R>
void productTile(const float* coef, std::int64_t inner, Scratch& rhs, std::int64_t r0, std::int64_t j, Scratch& out) {
  Vec s[R][2] = {};
  for (std::int64_t c = 0; c < inner; ++c) {
    const float* x = rhs.row(c) + j;
    const Vec x0 = load(x), x1 = load(x + kLanes);
    for (int t = 0; t < R; ++t) {
      const Vec g = splat(coef[(r0 + t) * inner + c]);
      s[t][0] += g * x0;
      s[t][1] += g * x1;
    }
  }
  for (int t = 0; t < R; ++t) {
    store(out.row(r0 + t) + j, s[t][0]);
    store(out.row(r0 + t) + j + kLanes, s[t][1]);
  }
}

// out[r][j] = sum_c coef[r][c] rhs[c][j] for the block; coef:[rows, inner] row-major. A strip of two vectors of
// every rhs row stays in L1 while all rows of the result are made from it.
void productBlock(const float* coef, std::int64_t inner, Scratch& rhs, std::int64_t rows, std::int64_t padded,
                  Scratch& out) {
  for (std::int64_t j = 0; j < padded; j += 2 * kLanes) {
    std::int64_t r0 = 0;
    for (; r0 + 4 <= rows; r0 += 4) productTile<4>(coef, inner, rhs, r0, j, out);
    switch (rows - r0) {
      case 3: productTile<3>(coef, inner, rhs, r0, j, out); break;
      case 2: productTile<2>(coef, inner, rhs, r0, j, out); break;
      case 1: productTile<1>(coef, inner, rhs, r0, j, out); break;
      default: break;
    }
  }
}

// target[j] += relu'(a[j]) d[j] and bias[j] += the same, for j < width.
void scatterRow(const float* a, const float* d, std::int64_t width, float* target, float* bias) {
  std::int64_t j = 0;
  for (; j + kLanes <= width; j += kLanes) {
    const Vec v = load(a + j) > Vec{} ? load(d + j) : Vec{};  // ReLU'(0) = 0, as in PyTorch
    store(target + j, load(target + j) + v);
    store(bias + j, load(bias + j) + v);
  }
  for (; j < width; ++j) {
    const float v = a[j] > 0.0f ? d[j] : 0.0f;
    target[j] += v;
    bias[j] += v;
  }
}

}  // namespace

void Backend::basisReluForward(const TensorView& index, const TensorView& w1t, const TensorView& b1,
                               const TensorView& w2, const TensorView& b2, const TensorView& out) {
  // index:[N] -> out:[N,out] = relu(W1 e_index + b1)^T W2^T + b2
  const std::int64_t m = w1t.cols();
  BasisReluForwardPass pass(positions(index), w2.rows());
  for (std::int64_t j0 = 0; j0 < m; j0 += kBlock)
    pass.addBlock(w1t.data(), b1.data(), w2.data(), m, Block::at(j0, m));
  pass.finish(b2.data(), out.mutableData());
}

void Backend::basisReluBackward(const TensorView& index, const TensorView& w1t, const TensorView& b1,
                                const TensorView& w2, const TensorView& gradOut, const TensorView& dw1t,
                                const TensorView& db1, const TensorView& dw2, const TensorView& db2) {
  // gradOut:[N,out] -> dw1t:[in,m], db1:[m], dw2:[out,m] = g^T h, db2:[out]; dh = (g W2) * relu'(pre)
  const auto rows = positions(index);
  const auto n = static_cast<std::int64_t>(rows.size());
  const std::int64_t m = w1t.cols(), outs = w2.rows(), inputs = w1t.rows();
  const float* g = gradOut.data();
  float* dW1t = dw1t.mutableData();
  float* dB1 = db1.mutableData();
  float* dW2 = dw2.mutableData();
  for (std::int64_t o = 0; o < outs; ++o) {
    float sum = 0.0f;
    for (std::int64_t r = 0; r < n; ++r) sum += g[r * outs + o];
    db2.mutableData()[o] = sum;
  }
  std::vector<float> gT(static_cast<std::size_t>(outs * n));  // g transposed: the coefficients of dw2 = g^T h
  for (std::int64_t r = 0; r < n; ++r)
    for (std::int64_t o = 0; o < outs; ++o) gT[static_cast<std::size_t>(o * n + r)] = g[r * outs + o];
  Scratch pre(n, kBlock), h(n, kBlock), w2Block(outs, kBlock), dw2Block(outs, kBlock), dh(n, kBlock);
  for (std::int64_t j0 = 0; j0 < m; j0 += kBlock) {
    const Block blk = Block::at(j0, m);
    const std::int64_t width = blk.width;
    basisrelu::gather(rows, w1t.data(), b1.data(), m, blk, &pre, h);
    basisrelu::copyBlock(w2.data(), outs, m, blk, w2Block);
    productBlock(gT.data(), n, h, outs, blk.padded, dw2Block);  // dw2[o] = sum_r g[r][o] h[r]
    productBlock(g, outs, w2Block, n, blk.padded, dh);          // dh[r] = sum_o g[r][o] w2[o]
    for (std::int64_t o = 0; o < outs; ++o)
      std::memcpy(dW2 + o * m + j0, dw2Block.row(o), sizeof(float) * static_cast<std::size_t>(width));
    for (std::int64_t i = 0; i < inputs; ++i) std::fill_n(dW1t + i * m + j0, width, 0.0f);
    std::fill_n(dB1 + j0, width, 0.0f);
    for (std::int64_t r = 0; r < n; ++r)
      scatterRow(pre.row(r), dh.row(r), width, dW1t + rows[static_cast<std::size_t>(r)] * m + j0, dB1 + j0);
  }
}

}  // namespace ffn

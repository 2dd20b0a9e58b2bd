#pragma once
// BasisReluForwardPass: the forward pass of the basis-input two-layer ReLU network, out = relu(W1 e_index + b1)^T
// W2^T + b2, fed one block of hidden units at a time. Backend::basisReluForward feeds it every block of the
// weights in one sweep; CpuBackend::basisReluSgdStep feeds it each block right after stepping it, while the block
// is still in cache, so that the next epoch's outputs cost no second sweep over the weights. Both give the same
// bits: every sum runs in an order fixed by the sizes alone (blocks ascending, kLanes partial sums per output
// added at the end).
//
// Also the blocks' shared vocabulary (padded scratch rows, the gather of pre-activations) for the backward pass in
// core/backend/BasisRelu.cpp.
#include <cstdint>
#include <vector>

#include "core/backend/HostVec.h"

namespace ffn {

namespace basisrelu {

// Units per block: a multiple of 2 * kLanes (the product tiles' width), and small enough that a block's rows of h
// and of w2 (k = 30: 2 x 15 KB) share L1 in the forward's tiles (256 was measured 7-16% slower at k = 20..30).
constexpr std::int64_t kBlock = 128;

// Units [j0, j0 + width) of the hidden layer; `padded` rounds width up to whole tiles (zeros past width).
struct Block {
  std::int64_t j0 = 0, width = 0, padded = 0;
  static Block at(std::int64_t j0, std::int64_t m);
};

// Rows of kBlock floats.
class Scratch {
 public:
  Scratch(std::int64_t rows, std::int64_t cols) : m_cols(cols), m_data(static_cast<std::size_t>(rows * cols), 0.0f) {}
  float* row(std::int64_t r) { return m_data.data() + r * m_cols; }

 private:
  std::int64_t m_cols;
  std::vector<float> m_data;
};

// pre[n] = w1t[rows[n]] + b1 (unless pre is null) and h[n] = relu(pre[n]) over the block (zero past its width);
// w1t is [in, m].
void gather(const std::vector<std::int64_t>& rows, const float* w1t, const float* b1, std::int64_t m,
            const Block& blk, Scratch* pre, Scratch& h);
// Copies a block of rows of a [rows, m] matrix into padded scratch rows (so full vectors can be loaded).
void copyBlock(const float* src, std::int64_t rows, std::int64_t m, const Block& blk, Scratch& dst);

}  // namespace basisrelu

class BasisReluForwardPass {
 public:
  // rows: the position of each input's one ([N]); outs: the network's outputs.
  BasisReluForwardPass(std::vector<std::int64_t> rows, std::int64_t outs);

  // Adds the block's units to the sums: w1t:[in,m], b1:[m], w2:[out,m]. Blocks must come in ascending order, each
  // starting at a multiple of basisrelu::kBlock, for the sums to be the same bits as one sweep's.
  void addBlock(const float* w1t, const float* b1, const float* w2, std::int64_t m, const basisrelu::Block& blk);
  // out:[N,out] = the sums + b2; the sums start afresh.
  void finish(const float* b2, float* out);

 private:
  std::vector<std::int64_t> m_rows;
  std::int64_t m_outs;
  basisrelu::Scratch m_h, m_w2;
  std::vector<hostvec::Vec> m_acc;  // [N, out]: kLanes partial sums each
};

}  // namespace ffn

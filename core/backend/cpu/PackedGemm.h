#pragma once
// A GEMM for products whose B operand (a layer's weights) stays unchanged over many calls, as in LRP and
// evaluation: B is packed once into column panels that a register-tiled AVX-512 micro-kernel reads with aligned
// loads, and the packed copy is kept between calls (PackedWeightsCache). OpenBLAS packs both operands on every
// call; on our shapes (500x256x784 per thread in an LRP batch) that costs 10% of its time, and its kernels reach
// 51-74% of the core's FMA peak there, ours 75-85% (tests/bench/bench_gemm_kernels, 2026-11-30). A is read
// where it lies, not packed (only a partial last tile, or a transposed A, is copied into a tile first).
//
// Every element of C is one fixed chain of FMAs over k (blocks of kKc, in order), whatever the number of rows in
// the call or where the row sits in its tile: a sample's result has the same bits alone or in any batch, split
// over any number of threads.
//
// Only with AVX-512 (the build uses -march=native); available() says whether this build has it, and callers use
// OpenBLAS otherwise.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace ffn::packed {

bool available();

// Rows of C one micro-kernel call computes (A's micro-panel height): callers split rows in multiples of it.
constexpr std::int64_t kTileRows = 14;

// op(B):[k, n] in panels of kPanelColumns columns, each panel k-major ([k][kPanelColumns], zero padded past n),
// 64-byte aligned.
class PackedMatrix {
 public:
  static constexpr std::int64_t kPanelColumns = 32;

  // b: the matrix as stored, with row stride ldb. transposed: B is stored [n, k] and op(B) = B^T (a Dense
  // layer's weights W:[units, in] in x W^T); otherwise stored [k, n] as it is (s W).
  void pack(const float* b, std::int64_t ldb, bool transposed, std::int64_t k, std::int64_t n) {
    packPanels(b, ldb, transposed, k, n, 0, (n + kPanelColumns - 1) / kPanelColumns);
  }
  // Only panels [panelBegin, panelEnd) (the others keep whatever they held): a thread packing the part of B its
  // share of a product reads.
  void packPanels(const float* b, std::int64_t ldb, bool transposed, std::int64_t k, std::int64_t n,
                  std::int64_t panelBegin, std::int64_t panelEnd);

  std::int64_t k() const { return m_k; }
  std::int64_t n() const { return m_n; }
  std::int64_t panels() const { return (m_n + kPanelColumns - 1) / kPanelColumns; }
  std::size_t bytes() const { return m_capacity * sizeof(float); }
  // Row kk of panel p: kPanelColumns floats.
  const float* panelRow(std::int64_t p, std::int64_t kk) const {
    return m_values.get() + (p * m_k + kk) * kPanelColumns;
  }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  std::unique_ptr<float[], Free> m_values;
  std::size_t m_capacity = 0;
  std::int64_t m_k = 0, m_n = 0;
};

// Element-wise work done by the kernel as it stores C's final values (a second pass over C cost 2-7% of an LRP
// product), in this order: C += bias[column]; C *= factor (a matrix shaped like C); C /= stabilised divisor;
// relu = max(C, 0). The matrices are addressed like C: their first row and column 0, with their own row strides.
struct FusedStore {
  const float* bias = nullptr;
  const float* factor = nullptr;
  std::int64_t factorStride = 0;
  float* relu = nullptr;
  std::int64_t reluStride = 0;
  // c = gate > 0 ? c : 0, applied last: an input gradient through the ReLU below, gate being that ReLU's input.
  const float* gate = nullptr;
  std::int64_t gateStride = 0;
  // Set (never cleared) when a final value stored in C is NaN or infinite: a product that vouches for its result
  // (a weight gradient), so no pass over it is needed to find out.
  std::atomic<bool>* nonFinite = nullptr;
  // c = c / (d + stabilizer * sign(d)) (sign(0) = +1), 0 where that is 0, with d from `divisor`, after the
  // factor: LRP's stabilised division for the layer below (Backend::stabilizedDivide), done in the store of the
  // relevance it divides.
  const float* divisor = nullptr;
  std::int64_t divisorStride = 0;
  float stabilizer = 0.0f;
  // The same work for the part of C that starts `rows` rows further down and `columns` columns further right.
  FusedStore at(std::int64_t rows, std::int64_t columns) const {
    FusedStore f = *this;
    auto move = [&](auto*& p, std::int64_t stride) {
      if (p) p += rows * stride + columns;
    };
    move(f.bias, 0);
    move(f.factor, factorStride);
    move(f.relu, reluStride);
    move(f.gate, gateStride);
    move(f.divisor, divisorStride);
    return f;
  }
  bool any() const { return bias || factor || divisor || relu || gate || nonFinite; }
};

// Called after rows [rowBegin, rowBegin + rows) of C hold their final values (and are still in cache).
using RowsDone = std::function<void(std::int64_t rowBegin, std::int64_t rows)>;

// How the A operand is stored and what happens to C's earlier values.
struct Operand {
  bool transposedA = false;  // A stored [k, rows] (a weight gradient's dy^T); lda is then its row stride
  bool addToC = false;       // C += A op(B) instead of C = A op(B)
};

// C[rows, columns of panels [panelBegin, panelEnd)] = A[rows, k] * op(B) for those columns, then `fused`. A: row
// stride lda; C: row stride ldc, pointing at C's first row and column 0. Unless operand.addToC, C is written,
// never read (no clearing needed). `done` (may be empty) is called per block of rows, with rows counted from
// `a`'s first.
void multiply(const float* a, std::int64_t lda, std::int64_t rows, const PackedMatrix& b, std::int64_t panelBegin,
              std::int64_t panelEnd, float* c, std::int64_t ldc, const Operand& operand = {},
              const FusedStore& fused = {}, const RowsDone& done = {});

}  // namespace ffn::packed

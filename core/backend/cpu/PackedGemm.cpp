#include "core/backend/cpu/PackedGemm.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "core/base/VectorLanes.h"

namespace ffn::packed {
namespace {

constexpr std::int64_t kNr = PackedMatrix::kPanelColumns;
constexpr std::int64_t kMr = kTileRows;
// 16-float vectors across a panel.
constexpr int kVectors = static_cast<int>(kNr / 16);
// k per block. Our layers' k (784, 256) is one block: a B panel (k x 32, 100 KB at k = 784) streams from L2
// well, and each further block would store and reload C (256 measured 5-10% slower on the LRP products). Rows
// of A packed per block: 7 tiles (300 KB at k = 784), kept in L2 while every B panel passes.
constexpr std::int64_t kKc = 1024;
constexpr std::int64_t kMc = 7 * kMr;

float* alignedFloats(std::size_t count) {
  void* p = std::aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64);
  if (!p) throw std::bad_alloc();
  return static_cast<float*>(p);
}

// Where a micro-kernel call reads its tile of A, element (i, kk) for i < kMr:
//  - RowMajorTile: a[i * lda + kk], A as stored. No packing pass: packing A through register transposes cost
//    8-9% of an LRP product, and a tile's rows stay in L2 for every panel all the same (kMc). Only whole tiles
//    are read in place (the kernel reads all kMr rows, and rows past A's last could lie past its allocation).
//  - PackedTile: a[kk * kMr + i], a tile packed k-major: a partial tile (zero rows below), or A stored
//    transposed. Read in place, a transposed A steps k by its row stride, often a power of two (256 units:
//    1 KB), so a tile's k steps crowd into a few L1 sets: training's epoch measured 1.5% slower than with every
//    tile packed, and 2% faster with only these packed (paired medians, tests/bench/paired.py).
struct RowMajorTile {
  const float* a;
  std::int64_t lda;
  float at(int i, std::int64_t kk) const { return a[i * lda + kk]; }
};
struct PackedTile {
  const float* a;
  float at(int i, std::int64_t kk) const { return a[kk * kMr + i]; }
};

// A short run of floats (one row of an A tile or of a B panel, at most 32): with AVX-512 two masked moves. As
// memcpy calls, these 56- and 128-byte copies cost more in the call and its size dispatch than in the copy (4%
// of a training epoch's samples were in memmove, once the kernel itself ran near the FMA peak).
inline void copyShortRun(const float* from, std::int64_t count, float* to) {
  assert(count >= 0 && count <= 32);
#if defined(__AVX512F__)
  const __mmask16 first = firstLanes(count);
  _mm512_mask_storeu_ps(to, first, _mm512_maskz_loadu_ps(first, from));
  if (count > 16) {
    const __mmask16 second = firstLanes(count - 16);
    _mm512_mask_storeu_ps(to + 16, second, _mm512_maskz_loadu_ps(second, from + 16));
  }
#else
  std::copy_n(from, count, to);
#endif
}

// `rows` <= kMr rows of A, kc deep, as [kc][kMr] with zero rows below. transposed: A stored [k][rows] (row
// stride lda), each k step a contiguous run; otherwise [rows][k]: only partial tiles, one per product, so a
// plain copy.
void packTile(const float* a, std::int64_t lda, bool transposed, std::int64_t rows, std::int64_t kc, float* out) {
  if (rows < kMr) std::fill_n(out, kc * kMr, 0.0f);
  if (transposed) {
    for (std::int64_t kk = 0; kk < kc; ++kk) copyShortRun(a + kk * lda, rows, out + kk * kMr);
  } else {
    for (std::int64_t i = 0; i < rows; ++i)
      for (std::int64_t kk = 0; kk < kc; ++kk) out[kk * kMr + i] = a[i * lda + kk];
  }
}

#if defined(__AVX512F__)

// Transposes 16 rows of 16 floats in registers: afterwards r[c] holds column c. Four rounds of in-lane and
// cross-lane shuffles (the usual 16x16 scheme); the comments name what each round leaves in r.
void transpose16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {  // t[2i], t[2i+1]: rows 2i, 2i+1 interleaved, columns 4L..4L+1 / 4L+2..4L+3
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  auto pd = [](__m512 x) { return _mm512_castps_pd(x); };
  for (int i = 0; i < 4; ++i) {  // r[4i+j], 128-bit lane L: column 4L+j, rows 4i..4i+3
    r[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(pd(t[4 * i]), pd(t[4 * i + 2])));
    r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(pd(t[4 * i]), pd(t[4 * i + 2])));
    r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(pd(t[4 * i + 1]), pd(t[4 * i + 3])));
    r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(pd(t[4 * i + 1]), pd(t[4 * i + 3])));
  }
  for (int i = 0; i < 2; ++i)  // lanes of (r[8i+j], r[8i+4+j]) gathered two columns apart
    for (int j = 0; j < 4; ++j) {
      t[8 * i + j] = _mm512_shuffle_f32x4(r[8 * i + j], r[8 * i + 4 + j], 0x88);
      t[8 * i + 4 + j] = _mm512_shuffle_f32x4(r[8 * i + j], r[8 * i + 4 + j], 0xdd);
    }
  for (int j = 0; j < 8; ++j) {  // r[c]: column c, rows 0..15
    r[j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0x88);
    r[8 + j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0xdd);
  }
}

// Panel rows [0, k) of op(B) = B^T for the B rows [first, first + cols) (cols <= 32): 16 x 16 blocks through
// the register transpose. A half panel past the last column is left as it is (the caller zeroed it): a
// classifier's 10 classes fill a third of a panel.
void packTransposedPanel(const float* b, std::int64_t ldb, std::int64_t first, std::int64_t cols, std::int64_t k,
                         float* panel) {
  for (std::int64_t half = 0; half < cols; half += 16)
    for (std::int64_t k0 = 0; k0 < k; k0 += 16) {
      const std::int64_t width = std::min<std::int64_t>(16, k - k0);
      const __mmask16 loadMask = firstLanes(width);
      __m512 r[16];
      for (std::int64_t j = 0; j < 16; ++j)
        r[j] = half + j < cols ? _mm512_maskz_loadu_ps(loadMask, b + (first + half + j) * ldb + k0)
                               : _mm512_setzero_ps();
      transpose16(r);
      for (std::int64_t c = 0; c < width; ++c) _mm512_store_ps(panel + (k0 + c) * kNr + half, r[c]);
    }
}

// C tile [rows, cols] = (or +=, when accumulating) A micro-panel * B panel over kc, then `fused` (null before
// the last k block): Rows x Vectors zmm accumulators, per k Vectors aligned loads of B and one broadcast of A per
// row. Rows (>= rows) is kMr but for a product's partial last tile, which then computes only the rows it has (at
// batch 128, 9 whole tiles and 2 rows: a full-height kernel did 9% more FMAs than the product needs). Vectors
// (16 columns each, >= cols) is 2 but for a panel of at most 16 columns (784 inputs end in half a panel, 10
// classes fill a third of one). Each element is the same FMA chain at any Rows and Vectors. `fused` points at
// this tile's row 0 and column 0 (bias included).
template <int Rows, typename Tile, int Vectors = kVectors>
void microKernel(std::int64_t kc, Tile ap, const float* __restrict bp, float* c, std::int64_t ldc,
                 std::int64_t rows, std::int64_t cols, bool accumulate, const FusedStore* fused) {
  static_assert(Rows >= 1 && Rows <= kMr && Vectors >= 1 && Vectors <= kVectors);
  __m512 acc[Rows][Vectors];
  for (auto& row : acc)
    for (auto& v : row) v = _mm512_setzero_ps();
  for (std::int64_t kk = 0; kk < kc; ++kk) {
    __m512 b[Vectors];
    for (int v = 0; v < Vectors; ++v) b[v] = _mm512_load_ps(bp + kk * kNr + 16 * v);

    for (int i = 0; i < Rows; ++i) {
      const __m512 a = _mm512_set1_ps(ap.at(i, kk));
      for (int v = 0; v < Vectors; ++v) acc[i][v] = _mm512_fmadd_ps(a, b[v], acc[i][v]);
    }
  }
  // The sums leave the registers once, here, with constant indices: indexed by the run-time row count below, the
  // accumulators themselves would be an array in memory, and GCC then stored all 28 of them on every k step
  // (the in-place A kernel ran at a third of the FMA peak).
  alignas(64) float sums[Rows][16 * Vectors];
#pragma GCC unroll 14
  for (int i = 0; i < Rows; ++i)
    for (int v = 0; v < Vectors; ++v) _mm512_store_ps(&sums[i][16 * v], acc[i][v]);
  __mmask16 masks[Vectors];
  for (int v = 0; v < Vectors; ++v) masks[v] = firstLanes(cols - 16 * v);
  for (std::int64_t i = 0; i < rows; ++i)
    for (int v = 0; v < Vectors; ++v) {
      const __mmask16 mask = masks[v];
      const std::int64_t at = i * ldc + 16 * v;
      __m512 value = _mm512_load_ps(&sums[i][16 * v]);
      if (accumulate) value = _mm512_add_ps(value, _mm512_maskz_loadu_ps(mask, c + at));
      if (fused) {
        if (fused->bias) value = _mm512_add_ps(value, _mm512_maskz_loadu_ps(mask, fused->bias + 16 * v));
        if (fused->factor)
          value = _mm512_mul_ps(value, _mm512_maskz_loadu_ps(mask, fused->factor + i * fused->factorStride + 16 * v));
        if (fused->divisor) {
          const __m512 z = _mm512_maskz_loadu_ps(mask, fused->divisor + i * fused->divisorStride + 16 * v);
          const __m512 eps = _mm512_set1_ps(fused->stabilizer);
          const __m512 d = _mm512_add_ps(
              z, _mm512_mask_blend_ps(_mm512_cmp_ps_mask(z, _mm512_setzero_ps(), _CMP_GE_OQ), -eps, eps));
          value = _mm512_maskz_div_ps(_mm512_cmp_ps_mask(d, _mm512_setzero_ps(), _CMP_NEQ_UQ), value, d);
        }
        if (fused->relu)
          _mm512_mask_storeu_ps(fused->relu + i * fused->reluStride + 16 * v, mask,
                                _mm512_max_ps(value, _mm512_setzero_ps()));
        if (fused->gate) {
          const __m512 gate = _mm512_maskz_loadu_ps(mask, fused->gate + i * fused->gateStride + 16 * v);
          value = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(gate, _mm512_setzero_ps(), _CMP_GT_OQ), value);
        }
        // x - x is 0 for finite x and NaN for NaN and infinities.
        if (fused->nonFinite &&
            _mm512_mask_cmp_ps_mask(mask, _mm512_sub_ps(value, value), _mm512_setzero_ps(), _CMP_NEQ_UQ))
          fused->nonFinite->store(true, std::memory_order_relaxed);
      }
      _mm512_mask_storeu_ps(c + at, mask, value);
    }
}

#else

void packTransposedPanel(const float* b, std::int64_t ldb, std::int64_t first, std::int64_t cols, std::int64_t k,
                         float* panel) {
  for (std::int64_t j = 0; j < cols; ++j) {
    const float* row = b + (first + j) * ldb;
    for (std::int64_t kk = 0; kk < k; ++kk) panel[kk * kNr + j] = row[kk];
  }
}

// The same sums in the same order, one element at a time (fmaf rounds once, as the vector FMA does): builds
// without AVX-512 compute the same bits, slowly. The backend does not use it (available() is false); the
// tests do, so the packing is checked on every machine.
template <int Rows, typename Tile, int Vectors = kVectors>
void microKernel(std::int64_t kc, Tile ap, const float* bp, float* c, std::int64_t ldc, std::int64_t rows,
                 std::int64_t cols, bool accumulate, const FusedStore* fused) {
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j) {
      float acc = 0.0f;
      for (std::int64_t kk = 0; kk < kc; ++kk) acc = std::fmaf(ap.at(static_cast<int>(i), kk), bp[kk * kNr + j], acc);
      float value = accumulate ? acc + c[i * ldc + j] : acc;
      if (fused) {
        if (fused->bias) value += fused->bias[j];
        if (fused->factor) value *= fused->factor[i * fused->factorStride + j];
        if (fused->divisor) {
          const float z = fused->divisor[i * fused->divisorStride + j];
          const float d = z + (z >= 0.0f ? fused->stabilizer : -fused->stabilizer);
          value = d != 0.0f ? value / d : 0.0f;
        }
        if (fused->relu) fused->relu[i * fused->reluStride + j] = value > 0.0f ? value : 0.0f;  // as vmaxps: NaN -> 0
        if (fused->gate) value = fused->gate[i * fused->gateStride + j] > 0.0f ? value : 0.0f;
        if (fused->nonFinite && !std::isfinite(value)) fused->nonFinite->store(true, std::memory_order_relaxed);
      }
      c[i * ldc + j] = value;
    }
}

#endif

// A tile through the kernel that fits it: a packed tile of fewer than kMr rows (zero rows below) through the
// least even height that holds them (six heights cover every partial tile, at most one zero row computed), and a
// tile of at most 16 columns through one vector's width. Tiles read in place are always whole.
template <int Vectors, typename Tile>
void fittedKernel(std::int64_t kc, Tile ap, const float* bp, float* c, std::int64_t ldc, std::int64_t rows,
                  std::int64_t cols, bool accumulate, const FusedStore* fused) {
  if constexpr (std::is_same_v<Tile, PackedTile>) {
    static_assert(kMr == 14, "one case per even height below kMr");
    switch ((rows + 1) / 2) {
      case 1: return microKernel<2, Tile, Vectors>(kc, ap, bp, c, ldc, rows, cols, accumulate, fused);
      case 2: return microKernel<4, Tile, Vectors>(kc, ap, bp, c, ldc, rows, cols, accumulate, fused);
      case 3: return microKernel<6, Tile, Vectors>(kc, ap, bp, c, ldc, rows, cols, accumulate, fused);
      case 4: return microKernel<8, Tile, Vectors>(kc, ap, bp, c, ldc, rows, cols, accumulate, fused);
      case 5: return microKernel<10, Tile, Vectors>(kc, ap, bp, c, ldc, rows, cols, accumulate, fused);
      case 6: return microKernel<12, Tile, Vectors>(kc, ap, bp, c, ldc, rows, cols, accumulate, fused);
      default: break;
    }
  }
  microKernel<kMr, Tile, Vectors>(kc, ap, bp, c, ldc, rows, cols, accumulate, fused);
}

template <typename Tile>
void tileKernel(std::int64_t kc, Tile ap, const float* bp, float* c, std::int64_t ldc, std::int64_t rows,
                std::int64_t cols, bool accumulate, const FusedStore* fused) {
  if (cols <= 16)
    fittedKernel<1>(kc, ap, bp, c, ldc, rows, cols, accumulate, fused);
  else
    fittedKernel<kVectors>(kc, ap, bp, c, ldc, rows, cols, accumulate, fused);
}

// One thread's packed tiles of A (a block of kMc rows, kKc deep), allocated once per thread (the backend's pool
// threads live as long as it does).
float* tileScratch() {
  thread_local std::unique_ptr<float[], void (*)(float*)> scratch(alignedFloats(kMc * kKc),
                                                                 [](float* p) { std::free(p); });
  return scratch.get();
}

}  // namespace

bool available() {
#if defined(__AVX512F__)
  return true;
#else
  return false;
#endif
}

void PackedMatrix::Free::operator()(float* p) const { std::free(p); }

void PackedMatrix::packPanels(const float* b, std::int64_t ldb, bool transposed, std::int64_t k, std::int64_t n,
                              std::int64_t panelBegin, std::int64_t panelEnd) {
  m_k = k;
  m_n = n;
  const auto needed = static_cast<std::size_t>(std::max<std::int64_t>(panels() * k * kNr, 1));
  if (needed > m_capacity) {
    m_values.reset(alignedFloats(needed));
    m_capacity = needed;
  }
  float* out = m_values.get();
  for (std::int64_t p = panelBegin; p < panelEnd; ++p) {
    float* panel = out + p * k * kNr;
    const std::int64_t first = p * kNr, cols = std::min(kNr, n - first);
    if (cols < kNr) std::fill_n(panel, k * kNr, 0.0f);
    if (transposed) {
      packTransposedPanel(b, ldb, first, cols, k, panel);  // op(B)[kk][j] = B[first + j][kk]
    } else {
      for (std::int64_t kk = 0; kk < k; ++kk) copyShortRun(b + kk * ldb + first, cols, panel + kk * kNr);
    }
  }
}

void multiply(const float* a, std::int64_t lda, std::int64_t rows, const PackedMatrix& b, std::int64_t panelBegin,
              std::int64_t panelEnd, float* c, std::int64_t ldc, const Operand& operand, const FusedStore& fused,
              const RowsDone& done) {
  assert(panelBegin >= 0 && panelEnd <= b.panels());
  const std::int64_t k = b.k();
  const bool anyFused = fused.any();
  float* packedTiles = tileScratch();
  for (std::int64_t i0 = 0; i0 < rows; i0 += kMc) {
    const std::int64_t mc = std::min(kMc, rows - i0);
    // Each k block adds to what the earlier ones left in C (the first writes it): the same order for every row.
    // The fused work comes with the last block's stores. k = 0 runs one empty block: C = 0, then the fused work.
    for (std::int64_t k0 = 0; k0 < std::max<std::int64_t>(k, 1); k0 += kKc) {
      const std::int64_t kc = std::min(kKc, k - k0);
      const bool last = k0 + kKc >= k;
      // Rows [i0 + i, ...) of A from column k0 on; which tiles are packed (the others are read in place).
      auto aFrom = [&](std::int64_t i) { return operand.transposedA ? a + k0 * lda + i0 + i : a + (i0 + i) * lda + k0; };
      auto packed = [&](std::int64_t i) { return operand.transposedA || mc - i < kMr; };
      if (kc > 0)
        for (std::int64_t i = 0; i < mc; i += kMr)
          if (packed(i)) packTile(aFrom(i), lda, operand.transposedA, std::min(kMr, mc - i), kc, packedTiles + i * kc);
      for (std::int64_t p = panelBegin; p < panelEnd; ++p) {
        const float* bp = kc > 0 ? b.panelRow(p, k0) : nullptr;
        const std::int64_t cols = std::min(kNr, b.n() - p * kNr);
        for (std::int64_t i = 0; i < mc; i += kMr) {
          const FusedStore tile = fused.at(i0 + i, p * kNr);
          float* cTile = c + (i0 + i) * ldc + p * kNr;
          const std::int64_t tileRows = std::min(kMr, mc - i);
          const bool accumulate = k0 > 0 || operand.addToC;
          const FusedStore* store = last && anyFused ? &tile : nullptr;
          if (packed(i))
            tileKernel(kc, PackedTile{packedTiles + i * kc}, bp, cTile, ldc, tileRows, cols, accumulate, store);
          else
            tileKernel(kc, RowMajorTile{aFrom(i), lda}, bp, cTile, ldc, tileRows, cols, accumulate, store);
        }
      }
    }
    if (done) done(i0, mc);
  }
}

}  // namespace ffn::packed

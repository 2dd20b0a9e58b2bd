// How far OpenBLAS's GEMM is, on our layer shapes, from what a register-tiled AVX-512 kernel reaches when the
// weights operand is packed once and reused: the measurement behind the next step for the engine and LRP speed
// (issues 2 and 5). Both GEMM floors there are OpenBLAS's; OpenBLAS packs both operands on every call, which
// suits large products but costs most on ours (64 or 128 batch rows per thread in training, the same weights
// in every LRP batch).
// For each shape, one thread: OpenBLAS's cblas_sgemm (beta = 0), then our kernel at three register tiles (rows x
// columns of C per micro-kernel call) with the B operand packed beforehand (as a cache of packed weights would
// hold it) and A packed inside the call, then the best tile again with B packed inside every call too (what
// training pays while the weights change each step; the pack here is the plain scalar one). Each figure is the
// best of --repeats timings of 10 calls; every variant's largest difference from OpenBLAS's result is printed.
// Prints one JSON object; on a CPU without AVX-512 only OpenBLAS's figures (the kernels need it).
//   bench_gemm_kernels [--repeats 40]
// Measured 2026-11-30 on a quiet Xeon with AVX-512 (FMA peak 228 GFLOP/s per core): OpenBLAS 138-172 GFLOP/s,
// the 14x32 tile 168-195 (1.10-1.18x on the LRP shapes, 1.27-1.46x on the training ones with B packed once).
// "engine" is the kernel the CPU backend now uses (core/backend/cpu/PackedGemm.h).
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "core/backend/cpu/PackedGemm.h"
#include "tests/bench/BenchSupport.h"

namespace {

// C[m, n] = A[m, k] * op(B); op(B) = W^T for a weights matrix W [n, k] (a Dense forward: x W^T), or B [k, n] as
// it is (a transposed map: s W).
struct Shape {
  const char* use;
  int m, n, k;
  bool transposedB;
};

// The 784-256-256-10 MLP's products per thread at 2 threads: training at batch 128 (forward halves split by
// columns, 64-row halves), and LRP at batch 1000 (500 rows each).
const Shape kShapes[] = {
    {"train forward dense1 (128 rows, half the units)", 128, 128, 784, true},
    {"train forward dense1 (64 rows)", 64, 256, 784, true},
    {"train forward dense2", 128, 256, 256, true},
    {"train input gradient dense2", 128, 256, 256, false},
    {"lrp forward dense1", 500, 256, 784, true},
    {"lrp transpose dense1", 500, 784, 256, false},
    {"lrp forward dense2", 500, 256, 256, true},
    {"lrp transpose dense2", 500, 256, 256, false},
};

// Seconds per call: the best of `repeats` timings of 10 calls (the machine's noise only ever adds time).
template <typename Work>
double bestSeconds(int repeats, Work work) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r)
    best = std::min(best, ffn::bench::seconds([&] {
                            for (int i = 0; i < 10; ++i) work();
                          }) / 10);
  return best;
}

#if defined(__AVX512F__)

double maxDifference(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, static_cast<double>(std::fabs(a[i] - b[i])));
  return worst;
}

constexpr int kKc = 256;  // k per packed block: an A micro-panel and a B micro-panel stay in L1 together
constexpr int kMc = 96;   // rows of A packed at a time (rounded up to the tile's rows)

// 64-byte aligned floats, for aligned vector loads of packed panels.
struct AlignedFloats {
  explicit AlignedFloats(std::size_t count)
      : data(static_cast<float*>(std::aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64))) {
    std::memset(data, 0, count * sizeof(float));
  }
  ~AlignedFloats() { std::free(data); }
  AlignedFloats(const AlignedFloats&) = delete;
  AlignedFloats& operator=(const AlignedFloats&) = delete;
  float* data;
};

// op(B) in panels of `Nr` columns; within a panel k-major, [k][Nr], zero padded past n: the kernel reads one
// row of a panel per k with aligned loads.
template <int Nr>
struct PackedB {
  PackedB(int k, int n) : k(k), n(n), panels((n + Nr - 1) / Nr), values(static_cast<std::size_t>(panels) * k * Nr) {}
  int k, n, panels;
  AlignedFloats values;
};

template <int Nr>
void packB(const float* b, const Shape& s, PackedB<Nr>& packed) {
  for (int panel = 0; panel < packed.panels; ++panel)
    for (int c = 0; c < Nr && panel * Nr + c < s.n; ++c) {
      const int column = panel * Nr + c;
      for (int kk = 0; kk < s.k; ++kk)
        packed.values.data[(static_cast<std::size_t>(panel) * s.k + kk) * Nr + c] =
            s.transposedB ? b[static_cast<std::size_t>(column) * s.k + kk] : b[static_cast<std::size_t>(kk) * s.n + column];
    }
}

// `rows` rows of A (from where `a` points), `kc` deep, as [k][Mr] (zero padded past rows).
template <int Mr>
void packA(const float* a, int lda, int rows, int kc, float* out) {
  for (int kk = 0; kk < kc; ++kk)
    for (int i = 0; i < Mr; ++i) out[kk * Mr + i] = i < rows ? a[static_cast<std::size_t>(i) * lda + kk] : 0.0f;
}

// C tile [rows, cols] (+)= A micro-panel * B micro-panel over kc: Mr x Nv accumulator registers of 16 floats,
// one broadcast of A per row and Nv loads of B per k.
template <int Mr, int Nv>
void microKernel(int kc, const float* __restrict ap, const float* __restrict bp, float* c, int ldc, int rows,
                 int cols, bool accumulate) {
  constexpr int Nr = 16 * Nv;
  __m512 acc[Mr][Nv];
  for (int i = 0; i < Mr; ++i)
    for (int v = 0; v < Nv; ++v) acc[i][v] = _mm512_setzero_ps();
  for (int kk = 0; kk < kc; ++kk) {
    __m512 b[Nv];
    for (int v = 0; v < Nv; ++v) b[v] = _mm512_load_ps(bp + kk * Nr + 16 * v);
    _mm_prefetch(reinterpret_cast<const char*>(bp + (kk + 8) * Nr), _MM_HINT_T0);
    for (int i = 0; i < Mr; ++i) {
      const __m512 a = _mm512_set1_ps(ap[kk * Mr + i]);
      for (int v = 0; v < Nv; ++v) acc[i][v] = _mm512_fmadd_ps(a, b[v], acc[i][v]);
    }
  }
  for (int i = 0; i < rows; ++i) {
    float* row = c + static_cast<std::size_t>(i) * ldc;
    for (int v = 0; v < Nv && cols > 16 * v; ++v) {
      const int left = cols - 16 * v;
      const __mmask16 mask = left >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1);
      __m512 value = acc[i][v];
      if (accumulate) value = _mm512_add_ps(value, _mm512_maskz_loadu_ps(mask, row + 16 * v));
      _mm512_mask_storeu_ps(row + 16 * v, mask, value);
    }
  }
}

// C = A * op(B) with B packed: blocks of kKc over k (the first block writes C, later ones add to it), blocks
// of rows of A packed into `aPanel`, then every B panel against every A micro-panel.
template <int Mr, int Nv>
void packedGemm(const float* a, const Shape& s, const PackedB<16 * Nv>& b, float* c, float* aPanel) {
  constexpr int Nr = 16 * Nv;
  const int mc = (kMc + Mr - 1) / Mr * Mr;
  for (int k0 = 0; k0 < s.k; k0 += kKc) {
    const int kc = std::min(kKc, s.k - k0);
    for (int i0 = 0; i0 < s.m; i0 += mc) {
      const int rows = std::min(mc, s.m - i0);
      for (int i = 0; i < rows; i += Mr)
        packA<Mr>(a + static_cast<std::size_t>(i0 + i) * s.k + k0, s.k, std::min(Mr, rows - i), kc, aPanel + i * kc);
      for (int panel = 0; panel < b.panels; ++panel) {
        const float* bp = b.values.data + (static_cast<std::size_t>(panel) * s.k + k0) * Nr;
        const int cols = std::min(Nr, s.n - panel * Nr);
        for (int i = 0; i < rows; i += Mr)
          microKernel<Mr, Nv>(kc, aPanel + i * kc, bp, c + static_cast<std::size_t>(i0 + i) * s.n + panel * Nr, s.n,
                              std::min(Mr, rows - i), cols, k0 > 0);
      }
    }
  }
}

struct KernelResult {
  double gflops = 0.0, difference = 0.0;
};

// Our kernel at one tile on one shape; `packEveryCall`: B is packed inside the timed call too.
template <int Mr, int Nv>
KernelResult measureTile(const Shape& s, const std::vector<float>& a, const std::vector<float>& b,
                         const std::vector<float>& reference, int repeats, bool packEveryCall) {
  PackedB<16 * Nv> packed(s.k, s.n);
  packB(b.data(), s, packed);
  AlignedFloats aPanel(static_cast<std::size_t>(kMc + Mr) * kKc);
  std::vector<float> c(static_cast<std::size_t>(s.m) * s.n);
  packedGemm<Mr, Nv>(a.data(), s, packed, c.data(), aPanel.data);
  const double seconds = bestSeconds(repeats, [&] {
    if (packEveryCall) packB(b.data(), s, packed);
    packedGemm<Mr, Nv>(a.data(), s, packed, c.data(), aPanel.data);
  });
  return {2.0 * s.m * s.n * s.k / seconds / 1e9, maxDifference(c, reference)};
}

#endif  // __AVX512F__

std::string number(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ffn;
  const int repeats = std::max(1, std::stoi(bench::argument(argc, argv, "--repeats", "40")));
  openblas_set_num_threads(1);
  std::string shapes;
  for (const Shape& s : kShapes) {
    std::vector<float> a(static_cast<std::size_t>(s.m) * s.k), b(static_cast<std::size_t>(s.n) * s.k),
        reference(static_cast<std::size_t>(s.m) * s.n);
    std::srand(1);
    for (float& x : a) x = static_cast<float>(std::rand()) / static_cast<float>(RAND_MAX) - 0.5f;
    for (float& x : b) x = static_cast<float>(std::rand()) / static_cast<float>(RAND_MAX) - 0.5f;
    auto openblas = [&] {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, s.transposedB ? CblasTrans : CblasNoTrans, s.m, s.n, s.k, 1.0f,
                  a.data(), s.k, b.data(), s.transposedB ? s.k : s.n, 0.0f, reference.data(), s.n);
    };
    openblas();
    const double openblasGflops = 2.0 * s.m * s.n * s.k / bestSeconds(repeats, openblas) / 1e9;
    std::string entry = std::string("{\"use\": \"") + s.use + "\", \"m\": " + std::to_string(s.m) +
                        ", \"n\": " + std::to_string(s.n) + ", \"k\": " + std::to_string(s.k) +
                        ", \"openblas_gflops\": " + number(openblasGflops, 1);
#if defined(__AVX512F__)
    const KernelResult tile12x32 = measureTile<12, 2>(s, a, b, reference, repeats, false);
    const KernelResult tile14x32 = measureTile<14, 2>(s, a, b, reference, repeats, false);
    const KernelResult tile6x64 = measureTile<6, 4>(s, a, b, reference, repeats, false);
    const KernelResult packing = measureTile<14, 2>(s, a, b, reference, repeats, true);
    auto field = [](const char* name, const KernelResult& r) {
      return std::string(", \"") + name + "_gflops\": " + number(r.gflops, 1) + ", \"" + name +
             "_max_difference\": " + number(r.difference, 7);
    };
    // The engine's own kernel (core/backend/cpu/PackedGemm.h: this prototype's 14x32 tile, k unblocked up to
    // 1024, A packed through register transposes), B packed once as the weight-reuse scope keeps it.
    packed::PackedMatrix packedB;
    packedB.pack(b.data(), s.transposedB ? s.k : s.n, s.transposedB, s.k, s.n);
    std::vector<float> c(reference.size());
    auto engine = [&] { packed::multiply(a.data(), s.k, s.m, packedB, 0, packedB.panels(), c.data(), s.n); };
    engine();
    const KernelResult production{2.0 * s.m * s.n * s.k / bestSeconds(repeats, engine) / 1e9, maxDifference(c, reference)};
    entry += field("tile_12x32", tile12x32) + field("tile_14x32", tile14x32) + field("tile_6x64", tile6x64) +
             field("tile_14x32_packing_b_every_call", packing) + field("engine", production) +
             ", \"tile_14x32_vs_openblas\": " + number(tile14x32.gflops / openblasGflops, 2) +
             ", \"engine_vs_openblas\": " + number(production.gflops / openblasGflops, 2);
#endif
    shapes += (shapes.empty() ? "" : ", ") + entry + "}";
  }
#if defined(__AVX512F__)
  const char* kernels = "true";
#else
  const char* kernels = "false, \"note\": \"no AVX-512 on this CPU: OpenBLAS only\"";
#endif
  std::printf("{\"benchmark\": \"gemm_kernels\", \"threads\": 1, \"repeats\": %d, \"avx512_kernels\": %s, "
              "\"shapes\": [%s]}\n",
              repeats, kernels, shapes.c_str());
  return 0;
}

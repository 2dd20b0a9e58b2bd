// OpenBLAS's GEMM beside the engine's own packed kernel (core/backend/cpu/PackedGemm.h) on our layer shapes,
// one thread: with the weights operand packed once (as the weight-reuse scope keeps it for LRP) and packed inside
// every call (as training does, its weights changing each step). OpenBLAS packs both operands on every call,
// which suits large products but costs most on ours (64 or 128 batch rows per thread in training, the same
// weights in every LRP batch). Each figure is the best of --repeats timings of 10 calls; the engine's largest
// difference from OpenBLAS's result is printed. Prints one JSON object; on a CPU without AVX-512 only OpenBLAS's
// figures (the engine's kernel needs it).
//   bench_gemm_kernels [--repeats 40]
// Measured 2026-11-30 with prototype kernels on a quiet Xeon with AVX-512 (FMA peak 228 GFLOP/s per core):
// OpenBLAS 138-172 GFLOP/s; register tiles of 12x32, 14x32 and 6x64 within a few percent of each other (14x32,
// the engine's, best on the LRP shapes). 2026-12-01, the engine: 162-183 GFLOP/s, 1.10-1.44x OpenBLAS. 2026-12-01
// (later, another host of the same kind: FMA peak 245 GFLOP/s per core): 80 GFLOP/s, 0.4-0.6x OpenBLAS, until the
// kernel stopped storing its accumulators on every k step (see microKernel); then 210-230, 1.1-1.45x.
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

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

double maxDifference(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, static_cast<double>(std::fabs(a[i] - b[i])));
  return worst;
}

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
    if (packed::available()) {
      const std::int64_t ldb = s.transposedB ? s.k : s.n;
      packed::PackedMatrix packedB;
      packedB.pack(b.data(), ldb, s.transposedB, s.k, s.n);
      std::vector<float> c(reference.size());
      auto engine = [&] { packed::multiply(a.data(), s.k, s.m, packedB, 0, packedB.panels(), c.data(), s.n); };
      engine();
      const double difference = maxDifference(c, reference);
      const double packedOnce = 2.0 * s.m * s.n * s.k / bestSeconds(repeats, engine) / 1e9;
      const double packedEveryCall = 2.0 * s.m * s.n * s.k / bestSeconds(repeats, [&] {
                                       packedB.pack(b.data(), ldb, s.transposedB, s.k, s.n);
                                       engine();
                                     }) / 1e9;
      entry += ", \"engine_gflops\": " + number(packedOnce, 1) + ", \"engine_packing_b_every_call_gflops\": " +
               number(packedEveryCall, 1) + ", \"engine_max_difference\": " + number(difference, 7) +
               ", \"engine_vs_openblas\": " + number(packedOnce / openblasGflops, 2);
    }
    shapes += (shapes.empty() ? "" : ", ") + entry + "}";
  }
  const char* kernels = packed::available() ? "true" : "false, \"note\": \"no AVX-512 on this CPU: OpenBLAS only\"";
  std::printf("{\"benchmark\": \"gemm_kernels\", \"threads\": 1, \"repeats\": %d, \"avx512_kernels\": %s, "
              "\"shapes\": [%s]}\n",
              repeats, kernels, shapes.c_str());
  return 0;
}

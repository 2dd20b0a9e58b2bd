// LRP on the Fashion-MNIST MLP (resources/examples/fmnist-mlp-bp.ffnlab, 784-256-256-10): heatmaps per second for
// a batch of 1,000 test images (forward pass + relevance pass, predicted class), beside the time the pure GEMMs of
// the same shapes take in the same run (the floor: 3 forward and 3 transposed products); then ABPC against a
// random order for every preset composite.
//   bench_lrp [--weights W.safetensors | --epochs 1] [--threads 2] [--batch 1000] [--repeats 30] [--samples 1000]
//             [--serve --composite NAME]
// --serve: per line read on stdin, the median of `repeats` passes of one composite and of its GEMMs alone, one
// JSON line each, for tests/bench/paired.py (which alternates them with reference/pytorch_lrp.py --serve).
// The reference: a PyTorch implementation of the same rules on oneDNN needs about 6 ms per 1,000 heatmaps
// on its machine (the constant below); on this one, measure it beside us with reference/pytorch_lrp.py on the same
// weights file (it prints the same composites, the GEMM floor and the conservation errors, which must agree).
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <iostream>

#include "core/backend/cpu/CpuBackend.h"
#include "core/layers/Dense.h"
#include "core/lrp/PerturbationCurves.h"
#include "core/project/ProjectExplainer.h"
#include "core/project/ProjectFile.h"
#include "core/project/WeightsFile.h"
#include "tests/bench/BenchSupport.h"

using namespace ffn;

namespace {

constexpr double kReferenceMsPer1000 = 6.0;

// The GEMMs an epsilon pass over the MLP's Dense layers needs: z = x W^T per layer, then c = s W per layer.
// reuse: inside a weight-reuse scope, as the explainer runs them (packed weights with AVX-512); otherwise
// OpenBLAS's products.
double gemmSeconds(Network& net, std::int64_t batch, int repeats, CpuBackend& backend, bool reuse) {
  std::optional<WeightReuseScope> scope;
  if (reuse) scope.emplace(backend);
  struct Shapes {
    Tensor x, w, z, c;
  };
  std::vector<Shapes> layers;
  for (std::size_t i = 0; i < net.layerCount(); ++i)
    if (auto* dense = dynamic_cast<Dense*>(net.layer(i).layer.get()))
      layers.push_back({Tensor(Shape{batch, dense->inFeatures()}, 0.5f), Tensor(Shape{dense->units(), dense->inFeatures()}, 0.01f),
                        Tensor(Shape{batch, dense->units()}), Tensor(Shape{batch, dense->inFeatures()})});
  auto once = [&] {
    for (auto& l : layers) backend.gemm(Transpose::No, Transpose::Yes, 1.0f, l.x, l.w, 0.0f, l.z);
    for (auto it = layers.rbegin(); it != layers.rend(); ++it)
      backend.gemm(Transpose::No, Transpose::No, 1.0f, it->z, it->w, 0.0f, it->c);
  };
  once();
  std::vector<double> runs;
  for (int r = 0; r < repeats; ++r) runs.push_back(bench::seconds(once));
  return bench::median(runs);
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = std::stoi(bench::argument(argc, argv, "--threads", "2"));
  const std::int64_t batchSize = std::stoll(bench::argument(argc, argv, "--batch", "1000"));
  const int repeats = std::stoi(bench::argument(argc, argv, "--repeats", "30"));
  const std::int64_t samples = std::stoll(bench::argument(argc, argv, "--samples", "1000"));
  const std::string weights = bench::argument(argc, argv, "--weights", "");
  const int epochs = std::stoi(bench::argument(argc, argv, "--epochs", "1"));
  setComputeThreads(threads);
  auto project = loadProject(std::string(FFN_SOURCE_DIR) + "/resources/examples/fmnist-mlp-bp.ffnlab");
  if (!project) return std::cerr << project.message() << "\n", 1;
  project->training.epochs = epochs;
  CpuBackend backend;
  auto run = ProjectRun::create(*project, std::string(FFN_SOURCE_DIR) + "/resources/examples", backend);
  if (!run) return std::cerr << run.message() << "\n", 1;
  Network& net = (*run)->network();
  if (!weights.empty()) {
    if (Status s = loadWeights(net, weights); !s) return std::cerr << s.message() << "\n", 1;
  } else {
    auto summary = (*run)->trainer().run({}, {});
    if (!summary) return std::cerr << summary.message() << "\n", 1;
    std::cerr << "trained " << epochs << " epoch(s): test accuracy " << summary->last.test.accuracy() << "\n";
  }
  net.finishTraining();

  const Dataset& test = *(*run)->data().test;
  Batch batch;
  test.makeRangeBatch(0, std::min(batchSize, test.size()), batch);
  const std::int64_t n = batch.size();
  // The OpenBLAS floor on a backend of its own: outside a weight-reuse scope the default backend packs every
  // product for its own kernel too (FFN_CPU_GEMM, read when a backend is made, puts them back on OpenBLAS).
  setenv("FFN_CPU_GEMM", "openblas", 1);
  CpuBackend openblas;
  if (bench::flag(argc, argv, "--serve")) {
    auto lrp = explainProject(**run, bench::argument(argc, argv, "--composite", "epsilon"));
    if (!lrp) return std::cerr << lrp.message() << "\n", 1;
    Explanation explanation;
    bench::serveUnits([&] {
      std::vector<double> runs;
      for (int r = 0; r <= repeats; ++r)  // the first pass warms the caches and is not counted
        runs.push_back(bench::seconds([&] {
          if (Status s = lrp->explainer->explain(batch.inputs, ClassChoice::predicted(), explanation); !s)
            std::cerr << s.message() << "\n";
        }));
      runs.erase(runs.begin());
      char text[128];
      std::snprintf(text, sizeof text, "{\"seconds\":%.6f,\"gemm_seconds\":%.6f,\"openblas_gemm_seconds\":%.6f}",
                    bench::median(runs), gemmSeconds(net, n, repeats, backend, true),
                    gemmSeconds(net, n, repeats, openblas, false));
      return std::string(text);
    });
    return 0;
  }

  std::string json = "{\"benchmark\":\"lrp_fmnist_mlp\",\"threads\":" + std::to_string(threads) +
                     ",\"batch\":" + std::to_string(n) + ",\"repeats\":" + std::to_string(repeats);
  const double gemm = gemmSeconds(net, n, repeats, backend, true);
  char text[512];
  std::snprintf(text, sizeof text, ",\"gemm_only_ms\":%.3f,\"openblas_gemm_only_ms\":%.3f", 1e3 * gemm,
                1e3 * gemmSeconds(net, n, repeats, openblas, false));
  json += text;

  json += ",\"composites\":{";
  bool first = true;
  for (const char* name : {"epsilon", "epsilon-plus", "epsilon-gamma-box", "epsilon-alpha2-beta1"}) {
    auto lrp = explainProject(**run, name);
    if (!lrp) return std::cerr << lrp.message() << "\n", 1;
    Explanation explanation;
    auto explain = [&] {
      if (Status s = lrp->explainer->explain(batch.inputs, ClassChoice::predicted(), explanation); !s)
        std::cerr << s.message() << "\n";
    };
    explain();
    std::vector<double> runs;
    for (int r = 0; r < repeats; ++r) runs.push_back(bench::seconds(explain));
    const double seconds = bench::median(runs);
    const double conservation = explanation.medianConservationError();

    // ABPC over `samples` test images (zero baseline, 20 steps), in batches of the same size.
    PerturbationSettings settings;
    PerturbationCurves curves(settings.steps);
    Rng rng(1);
    Batch evalBatch;
    const double evalSeconds = bench::seconds([&] {
      for (std::int64_t at = 0; at < std::min(samples, test.size()); at += n) {
        test.makeRangeBatch(at, std::min(n, std::min(samples, test.size()) - at), evalBatch);
        Explanation e;
        if (!lrp->explainer->explain(evalBatch.inputs, ClassChoice::predicted(), e).ok()) return;
        if (!curves.add(*lrp->explainer, evalBatch.inputs, e, settings, rng).ok()) return;
      }
    });
    std::snprintf(text, sizeof text,
                  "%s\"%s\":{\"ms_per_batch\":%.3f,\"heatmaps_per_second\":%.0f,\"vs_gemm\":%.3f,"
                  "\"speedup_vs_reference\":%.2f,\"conservation_error\":%.3g,\"abpc\":%.4f,\"abpc_random\":%.4f,"
                  "\"eval_samples\":%lld,\"eval_seconds\":%.3f}",
                  first ? "" : ",", name, 1e3 * seconds, static_cast<double>(n) / seconds, seconds / gemm,
                  kReferenceMsPer1000 * static_cast<double>(n) / 1000.0 / (1e3 * seconds), conservation, curves.abpc(),
                  curves.abpcRandom(), static_cast<long long>(curves.samples()), evalSeconds);
    json += text;
    first = false;
    std::cerr << name << ": " << 1e3 * seconds << " ms per " << n << " heatmaps (GEMMs alone " << 1e3 * gemm
              << " ms), ABPC " << curves.abpc() << " vs random " << curves.abpcRandom() << "\n";
  }
  std::snprintf(text, sizeof text, "},\"reference_ms_per_1000_given\":%.1f,\"peak_rss_mb\":%.1f}", kReferenceMsPer1000,
                bench::peakResidentMegabytes());
  json += text;
  std::printf("%s\n", json.c_str());
  return 0;
}

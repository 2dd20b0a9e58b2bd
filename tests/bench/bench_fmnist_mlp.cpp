// Fashion-MNIST MLP (resources/examples/fmnist-mlp-bp.ffnlab) trained with backprop: seconds per epoch beside the
// time a pure GEMM loop of exactly the same shapes takes in the same run (the step's floor), the time making an
// epoch's shuffled batches takes alone (the data pipeline's share), peak memory, and the test accuracy reached.
//   bench_fmnist_mlp [--epochs 5] [--threads 2] [--project PATH]
#include <cstdio>
#include <iostream>
#include <numeric>

#include "core/backend/cpu/CpuBackend.h"
#include "core/base/Rng.h"
#include "core/layers/Dense.h"
#include "core/project/ProjectFile.h"
#include "core/project/ProjectRun.h"
#include "tests/bench/BenchSupport.h"

using namespace ffn;

namespace {

// All GEMMs one backprop step performs for the network's Dense layers at batch size n: forward, weight
// gradients, and input gradients (none for the first layer).
double gemmSecondsPerEpoch(Network& net, std::int64_t batch, std::int64_t steps, CpuBackend& backend) {
  struct Shapes {
    Tensor x, w, y, dw, dx;
    bool first;
  };
  std::vector<Shapes> layers;
  for (std::size_t i = 0; i < net.layerCount(); ++i) {
    auto* dense = dynamic_cast<Dense*>(net.layer(i).layer.get());
    if (!dense) continue;
    const auto in = dense->inFeatures(), out = dense->units();
    layers.push_back({Tensor(Shape{batch, in}, 0.5f), Tensor(Shape{out, in}, 0.1f), Tensor(Shape{batch, out}),
                      Tensor(Shape{out, in}), Tensor(Shape{batch, in}), layers.empty()});
  }
  auto oneStep = [&] {
    for (auto& l : layers) backend.gemm(Transpose::No, Transpose::Yes, 1.0f, l.x, l.w, 0.0f, l.y);
    for (auto& l : layers) {
      backend.gemm(Transpose::Yes, Transpose::No, 1.0f, l.y, l.x, 1.0f, l.dw);
      if (!l.first) backend.gemm(Transpose::No, Transpose::No, 1.0f, l.y, l.w, 0.0f, l.dx);
    }
  };
  oneStep();
  std::vector<double> runs;
  for (int r = 0; r < 5; ++r) runs.push_back(bench::seconds([&] {
    for (std::int64_t s = 0; s < steps; ++s) oneStep();
  }));
  return bench::median(runs);
}

// Making one epoch of shuffled training batches, alone: the data pipeline's share of an epoch.
double batchSecondsPerEpoch(const Dataset& train, std::int64_t batch) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(train.size()));
  std::iota(order.begin(), order.end(), std::int64_t{0});
  Rng rng(7);
  rng.shuffle(std::span<std::int64_t>(order));
  Batch made;
  std::vector<double> runs;
  for (int r = 0; r < 5; ++r) runs.push_back(bench::seconds([&] {
    for (std::int64_t first = 0; first < train.size(); first += batch) {
      const auto count = std::min(batch, train.size() - first);
      train.makeBatch(std::span<const std::int64_t>(order).subspan(static_cast<std::size_t>(first),
                                                                   static_cast<std::size_t>(count)),
                      made);
    }
  }));
  return bench::median(runs);
}

}  // namespace

int main(int argc, char** argv) {
  const int epochs = std::stoi(bench::argument(argc, argv, "--epochs", "5"));
  const int threads = std::stoi(bench::argument(argc, argv, "--threads", "2"));
  const std::string path =
      bench::argument(argc, argv, "--project", std::string(FFN_SOURCE_DIR) + "/resources/examples/fmnist-mlp-bp.ffnlab");
  setComputeThreads(threads);
  auto project = loadProject(path);
  if (!project) return std::cerr << project.message() << "\n", 1;
  project->training.epochs = epochs;
  CpuBackend backend;
  auto run = ProjectRun::create(*project, std::string(FFN_SOURCE_DIR) + "/resources/examples", backend);
  if (!run) return std::cerr << run.message() << "\n", 1;
  Trainer& trainer = (*run)->trainer();

  std::vector<double> epochSeconds;
  TrainingProgress last;
  for (int e = 0; e < epochs; ++e) {
    double before = last.trainSeconds;
    auto p = trainer.stepEpoch();
    if (!p) return std::cerr << p.message() << "\n", 1;
    last = *p;
    epochSeconds.push_back(last.trainSeconds - before);
    std::cerr << "epoch " << e + 1 << ": " << epochSeconds.back() << " s, test accuracy " << last.test.accuracy() << "\n";
  }
  const double gemm = gemmSecondsPerEpoch((*run)->network(), project->training.batchSize, trainer.stepsPerEpoch(), backend);
  const double batches = batchSecondsPerEpoch(*(*run)->data().train, project->training.batchSize);
  const double perEpoch = bench::median(epochSeconds);
  std::printf(
      "{\"benchmark\":\"fmnist_mlp_backprop\",\"epochs\":%d,\"threads\":%d,\"batch_size\":%d,"
      "\"seconds_per_epoch_median\":%.4f,\"gemm_only_seconds_per_epoch\":%.4f,\"train_vs_gemm_throughput\":%.3f,"
      "\"batch_making_seconds_per_epoch\":%.4f,\"test_accuracy\":%.4f,\"peak_rss_mb\":%.1f}\n",
      epochs, threads, project->training.batchSize, perEpoch, gemm, gemm / perEpoch, batches, last.test.accuracy(),
      bench::peakResidentMegabytes());
  return 0;
}

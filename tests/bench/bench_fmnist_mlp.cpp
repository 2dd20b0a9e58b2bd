// Fashion-MNIST MLP (resources/examples/fmnist-mlp-bp.ffnlab) trained with backprop: seconds per epoch beside the
// time a pure GEMM loop of exactly the same shapes takes (the step's floor), measured right after each epoch so
// that every train/GEMM ratio compares two neighbouring seconds of this drifting machine; the time making an
// epoch's shuffled batches takes alone (the data pipeline's share), peak memory, and the test accuracy reached.
//   bench_fmnist_mlp [--epochs 5] [--threads 2] [--project PATH] [--serve]
// --serve: one epoch (and its floor) per line read on stdin, one JSON line each, for tests/bench/paired.py.
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

// All GEMMs one backprop step performs for the network's Dense layers at batch size n, as the step calls them:
// forward, weight gradients (written over the last step's, beta = 0) and input gradients (none for the first
// layer); one epoch's worth of steps, timed once.
class GemmFloor {
 public:
  GemmFloor(Network& net, std::int64_t batch, std::int64_t steps, CpuBackend& backend)
      : m_backend(backend), m_steps(steps) {
    for (std::size_t i = 0; i < net.layerCount(); ++i) {
      auto* dense = dynamic_cast<Dense*>(net.layer(i).layer.get());
      if (!dense) continue;
      const auto in = dense->inFeatures(), out = dense->units();
      m_layers.push_back({Tensor(Shape{batch, in}, 0.5f), Tensor(Shape{out, in}, 0.1f), Tensor(Shape{batch, out}),
                          Tensor(Shape{out, in}), Tensor(Shape{batch, in}), m_layers.empty()});
    }
    oneStep();
  }

  double secondsPerEpoch() {
    return bench::seconds([&] {
      for (std::int64_t s = 0; s < m_steps; ++s) oneStep();
    });
  }

 private:
  struct Shapes {
    Tensor x, w, y, dw, dx;
    bool first;
  };

  void oneStep() {
    for (auto& l : m_layers) m_backend.gemm(Transpose::No, Transpose::Yes, 1.0f, l.x, l.w, 0.0f, l.y);
    for (auto& l : m_layers) {
      m_backend.gemm(Transpose::Yes, Transpose::No, 1.0f, l.y, l.x, 0.0f, l.dw);  // written, as the step does
      if (!l.first) m_backend.gemm(Transpose::No, Transpose::No, 1.0f, l.y, l.w, 0.0f, l.dx);
    }
  }

  CpuBackend& m_backend;
  std::int64_t m_steps;
  std::vector<Shapes> m_layers;
};

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
  // Serve mode trains for as many epochs as the harness asks.
  project->training.epochs = bench::flag(argc, argv, "--serve") ? 1000 : epochs;
  CpuBackend backend;
  auto run = ProjectRun::create(*project, std::string(FFN_SOURCE_DIR) + "/resources/examples", backend);
  if (!run) return std::cerr << run.message() << "\n", 1;
  Trainer& trainer = (*run)->trainer();

  GemmFloor floor((*run)->network(), project->training.batchSize, trainer.stepsPerEpoch(), backend);
  TrainingProgress last;
  // One epoch, then the GEMMs of one epoch alone: the pair whose ratio is the step's efficiency.
  auto epochAndFloor = [&](double& epochSeconds, double& floorSeconds) -> Status {
    const double before = last.trainSeconds;
    auto p = trainer.stepEpoch();
    if (!p) return Error{p.message()};
    last = *p;
    epochSeconds = last.trainSeconds - before;
    floorSeconds = floor.secondsPerEpoch();
    return {};
  };

  if (bench::flag(argc, argv, "--serve")) {
    bench::serveUnits([&] {
      double epoch = 0, gemm = 0;
      if (Status s = epochAndFloor(epoch, gemm); !s) return "{\"error\":\"" + s.message() + "\"}";
      char text[160];
      std::snprintf(text, sizeof text, "{\"seconds\":%.4f,\"gemm_seconds\":%.4f,\"test_accuracy\":%.4f}", epoch, gemm,
                    last.test.accuracy());
      return std::string(text);
    });
    return 0;
  }

  std::vector<double> epochSeconds, floorSeconds, ratios;
  for (int e = 0; e < epochs; ++e) {
    double epoch = 0, gemm = 0;
    if (Status s = epochAndFloor(epoch, gemm); !s) return std::cerr << s.message() << "\n", 1;
    epochSeconds.push_back(epoch);
    floorSeconds.push_back(gemm);
    ratios.push_back(gemm / epoch);
    std::cerr << "epoch " << e + 1 << ": " << epoch << " s (GEMMs alone " << gemm << " s), test accuracy "
              << last.test.accuracy() << "\n";
  }
  const double batches = batchSecondsPerEpoch(*(*run)->data().train, project->training.batchSize);
  std::printf(
      "{\"benchmark\":\"fmnist_mlp_backprop\",\"epochs\":%d,\"threads\":%d,\"batch_size\":%d,"
      "\"seconds_per_epoch_median\":%.4f,\"gemm_only_seconds_per_epoch\":%.4f,\"train_vs_gemm_throughput\":%.3f,"
      "\"batch_making_seconds_per_epoch\":%.4f,\"test_accuracy\":%.4f,\"peak_rss_mb\":%.1f}\n",
      epochs, threads, project->training.batchSize, bench::median(epochSeconds), bench::median(floorSeconds),
      bench::median(ratios), batches, last.test.accuracy(), bench::peakResidentMegabytes());
  return 0;
}

// The training rules on their Fashion-MNIST examples: backprop (fmnist-mlp-bp), Forward-Forward (fmnist-ff),
// Mono-Forward (fmnist-mf) and Counter-Current Learning (fmnist-ccl). Per rule: seconds per epoch, estimated from
// a fixed number of training steps (median of repeats, times the steps in an epoch; evaluation is not counted),
// beside the floor of the same step: exactly the GEMMs the step made, replayed alone in the same run. The op
// breakdown (seconds per epoch by op) shows where the rest goes. Nothing is evaluated, so it runs in about a
// minute; `ffnlab-cli train` on the same examples gives accuracies and whole epochs.
//   bench_rules [--rules bp,ff,mf,ccl] [--steps 40] [--repeats 3] [--threads 2]
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "core/backend/cpu/CpuBackend.h"
#include "core/project/ProjectFile.h"
#include "core/project/ProjectRun.h"
#include "tests/bench/BenchSupport.h"
#include "tests/bench/ProfilingBackend.h"

using namespace ffn;

namespace {

const char* exampleOf(const std::string& rule) {
  if (rule == "bp") return "fmnist-mlp-bp.ffnlab";
  if (rule == "ff") return "fmnist-ff.ffnlab";
  if (rule == "mf") return "fmnist-mf.ffnlab";
  if (rule == "ccl") return "fmnist-ccl.ffnlab";
  return nullptr;
}

// Runs `steps` training steps; returns the mean seconds per step, leaving out a step that ends an epoch (it
// evaluates).
Result<double> trainSteps(Trainer& trainer, int steps) {
  double seconds = 0.0;
  int counted = 0;
  for (int s = 0; s < steps; ++s) {
    const auto start = std::chrono::steady_clock::now();
    auto p = trainer.stepBatch();
    if (!p) return p.error();
    if (p->epochEnd) continue;  // an epoch end evaluates: leave that step out
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++counted;
  }
  return counted > 0 ? seconds / counted : 0.0;
}

Result<std::string> benchRule(const std::string& rule, int steps, int repeats, CpuBackend& cpu) {
  const char* example = exampleOf(rule);
  if (!example) return fail("unknown rule '", rule, "' (bp, ff, mf, ccl)");
  auto project = loadProject(std::string(FFN_SOURCE_DIR) + "/resources/examples/" + example);
  if (!project) return project.error();
  bench::ProfilingBackend backend(cpu);
  auto run = ProjectRun::create(*project, std::string(FFN_SOURCE_DIR) + "/resources/examples", backend);
  if (!run) return run.error();
  Trainer& trainer = (*run)->trainer();
  FFN_TRY(trainSteps(trainer, 3));  // warm-up: buffers sized, pages touched

  std::vector<double> perStep;
  for (int r = 0; r < repeats; ++r) {
    auto seconds = trainSteps(trainer, steps);
    if (!seconds) return seconds.error();
    perStep.push_back(*seconds);
  }
  // One more run of steps, recorded: the op breakdown and the GEMMs to replay.
  backend.record(true);
  FFN_TRY(trainSteps(trainer, steps));
  backend.record(false);
  const double epochSteps = static_cast<double>(trainer.stepsPerEpoch());
  const double gemmPerStep = bench::ProfilingBackend::replaySeconds(cpu, backend.gemms(), repeats) / steps;
  const double perEpoch = bench::median(perStep) * epochSteps;
  const double gemm = gemmPerStep * epochSteps;

  std::ostringstream out;
  char buffer[512];
  std::snprintf(buffer, sizeof buffer,
                "{\"rule\":\"%s\",\"example\":\"%s\",\"batch_size\":%d,\"steps_per_epoch\":%lld,"
                "\"seconds_per_epoch_median\":%.4f,\"gemm_only_seconds_per_epoch\":%.4f,"
                "\"train_vs_gemm_throughput\":%.3f,\"gemms_per_step\":%.1f,\"ops_seconds_per_epoch\":{",
                rule.c_str(), example, project->training.batchSize, static_cast<long long>(trainer.stepsPerEpoch()),
                perEpoch, gemm, gemm / perEpoch, static_cast<double>(backend.gemms().size()) / steps);
  out << buffer;
  bool first = true;
  for (int op = 0; op < static_cast<int>(Op::Count); ++op) {
    const double s = backend.seconds(static_cast<Op>(op));
    if (backend.calls(static_cast<Op>(op)) == 0) continue;
    std::snprintf(buffer, sizeof buffer, "%s\"%s\":%.4f", first ? "" : ",", opName(static_cast<Op>(op)),
                  s / steps * epochSteps);
    out << buffer;
    first = false;
  }
  out << "}}";
  std::cerr << rule << ": " << perEpoch << " s/epoch, GEMMs alone " << gemm << " s/epoch\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string rules = bench::argument(argc, argv, "--rules", "bp,ff,mf,ccl");
  const int steps = std::stoi(bench::argument(argc, argv, "--steps", "40"));
  const int repeats = std::stoi(bench::argument(argc, argv, "--repeats", "3"));
  const int threads = std::stoi(bench::argument(argc, argv, "--threads", "2"));
  setComputeThreads(threads);
  CpuBackend cpu;
  std::string results;
  std::stringstream list(rules);
  for (std::string rule; std::getline(list, rule, ',');) {
    auto r = benchRule(rule, steps, repeats, cpu);
    if (!r) return std::cerr << r.message() << "\n", 1;
    results += (results.empty() ? "" : ",") + *r;
  }
  std::printf("{\"benchmark\":\"rules\",\"threads\":%d,\"steps\":%d,\"repeats\":%d,\"rules\":[%s]}\n", threads, steps,
              repeats, results.c_str());
  return 0;
}

// NTK-ensemble members on the permutation task: milliseconds per gradient-descent epoch of one member by the basis
// path with its fused SGD step (CpuBackend::basisReluSgdStep, which also computes the next epoch's outputs, so
// basisReluForward runs only before the first epoch), by the basis path unfused
// (basisReluForward/Backward + the Optimizer's step, as for momentum or Adam) and by the generic network path
// (Network forward/backward with GEMMs against the basis vectors), each on one core, median of repeats; and the ensemble's
// throughput, seconds per member, with one member per thread.
//   bench_ntk_member [--k 10] [--width 50000] [--epochs 50] [--repeats 5] [--threads 2] [--members 4]
#include <cstdio>
#include <functional>
#include <thread>

#include "core/backend/cpu/CpuBackend.h"
#include "core/data/LoadedData.h"
#include "core/project/PermutationProject.h"
#include "core/rules/EnsembleMember.h"
#include "core/rules/MemberPool.h"
#include "tests/bench/BenchSupport.h"

using namespace ffn;

int main(int argc, char** argv) {
  const int k = std::stoi(bench::argument(argc, argv, "--k", "10"));
  const int width = std::stoi(bench::argument(argc, argv, "--width", "50000"));
  const int epochs = std::stoi(bench::argument(argc, argv, "--epochs", "50"));
  const int repeats = std::stoi(bench::argument(argc, argv, "--repeats", "5"));
  const int threads = std::stoi(bench::argument(argc, argv, "--threads", "2"));
  const int members = std::stoi(bench::argument(argc, argv, "--members", "4"));
  auto data = loadData(Json{{"kind", "permutation"}, {"k", k}}, "");
  if (!data) {
    std::fprintf(stderr, "%s\n", data.message().c_str());
    return 1;
  }
  Batch train, test;
  data->train->makeRangeBatch(0, data->train->size(), train);
  data->test->makeRangeBatch(0, data->test->size(), test);
  PermutationProjectOptions options;
  options.k = k;
  options.width = width;
  const Project project = permutationProject(options);
  MemberSettings settings;
  settings.epochs = 1 << 30;
  settings.optimizer.kind = "sgd";
  settings.optimizer.learningRate = 1e-3;

  auto msPerEpoch = [&](bool basis, bool fused) {
    settings.allowBasisPath = basis;
    settings.allowFusedStep = fused;
    auto member = EnsembleMember::create(project.graph, settings, train);
    if (!member || !(*member)->start(0, 1).ok()) return -1.0;
    (void)(*member)->train(2);  // warm up
    std::vector<double> runs;
    for (int r = 0; r < repeats; ++r) runs.push_back(bench::seconds([&] { (void)(*member)->train(epochs); }));
    return 1000.0 * bench::median(runs) / epochs;
  };
  // The basis path's parts, on tensors of a member's shapes.
  CpuBackend backend(1);
  Tensor w1t(Shape{k, width}, 0.01f), b1(Shape{width}, 0.01f), w2(Shape{k, width}, 0.01f), b2(Shape{k}),
      index(Shape{k}), out(Shape{k, k}), g(Shape{k, k}, 0.01f), d1(Shape{k, width}), db1(Shape{width}),
      d2(Shape{k, width}), db2(Shape{k});
  for (int i = 0; i < k; ++i) index.mutableData()[i] = static_cast<float>(i);
  auto partMs = [&](const std::function<void()>& part) {
    std::vector<double> runs;
    for (int r = 0; r < repeats; ++r) runs.push_back(bench::seconds([&] {
      for (int e = 0; e < epochs; ++e) part();
    }));
    return 1000.0 * bench::median(runs) / epochs;
  };
  const double forwardMs = partMs([&] { backend.basisReluForward(index, w1t, b1, w2, b2, out); });
  const double backwardMs = partMs([&] { backend.basisReluBackward(index, w1t, b1, w2, g, d1, db1, d2, db2); });
  const double updateMs = partMs([&] {
    (void)backend.allFinite(d1);
    backend.sgdUpdate(1e-3f, 0.0f, d1, w1t);
  });
  const double stepMs = partMs([&] { backend.basisReluSgdStep(index, g, 1e-3f, 1.0f, 1.0f, w1t, b1, w2, b2); });
  const double stepForwardMs =
      partMs([&] { backend.basisReluSgdStep(index, g, 1e-3f, 1.0f, 1.0f, w1t, b1, w2, b2, out); });
  std::fprintf(stderr,
               "parts (ms): forward %.4f backward %.4f one [k,m] update %.4f fused step %.4f fused step with the next "
               "forward %.4f\n",
               forwardMs, backwardMs, updateMs, stepMs, stepForwardMs);
  const double basis = msPerEpoch(true, true);
  const double unfused = msPerEpoch(true, false);
  const double network = msPerEpoch(false, false);

  // Throughput: `members` whole members of `epochs` epochs, one per thread, evaluation on the test set included.
  settings.epochs = epochs;
  settings.allowBasisPath = true;
  settings.allowFusedStep = true;
  std::vector<int> indices(static_cast<std::size_t>(members));
  for (int i = 0; i < members; ++i) indices[static_cast<std::size_t>(i)] = i;
  MemberPool pool(threads, indices, [](int i) { return deriveSeed(1, static_cast<std::uint64_t>(i)); },
                  [&] { return EnsembleMember::create(project.graph, settings, train); }, test.inputs, epochs);
  const double wall = bench::seconds([&] { (void)pool.advance(-1); });

  std::printf(
      "{\"bench\": \"ntk_member\", \"k\": %d, \"width\": %d, \"epochs_timed\": %d, \"repeats\": %d, "
      "\"basis_ms_per_epoch\": %.4f, \"basis_unfused_ms_per_epoch\": %.4f, \"fused_speedup\": %.2f, "
      "\"network_ms_per_epoch\": %.4f, \"basis_speedup\": %.2f, \"forward_ms\": %.4f, \"fused_step_ms\": %.4f, "
      "\"fused_step_with_forward_ms\": %.4f, "
      "\"threads\": %d, \"members\": %d, \"ensemble_seconds_per_member\": %.4f, "
      "\"ensemble_ms_per_member_epoch\": %.4f, \"seconds_per_member_10000_epochs_one_core\": %.2f, "
      "\"peak_rss_mb\": %.1f}\n",
      k, width, epochs, repeats, basis, unfused, unfused / basis, network, network / basis, forwardMs, stepMs,
      stepForwardMs, threads, members, wall / members,
      1000.0 * wall / members / epochs, basis * 10.0, bench::peakResidentMegabytes());
  return 0;
}

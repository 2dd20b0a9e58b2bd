// Seconds per training epoch of example projects on every compute device of this machine, in one run, beside the
// CPU backend: the per-epoch figure of the OpenCL issue. Each project trains `epochs` epochs per device from the
// same seed (the first epoch includes uploading the data and compiling or loading kernels, so with 2+ epochs the
// median is the steady state); the test accuracy shows the devices learn the same thing.
//   bench_device_epochs [--epochs 2] [--threads 2] [--projects fmnist-mlp-bp,fmnist-cnn-bp] [--devices cpu,opencl:0]
// --devices defaults to every device (DeviceRegistry::availableSpecs()).
#include <cstdio>
#include <iostream>
#include <sstream>

#include "core/backend/BackendFactory.h"
#include "core/backend/DeviceRegistry.h"
#include "core/backend/cpu/CpuBackend.h"
#include "core/graph/ParamSpec.h"
#include "core/project/ProjectFile.h"
#include "core/project/ProjectRun.h"
#include "tests/bench/BenchSupport.h"

using namespace ffn;

namespace {

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');)
    if (!item.empty()) items.push_back(item);
  return items;
}

// One project on one device: seconds of each epoch, the test accuracy at the end; an error message otherwise.
Json measure(const std::string& projectName, const std::string& spec, int epochs) {
  Json j{{"project", projectName}, {"device", spec}};
  const std::string directory = std::string(FFN_SOURCE_DIR) + "/resources/examples";
  auto project = loadProject(directory + "/" + projectName + ".ffnlab");
  if (!project) return j["error"] = project.message(), j;
  auto backend = createBackend(spec);
  if (!backend) return j["error"] = backend.message(), j;
  RunOverrides overrides;
  overrides.epochs = epochs;
  auto run = ProjectRun::create(*project, directory, **backend, overrides);
  if (!run) return j["error"] = run.message(), j;
  Trainer& trainer = (*run)->trainer();
  std::vector<double> epochSeconds;
  TrainingProgress last;
  for (int e = 0; e < epochs; ++e) {
    const double before = last.trainSeconds;
    auto p = trainer.stepEpoch();
    if (!p) return j["error"] = p.message(), j;
    last = *p;
    epochSeconds.push_back(last.trainSeconds - before);
    std::cerr << projectName << " on " << spec << ": epoch " << e + 1 << " " << epochSeconds.back()
              << " s, train loss " << last.epochLoss << ", test accuracy " << last.test.accuracy() << "\n";
  }
  j["epoch_seconds"] = epochSeconds;
  j["seconds_per_epoch_median"] = bench::median(epochSeconds);
  j["train_loss"] = last.epochLoss;
  j["test_accuracy"] = last.test.accuracy();
  if (const std::string warnings = (*backend)->takeWarnings(); !warnings.empty()) j["warnings"] = warnings;
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  const int epochs = std::stoi(bench::argument(argc, argv, "--epochs", "2"));
  const int threads = std::stoi(bench::argument(argc, argv, "--threads", "2"));
  const auto projects = splitList(bench::argument(argc, argv, "--projects", "fmnist-mlp-bp,fmnist-cnn-bp"));
  auto devices = splitList(bench::argument(argc, argv, "--devices", ""));
  if (devices.empty()) devices = DeviceRegistry::availableSpecs();
  setComputeThreads(threads);

  Json runs = Json::array();
  for (const auto& project : projects) {
    double cpuSeconds = 0.0;
    for (const auto& spec : devices) {
      Json j = measure(project, spec, epochs);
      const auto found = DeviceRegistry::openClDevices();
      for (const auto& info : found.devices)
        if (info.spec == spec) j["device_name"] = info.name;
      if (j.contains("seconds_per_epoch_median")) {
        const double seconds = j["seconds_per_epoch_median"].get<double>();
        if (spec == "cpu") cpuSeconds = seconds;
        if (cpuSeconds > 0.0) j["speedup_vs_cpu"] = cpuSeconds / seconds;
      }
      runs.push_back(j);
    }
  }
  const Json result{{"benchmark", "device_epochs"}, {"epochs", epochs}, {"threads", threads}, {"runs", runs},
                    {"peak_rss_mb", bench::peakResidentMegabytes()}};
  std::printf("%s\n", result.dump().c_str());
  return 0;
}

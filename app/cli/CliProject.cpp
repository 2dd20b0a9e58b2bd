#include "app/cli/CliProject.h"

#include <filesystem>
#include <iostream>

#include "core/backend/BackendFactory.h"
#include "core/backend/cpu/CpuBackend.h"

#include "core/project/ProjectFile.h"

namespace ffn::cli {

Result<OpenedProject> openProject(const std::string& path) {
  auto project = loadProject(path);
  if (!project) return project.error();
  const auto absolute = std::filesystem::absolute(path);
  return OpenedProject{std::move(*project), absolute.string(), absolute.parent_path().string()};
}

void applyThreads(int threads) { setComputeThreads(threads); }

const char* const kDeviceHelp =
    "Compute device: cpu, opencl (the first GPU, else the first OpenCL device) or opencl:N (see `ffnlab-cli "
    "devices`); default: the project's device setting. Unavailable devices fall back to the CPU with a warning";

std::unique_ptr<Backend> openBackend(const std::string& requested, const Project& project) {
  const std::string spec = requested.empty() ? project.device : requested;
  BackendChoice choice = createBackendWithFallback(spec.empty() ? std::string("cpu") : spec);
  if (!choice.warning.empty()) std::cerr << "warning: " << choice.warning << "\n";
  if (spec != "cpu" && choice.warning.empty()) std::cerr << "computing on " << choice.backend->name() << "\n";
  return std::move(choice.backend);
}

void reportBackendWarnings(Backend& backend) {
  const std::string warnings = backend.takeWarnings();
  if (!warnings.empty()) std::cerr << "warning: " << warnings << (warnings.back() == '\n' ? "" : "\n");
}

}  // namespace ffn::cli

#pragma once
// Opening a project for a command: the file, its folder (data paths are relative to it) and the compute setup.
#include <memory>
#include <string>

#include "core/backend/Backend.h"
#include "core/project/Project.h"

namespace ffn::cli {

struct OpenedProject {
  Project project;
  std::string path;
  std::string directory;
};

Result<OpenedProject> openProject(const std::string& path);
// Applies --threads (0 = all cores).
void applyThreads(int threads);
// The compute backend for --device `requested`, or the project's "device" setting when that is empty. A device
// that is not there (no OpenCL driver, kernels that do not build) gives the CPU backend and a warning on stderr,
// never a failure: the run goes on, only slower.
std::unique_ptr<Backend> openBackend(const std::string& requested, const Project& project);
// Prints on stderr what the backend reports having done instead (ops that ran on the CPU, out of device memory).
void reportBackendWarnings(Backend& backend);
// The --device option's help, shared by every command that computes.
extern const char* const kDeviceHelp;

}  // namespace ffn::cli

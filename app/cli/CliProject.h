#pragma once
// Opening a project for a command: the file, its folder (data paths are relative to it) and the compute setup.
#include <memory>
#include <string>

#include "core/backend/cpu/CpuBackend.h"
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

}  // namespace ffn::cli

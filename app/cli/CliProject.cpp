#include "app/cli/CliProject.h"

#include <filesystem>

#include "core/project/ProjectFile.h"

namespace ffn::cli {

Result<OpenedProject> openProject(const std::string& path) {
  auto project = loadProject(path);
  if (!project) return project.error();
  const auto absolute = std::filesystem::absolute(path);
  return OpenedProject{std::move(*project), absolute.string(), absolute.parent_path().string()};
}

void applyThreads(int threads) { setComputeThreads(threads); }

}  // namespace ffn::cli

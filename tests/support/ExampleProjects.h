#pragma once
// The example projects in resources/examples, opened as a user opens them, for tests that train them end to end.
// Header-only: FFN_SOURCE_DIR is defined per test program.
#include <QtGlobal>

#include <memory>
#include <string>

#include "core/project/ProjectFile.h"
#include "core/project/ProjectRun.h"

namespace ffn::test {

inline const std::string kExamples = std::string(FFN_SOURCE_DIR) + "/resources/examples";

inline Project exampleProject(const std::string& name) {
  auto project = loadProject(kExamples + "/" + name);
  if (!project) qFatal("%s", project.message().c_str());
  return *project;
}

inline std::unique_ptr<ProjectRun> exampleRun(const Project& project, Backend& backend) {
  auto run = ProjectRun::create(project, kExamples, backend);
  if (!run) qFatal("%s", run.message().c_str());
  return std::move(*run);
}

}  // namespace ffn::test

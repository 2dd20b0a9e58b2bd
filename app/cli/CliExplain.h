#pragma once
// What the explain and attribution-eval commands share: a project with trained weights and its LRP explainer,
// and reading the explained samples as a batch.
#include <memory>
#include <string>
#include <vector>

#include "app/cli/CliProject.h"
#include "core/project/ProjectExplainer.h"

namespace ffn::cli {

struct ExplainSession {
  OpenedProject opened;
  std::unique_ptr<Backend> backend;  // the project's device; declared before the run that computes on it
  std::unique_ptr<ProjectRun> run;
  ProjectExplainer lrp;
  std::string composite;  // the composite in use
};

// Opens the project, loads the weights and builds the explainer (composite: a preset name, or empty for the
// project's own).
Result<std::unique_ptr<ExplainSession>> openExplainSession(const std::string& project, const std::string& weights,
                                                           const std::string& composite);

// "0,3,8-11" -> {0, 3, 8, 9, 10, 11}; every index below `count`.
Result<std::vector<std::int64_t>> parseSampleList(const std::string& text, std::int64_t count);

// --class: "predicted", "label" (the samples' true labels) or a class number.
Result<ClassChoice> parseClassChoice(const std::string& text, const Batch& batch);

}  // namespace ffn::cli

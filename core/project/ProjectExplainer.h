#pragma once
// ProjectExplainer: LRP for a project's network, built from the project alone - its composite and per-node
// overrides (LrpSettings, or a composite named for this run), the training rule's explanation target, and the
// statistics of its training data (z^B's per-feature bounds, the perturbation baseline "mean"). The GUI and the
// CLI both go through here, so they explain the same way.
#include <memory>
#include <string>

#include "core/lrp/Explainer.h"
#include "core/lrp/InputStatistics.h"
#include "core/project/ProjectRun.h"

namespace ffn {

struct ProjectExplainer {
  InputStatistics statistics;
  std::unique_ptr<Explainer> explainer;  // reads the run's network and rule: it must not outlive the run
  const Dataset* samples = nullptr;      // where explained samples come from: test, else validation, else train
  std::string samplesName;               // "test", "validation" or "train"
};

// composite: a preset name for this run; empty uses the project's (LrpSettings.composite). The project's
// overrides apply either way.
Result<ProjectExplainer> explainProject(ProjectRun& run, const std::string& composite = "");
// With LRP settings other than the project's: the lab edits the composite and the per-node overrides while a run
// goes on, and its heatmaps follow at once.
Result<ProjectExplainer> explainProject(ProjectRun& run, const LrpSettings& lrp);

}  // namespace ffn

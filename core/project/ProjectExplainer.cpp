#include "core/project/ProjectExplainer.h"

namespace ffn {

Result<ProjectExplainer> explainProject(ProjectRun& run, const std::string& composite) {
  LrpSettings settings = run.project().lrp;
  if (!composite.empty()) settings.composite = composite;
  return explainProject(run, settings);
}

Result<ProjectExplainer> explainProject(ProjectRun& run, const LrpSettings& settings) {
  auto chosen = Composite::fromSettings(settings.composite, settings.overrides);
  if (!chosen) return chosen.error();
  const DataSplits splits = run.data().splits();
  ProjectExplainer result;
  if (splits.test && splits.test->size() > 0) {
    result.samples = splits.test, result.samplesName = "test";
  } else if (splits.validation && splits.validation->size() > 0) {
    result.samples = splits.validation, result.samplesName = "validation";
  } else {
    result.samples = splits.train, result.samplesName = "train";
  }
  Network& net = run.network();
  auto statistics = inputStatistics(net.backend(), *splits.train);
  if (!statistics) return statistics.error();
  result.statistics = std::move(*statistics);
  ExplainerOptions options;
  options.bounds = result.statistics.bounds;
  auto explainer = Explainer::create(net, *chosen, run.rule().explanationTarget(net), std::move(options));
  if (!explainer) return explainer.error();
  result.explainer = std::move(*explainer);
  return result;
}

}  // namespace ffn

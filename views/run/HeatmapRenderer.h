#pragma once
// HeatmapRenderer: the LRP heatmap of one image sample, drawn on the training thread between steps. The explainer
// comes from core's explainProject (the project's composite and per-node overrides, the rule's explanation target
// and the training data's statistics: what `ffnlab-cli explain` uses), built the first time a heatmap is asked for
// and again when another composite is chosen. It reads the live weights, so the map follows the training.
#include <QImage>
#include <QString>
#include <optional>
#include <string>

#include "core/project/ProjectExplainer.h"

namespace ffn::views {

class HeatmapRenderer {
 public:
  explicit HeatmapRenderer(ProjectRun& run) : m_run(run) {}

  // The heatmap of sample `index` of `split` (blue - white - red, zero white, normalised on its own), at the
  // sample's size; a null image with `error` set when the network cannot be explained. composite: a preset name,
  // empty for the project's.
  QImage render(const Dataset& split, std::int64_t index, const std::string& composite, QString& error);

 private:
  ProjectRun& m_run;
  std::optional<ProjectExplainer> m_explainer;
  std::string m_composite;
  std::string m_failure;  // why the explainer for m_composite could not be built
};

}  // namespace ffn::views

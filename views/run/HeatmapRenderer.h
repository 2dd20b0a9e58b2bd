#pragma once
// HeatmapRenderer: LRP heatmaps of image samples, drawn on the training thread between steps — one sample's map,
// a grid of many, and the pixel-flipping curves that say how faithful the maps are. The explainer comes from
// core's explainProject (the composite and per-node overrides, the rule's explanation target and the training
// data's statistics: what `ffnlab-cli explain` and `attribution-eval` use), built the first time it is needed
// and again when the LRP settings change. It reads the live weights, so the maps follow the training.
#include <QImage>
#include <QString>
#include <functional>
#include <optional>
#include <string>

#include "core/project/ProjectExplainer.h"
#include "views/run/RunUpdate.h"

namespace ffn::views {

class HeatmapRenderer {
 public:
  explicit HeatmapRenderer(ProjectRun& run) : m_run(run), m_lrp(run.project().lrp) {}

  // The composite and overrides from now on (the explainer is rebuilt when next needed); whether they changed.
  bool setLrp(const LrpSettings& lrp);
  const LrpSettings& lrp() const { return m_lrp; }

  // The heatmap of sample `index` of `split` (blue - white - red, zero white, normalised on its own), at the
  // sample's size; a null image with `error` set when the network cannot be explained.
  QImage render(const Dataset& split, std::int64_t index, QString& error);
  // The heatmaps of several samples, explained as one batch.
  HeatmapGrid grid(const Dataset& split, const std::vector<std::int64_t>& indices);
  // MoRF / LeRF pixel-flipping curves over the first `samples` samples of `split` (zero baseline, `steps` steps,
  // the random order drawn from a fixed seed: the same weights give the same numbers as attribution-eval).
  FlippingCurves flipping(const Dataset& split, std::int64_t samples, int steps);

  // Tests: called with the sample's index at the start of every render(), on the thread that renders (the run's
  // worker: never the UI thread). Empty: none.
  static void setRenderHook(std::function<void(std::int64_t index)> hook);

 private:
  bool ensureExplainer(QString& error);
  QImage toImage(const float* relevance, const Shape& shape, QString& error) const;

  ProjectRun& m_run;
  LrpSettings m_lrp;
  std::optional<ProjectExplainer> m_explainer;
  std::string m_failure;  // why the explainer for m_lrp could not be built
};

}  // namespace ffn::views

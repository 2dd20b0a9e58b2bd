#include "views/run/HeatmapRenderer.h"

#include <algorithm>
#include <mutex>
#include <span>

#include "core/lrp/Heatmap.h"
#include "core/lrp/PerturbationCurves.h"

namespace ffn::views {
namespace {
constexpr std::uint64_t kRandomOrderSeed = 1;  // attribution-eval's default --seed

std::mutex g_hookMutex;
std::function<void(std::int64_t)> g_renderHook;

void callRenderHook(std::int64_t index) {
  std::function<void(std::int64_t)> hook;
  {
    std::lock_guard lock(g_hookMutex);
    hook = g_renderHook;
  }
  if (hook) hook(index);  // outside the lock: a test's hook may block until the test lets it go
}
}  // namespace

void HeatmapRenderer::setRenderHook(std::function<void(std::int64_t index)> hook) {
  std::lock_guard lock(g_hookMutex);
  g_renderHook = std::move(hook);
}

bool HeatmapRenderer::setLrp(const LrpSettings& lrp) {
  if (lrp.composite == m_lrp.composite && lrp.overrides == m_lrp.overrides) return false;
  m_lrp = lrp;
  m_explainer.reset();
  m_failure.clear();
  return true;
}

bool HeatmapRenderer::ensureExplainer(QString& error) {
  if (!m_explainer && m_failure.empty()) {
    auto built = explainProject(m_run, m_lrp);
    if (built)
      m_explainer = std::move(*built);
    else
      m_failure = built.message();
  }
  if (!m_explainer) error = QString::fromStdString(m_failure);
  return m_explainer.has_value();
}

QImage HeatmapRenderer::toImage(const float* relevance, const Shape& shape, QString& error) const {
  HeatmapStyle style;
  style.scale = 1;  // the view scales it
  auto image =
      renderHeatmap(std::span<const float>(relevance, static_cast<std::size_t>(shape.elementCount())), shape, style);
  if (!image) {
    error = QString::fromStdString(image.message());
    return {};
  }
  return QImage(image->pixels.data(), image->width, image->height, image->bytesPerLine(), QImage::Format_RGBA8888)
      .copy();  // the pixels belong to `image`
}

QImage HeatmapRenderer::render(const Dataset& split, std::int64_t index, QString& error) {
  callRenderHook(index);
  if (!ensureExplainer(error) || index < 0 || index >= split.size()) return {};
  Batch batch;
  split.makeRangeBatch(index, 1, batch);
  auto explanation = m_explainer->explainer->explain(batch.inputs);  // inputs:[1, C, H, W] -> relevance:[1, C, H, W]
  if (!explanation) {
    error = QString::fromStdString(explanation.message());
    return {};
  }
  return toImage(explanation->relevance.data(), split.sampleShape(), error);
}

HeatmapGrid HeatmapRenderer::grid(const Dataset& split, const std::vector<std::int64_t>& indices) {
  HeatmapGrid grid;
  grid.composite = QString::fromStdString(m_lrp.composite);
  if (!ensureExplainer(grid.error)) return grid;
  std::vector<std::int64_t> kept;
  for (std::int64_t index : indices)
    if (index >= 0 && index < split.size()) kept.push_back(index);
  if (kept.empty()) return grid;
  Batch batch;
  split.makeBatch(kept, batch);
  // inputs:[N, C, H, W] -> relevance:[N, C, H, W], classes:[N] (the predicted ones, explained)
  auto explanation = m_explainer->explainer->explain(batch.inputs);
  if (!explanation) {
    grid.error = QString::fromStdString(explanation.message());
    return grid;
  }
  const Shape shape = split.sampleShape();
  const std::int64_t features = shape.elementCount();
  for (std::size_t i = 0; i < kept.size(); ++i) {
    QImage image = toImage(explanation->relevance.data() + static_cast<std::int64_t>(i) * features, shape, grid.error);
    if (image.isNull()) return grid;
    grid.indices.push_back(kept[i]);
    grid.heatmaps.push_back(std::move(image));
    grid.labels.push_back(batch.labels.empty() ? -1 : batch.label(static_cast<std::int64_t>(i)));
    grid.predicted.push_back(explanation->classes[i]);
  }
  return grid;
}

FlippingCurves HeatmapRenderer::flipping(const Dataset& split, std::int64_t samples, int steps) {
  FlippingCurves result;
  result.composite = QString::fromStdString(m_lrp.composite);
  result.overrides = static_cast<int>(m_lrp.overrides.size());
  if (!ensureExplainer(result.error)) return result;
  PerturbationSettings settings;
  settings.steps = steps;
  settings.baseline = Baseline::Zero;
  settings.mean = &m_explainer->statistics.mean;
  PerturbationCurves curves(steps);
  Rng rng(kRandomOrderSeed);
  Batch batch;
  Explanation explanation;
  const std::int64_t total = std::min(samples, split.size());
  split.makeRangeBatch(0, total, batch);
  // inputs:[N, C, H, W] -> relevance:[N, C, H, W]; then (steps + 1) forward passes per order
  if (Status s = m_explainer->explainer->explain(batch.inputs, ClassChoice::predicted(), explanation); !s) {
    result.error = QString::fromStdString(s.message());
    return result;
  }
  if (Status s = curves.add(*m_explainer->explainer, batch.inputs, explanation, settings, rng); !s) {
    result.error = QString::fromStdString(s.message());
    return result;
  }
  result.samples = curves.samples();
  result.morf = curves.morf();
  result.lerf = curves.lerf();
  result.randomMorf = curves.randomMorf();
  result.randomLerf = curves.randomLerf();
  result.abpc = curves.abpc();
  result.abpcRandom = curves.abpcRandom();
  return result;
}

}  // namespace ffn::views

#include "views/run/HeatmapRenderer.h"

#include <span>

#include "core/lrp/Heatmap.h"

namespace ffn::views {

QImage HeatmapRenderer::render(const Dataset& split, std::int64_t index, const std::string& composite,
                               QString& error) {
  if ((!m_explainer && m_failure.empty()) || composite != m_composite) {
    m_composite = composite;
    m_failure.clear();
    m_explainer.reset();
    auto built = explainProject(m_run, composite);
    if (built)
      m_explainer = std::move(*built);
    else
      m_failure = built.message();
  }
  if (!m_explainer) {
    error = QString::fromStdString(m_failure);
    return {};
  }
  if (index < 0 || index >= split.size()) return {};
  Batch batch;
  split.makeRangeBatch(index, 1, batch);
  auto explanation = m_explainer->explainer->explain(batch.inputs);  // inputs:[1, C, H, W] -> relevance:[1, C, H, W]
  if (!explanation) {
    error = QString::fromStdString(explanation.message());
    return {};
  }
  const Shape shape = split.sampleShape();
  const Tensor& relevance = explanation->relevance;
  HeatmapStyle style;
  style.scale = 1;  // the view scales it
  auto image = renderHeatmap(std::span<const float>(relevance.data(), static_cast<std::size_t>(shape.elementCount())),
                             shape, style);
  if (!image) {
    error = QString::fromStdString(image.message());
    return {};
  }
  return QImage(image->pixels.data(), image->width, image->height, image->bytesPerLine(), QImage::Format_RGBA8888)
      .copy();  // the pixels belong to `image`
}

}  // namespace ffn::views

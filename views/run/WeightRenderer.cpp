#include "views/run/WeightRenderer.h"

#include <algorithm>
#include <cmath>

#include "views/style/ColorMaps.h"

namespace ffn::views {

WeightRenderer::WeightRenderer(const Network& net) {
  const auto& entries = net.weightEntries();
  if (entries.empty()) return;
  const WeightEntry& first = entries.front();  // the first weighted layer's main weight
  const Shape& input = net.inputShape();
  if (first.shape.rank() == 4) {
    m_kernels = true;
    m_channels = static_cast<int>(first.shape[1]);
    m_height = static_cast<int>(first.shape[2]);
    m_width = static_cast<int>(first.shape[3]);
  } else if (first.shape.rank() == 2 && input.rank() == 3 && first.shape[1] == input.elementCount()) {
    m_channels = static_cast<int>(input[0]);
    m_height = static_cast<int>(input[1]);
    m_width = static_cast<int>(input[2]);
  } else {
    return;
  }
  if (m_channels != 1 && m_channels != 3) return;
  m_entry = 0;
}

WeightTiles WeightRenderer::tiles(const Network& net, int maxTiles) const {
  WeightTiles result;
  if (m_entry < 0) return result;
  const WeightEntry& entry = net.weightEntries()[static_cast<std::size_t>(m_entry)];
  const TensorView view = net.weightView(entry);
  const std::int64_t units = entry.shape[0];
  const std::int64_t perUnit = entry.shape.elementCount() / units;
  result.node = entry.node;
  result.title = QString::fromStdString(entry.fullName());
  result.unitCount = static_cast<int>(units);
  const float* w = view.data();
  const std::int64_t plane = std::int64_t{m_height} * m_width;
  for (std::int64_t u = 0; u < std::min<std::int64_t>(units, maxTiles); ++u) {
    const float* unit = w + u * perUnit;
    float scale = 1e-9f;  // each tile on its own symmetric scale: the pattern matters, not the size
    for (std::int64_t i = 0; i < perUnit; ++i) scale = std::max(scale, std::abs(unit[i]));
    QImage tile(m_width, m_height, QImage::Format_RGB32);
    for (int y = 0; y < m_height; ++y) {
      auto* line = reinterpret_cast<QRgb*>(tile.scanLine(y));
      for (int x = 0; x < m_width; ++x) {
        const std::int64_t at = std::int64_t{y} * m_width + x;
        if (m_channels == 1) {
          line[x] = divergingColor(unit[at] / scale);
        } else {  // colour kernels: each channel mapped from [-scale, scale] to [0, 255]
          auto channel = [&](int c) { return static_cast<int>(std::lround(127.5 + 127.5 * unit[c * plane + at] / scale)); };
          line[x] = qRgb(channel(0), channel(1), channel(2));
        }
      }
    }
    result.tiles.push_back(std::move(tile));
  }
  return result;
}

Histogram WeightRenderer::histogram(const QString& name, std::span<const float> values, int bins) {
  Histogram h;
  h.name = name;
  h.counts.assign(static_cast<std::size_t>(bins), 0);
  if (values.empty()) return h;
  float low = values[0], high = values[0];
  for (float v : values)
    if (std::isfinite(v)) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
  if (high <= low) high = low + 1e-6f;
  h.low = low;
  h.high = high;
  const double scale = bins / (static_cast<double>(high) - low);
  for (float v : values)
    if (std::isfinite(v)) ++h.counts[static_cast<std::size_t>(std::clamp(static_cast<int>((v - low) * scale), 0, bins - 1))];
  return h;
}

std::vector<Histogram> WeightRenderer::weightHistograms(const Network& net, int bins) {
  std::vector<Histogram> result;
  for (const WeightEntry& entry : net.weightEntries())
    if (entry.shape.rank() >= 2)  // weight matrices and kernels; biases say little
      result.push_back(histogram(QString::fromStdString(entry.fullName()), net.weightView(entry).values(), bins));
  return result;
}

std::vector<Histogram> WeightRenderer::activationHistograms(Network& net, const Tensor& probe, int bins,
                                                            std::size_t maxLayers) {
  std::vector<Histogram> result;
  if (probe.empty()) return result;
  net.forward(probe, false);
  for (std::size_t i = 0; i < net.layerCount() && result.size() < maxLayers; ++i) {
    const NetworkLayer& layer = net.layer(i);
    result.push_back(histogram(QString::fromStdString(layer.label), layer.output.values(), bins));
  }
  return result;
}

}  // namespace ffn::views

#include "views/run/PlaneRenderer.h"

#include <algorithm>
#include <cmath>

#include "views/style/ColorMaps.h"

namespace ffn::views {
namespace {

constexpr double kMargin = 0.12;  // share of the data's extent added on every side

void addPoints(const Dataset* split, bool test, std::int64_t limit, PlaneData& plane) {
  if (!split || split->size() == 0) return;
  Batch batch;
  const std::int64_t count = std::min(split->size(), limit);
  split->makeRangeBatch(0, count, batch);  // the features as the network sees them (normalised, if at all)
  const float* x = batch.inputs.data();
  for (std::int64_t i = 0; i < count; ++i) {
    plane.points.emplace_back(x[2 * i], x[2 * i + 1]);
    plane.labels.push_back(batch.labels.empty() ? 0 : batch.label(i));
    plane.test.push_back(test);
  }
}

}  // namespace

std::optional<PlaneData> PlaneRenderer::collect(const DataSplits& data, std::int64_t maxPoints) {
  if (!data.train || data.train->sampleShape().elementCount() != 2) return std::nullopt;
  PlaneData plane;
  const std::int64_t testShare = data.test ? std::min(data.test->size(), maxPoints / 4) : 0;
  addPoints(data.train, false, maxPoints - testShare, plane);
  addPoints(data.test, true, testShare, plane);
  if (plane.points.empty()) return std::nullopt;
  double left = plane.points[0].x(), right = left, top = plane.points[0].y(), bottom = top;
  for (const QPointF& p : plane.points) {
    left = std::min(left, p.x());
    right = std::max(right, p.x());
    top = std::min(top, p.y());
    bottom = std::max(bottom, p.y());
  }
  // A square plane (both axes to the same scale), so circles look like circles.
  const double size = std::max({right - left, bottom - top, 1e-3}) * (1.0 + 2.0 * kMargin);
  const QPointF centre((left + right) / 2, (top + bottom) / 2);
  plane.bounds = QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size);
  return plane;
}

PlaneRenderer::PlaneRenderer(QRectF bounds, int resolution, int tileResolution)
    : m_bounds(bounds),
      m_resolution(resolution),
      m_tileResolution(tileResolution),
      m_grid(grid(bounds, resolution)),
      m_tileGrid(grid(bounds, tileResolution)) {}

Tensor PlaneRenderer::grid(const QRectF& bounds, int resolution) {
  // Row 0 of an image is the top of the plane (largest y); pixel centres sample the plane.
  Tensor points(Shape{std::int64_t{resolution} * resolution, 2});
  float* p = points.mutableData();
  for (int row = 0; row < resolution; ++row)
    for (int col = 0; col < resolution; ++col) {
      *p++ = static_cast<float>(bounds.left() + (col + 0.5) * bounds.width() / resolution);
      *p++ = static_cast<float>(bounds.bottom() - (row + 0.5) * bounds.height() / resolution);
    }
  return points;
}

QImage PlaneRenderer::boundary(Network& net, TrainingRule& rule) {
  const Tensor& scores = rule.predict(net, m_grid);  // [G*G, C]
  const std::int64_t classes = scores.cols();
  QImage image(m_resolution, m_resolution, QImage::Format_RGB32);
  const float* s = scores.data();
  for (int row = 0; row < m_resolution; ++row) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(row));
    for (int col = 0; col < m_resolution; ++col, s += classes) {
      if (classes == 1) {  // one score: a two-class problem read as score > 0.5
        const double p = std::clamp(static_cast<double>(s[0]), 0.0, 1.0);
        line[col] = tinted(classColor(p > 0.5 ? 1 : 0), 0.2 + 0.6 * std::abs(p - 0.5) * 2.0);
        continue;
      }
      const auto best = static_cast<int>(std::max_element(s, s + classes) - s);
      double total = 0.0;  // softmax probability of the winner: how sure the network is here
      for (std::int64_t c = 0; c < classes; ++c) total += std::exp(static_cast<double>(s[c] - s[best]));
      const double confidence = 1.0 / total;
      const double uniform = 1.0 / static_cast<double>(classes);
      line[col] = tinted(classColor(best), 0.15 + 0.6 * (confidence - uniform) / (1.0 - uniform));
    }
  }
  return image;
}

ActivationMaps PlaneRenderer::activations(Network& net, std::size_t layerIndex, const NodeId& node,
                                         const QString& title, int maxTiles) {
  const NetworkLayer* layer = &net.layer(layerIndex);
  net.forward(m_tileGrid, false);
  const Tensor& out = layer->output;  // [T*T, units]
  const std::int64_t units = out.cols();
  ActivationMaps maps;
  maps.node = node;
  maps.title = title;
  maps.unitCount = static_cast<int>(units);
  double low = 0.0, high = 0.0;
  for (float v : out.values()) {
    low = std::min(low, static_cast<double>(v));
    high = std::max(high, static_cast<double>(v));
  }
  maps.low = low;
  maps.high = high;
  maps.diverging = low < 0.0;
  const double scale = std::max({std::abs(low), std::abs(high), 1e-9});
  const int shown = static_cast<int>(std::min<std::int64_t>(units, maxTiles));
  const float* v = out.data();
  for (int unit = 0; unit < shown; ++unit) {
    QImage tile(m_tileResolution, m_tileResolution, QImage::Format_RGB32);
    for (int row = 0; row < m_tileResolution; ++row) {
      auto* line = reinterpret_cast<QRgb*>(tile.scanLine(row));
      for (int col = 0; col < m_tileResolution; ++col) {
        const double value = v[(std::int64_t{row} * m_tileResolution + col) * units + unit];
        line[col] = maps.diverging ? divergingColor(value / scale) : sequentialColor(value / scale);
      }
    }
    maps.tiles.push_back(std::move(tile));
  }
  return maps;
}

}  // namespace ffn::views

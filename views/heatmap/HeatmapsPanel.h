#pragma once
// HeatmapsPanel: what an image network looks at, for many samples at once and how much to trust it — a grid of
// LRP heatmaps of the browsed samples (a class at a time if asked, refreshed as training goes on), and the
// pixel-flipping curves of the current composite: replacing the most relevant pixels first (MoRF) should destroy
// the prediction fast, the least relevant first (LeRF) slowly; ABPC (the area between them) against the same for
// a random order says whether the heatmap beats chance. Everything is computed on the training thread; this
// panel asks and shows. The grid exports as PNG, the curves as PNG, SVG or CSV (right-click the chart).
#include <QWidget>

#include "views/run/RunUpdate.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace ffn::views {

class MetricChart;
class TileGrid;

class HeatmapsPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kFlippingSamples = 256;  // samples the curves are averaged over

  explicit HeatmapsPanel(QWidget* parent = nullptr);

  // The run's browsable samples (image data) and class names; none: the panel says it needs image data.
  void setSamples(const std::vector<ImageSample>& samples, const QStringList& classNames);
  void showGrid(const HeatmapGrid& grid);
  void showFlipping(const FlippingCurves& curves);
  void clear();
  // The samples the grid shows now (of the browsed split).
  std::vector<std::int64_t> gridSamples() const;
  bool exportGrid(const QString& path) const;
  void setPresenterMode(bool on);

  TileGrid* grid() const { return m_grid; }
  MetricChart* flippingChart() const { return m_chart; }
  QLabel* abpcLabel() const { return m_abpc; }
  QPushButton* evaluateButton() const { return m_evaluate; }
  QComboBox* classBox() const { return m_class; }
  QSpinBox* countBox() const { return m_count; }
  const HeatmapGrid& lastGrid() const { return m_last; }
  int flippingUpdates() const { return m_flippingUpdates; }

 Q_SIGNALS:
  // Keep heatmaps of these samples fresh.
  void gridRequested(const std::vector<std::int64_t>& samples);
  void evaluationRequested(int samples);
  void statusMessage(const QString& text);

 private:
  void requestGrid();

  std::vector<ImageSample> m_samples;
  QStringList m_classNames;
  QComboBox* m_class;
  QSpinBox* m_count;
  QPushButton* m_export;
  TileGrid* m_grid;
  QLabel* m_caption;
  MetricChart* m_chart;
  QPushButton* m_evaluate;
  QLabel* m_abpc;
  HeatmapGrid m_last;
  int m_flippingUpdates = 0;
};

}  // namespace ffn::views

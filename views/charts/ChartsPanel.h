#pragma once
// ChartsPanel: the live charts of the current run, overlaid with any kept runs picked for comparison. The charts
// come from ChartPlan (loss, accuracy, then the rule's metrics); with one run each line has its own colour, with
// several each run has a colour and the lines of a run differ by dash. The live run's points are appended as they
// arrive — one chart at a time, kChartStaggerMs apart: a chart's update and repaint take a few milliseconds on the
// UI thread, and all of them in one go stalled it past a frame — everything else is redrawn only when the set of
// runs shown changes. The charts fill a grid whose columns
// follow the panel's size (see columnsFor); a chart keeps its minimum size, and rows that do not fit scroll.
#include <QWidget>
#include <vector>

#include "views/charts/ChartPlan.h"
#include "views/charts/RunCurves.h"

class QComboBox;
class QGridLayout;
class QLabel;
class QScrollArea;
class QTimer;

namespace ffn::views {

class MetricChart;

class ChartsPanel : public QWidget {
  Q_OBJECT

 public:
  enum class XAxis { Epochs, Steps };

  explicit ChartsPanel(QWidget* parent = nullptr);

  // The runs to draw (the live run first, if any); the panel keeps the pointers until the next call.
  void setRuns(std::vector<const RunCurves*> runs);
  static constexpr int kChartStaggerMs = 12;
  // New points of `run` (one of the runs shown): appended to its lines, chart after chart; all at once when
  // `now` (a run that stopped moving) — or call drawPending().
  void appendPoints(const RunCurves& run, const RunCurves::Added& added, bool now = false);
  void drawPending();
  bool hasPending() const;
  void setXAxis(XAxis axis);
  XAxis xAxis() const { return m_xAxis; }
  void setPresenterMode(bool on);

  MetricChart* chart(const QString& key) const;
  std::vector<MetricChart*> charts() const;
  // The line key a run's series has in a chart (for tests and exports).
  static QString lineKey(int runIndex, const ChartLineSpec& line);
  // Columns of the chart grid for `charts` charts in an area of width x height (the panel's choice, for tests).
  static int columnsFor(int width, int height, int charts);
  int columns() const { return m_columns; }

 Q_SIGNALS:
  void statusMessage(const QString& text);

 private:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void rebuild();
  void placeCharts();  // into the grid, in as many columns as columnsFor() says for the scroll area's size
  // All charts, or only chart `onlyChart`.
  void drawRun(int index, const RunCurves& run, const RunCurves::Added* only, int onlyChart = -1);
  void drawNextChart();
  std::vector<std::string> ruleMetrics() const;
  // Where the x axes of time end: the runs' planned epochs (or steps) — a live run's axis is set once for the
  // whole run, and its curves grow into it; 0 when no run has a plan (kept runs: the axes fit their data).
  double xPlan() const;
  QPointF toX(const RunCurves& run, bool perStep, QPointF point) const;
  // `points` (step, value) as (value of xSeries at that step, value).
  static QList<QPointF> againstSeries(const RunCurves& run, const std::string& xSeries, const QList<QPointF>& points);

  std::vector<const RunCurves*> m_runs;
  std::vector<ChartSpec> m_plan;
  std::vector<MetricChart*> m_charts;  // in plan order
  XAxis m_xAxis = XAxis::Epochs;
  bool m_presenter = false;
  QComboBox* m_axisBox;
  QLabel* m_caption;
  QGridLayout* m_grid;
  QScrollArea* m_scroll;
  int m_columns = 0;
  // The live run's points that wait for their chart's turn, per chart (plan order).
  const RunCurves* m_pendingRun = nullptr;
  std::vector<RunCurves::Added> m_pending;
  std::size_t m_nextChart = 0;
  QTimer* m_drawTimer;
};

}  // namespace ffn::views

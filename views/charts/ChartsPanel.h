#pragma once
// ChartsPanel: the live charts of the current run, overlaid with any kept runs picked for comparison. The charts
// come from ChartPlan (loss, accuracy, then the rule's metrics); with one run each line has its own colour, with
// several each run has a colour and the lines of a run differ by dash. The live run's points are appended as they
// arrive; everything else is redrawn only when the set of runs shown changes.
#include <QWidget>
#include <vector>

#include "views/charts/ChartPlan.h"
#include "views/charts/RunCurves.h"

class QComboBox;
class QGridLayout;
class QLabel;

namespace ffn::views {

class MetricChart;

class ChartsPanel : public QWidget {
  Q_OBJECT

 public:
  enum class XAxis { Epochs, Steps };

  explicit ChartsPanel(QWidget* parent = nullptr);

  // The runs to draw (the live run first, if any); the panel keeps the pointers until the next call.
  void setRuns(std::vector<const RunCurves*> runs);
  // New points of `run` (one of the runs shown): appended to its lines.
  void appendPoints(const RunCurves& run, const RunCurves::Added& added);
  void setXAxis(XAxis axis);
  XAxis xAxis() const { return m_xAxis; }
  void setPresenterMode(bool on);

  MetricChart* chart(const QString& key) const;
  std::vector<MetricChart*> charts() const;
  // The line key a run's series has in a chart (for tests and exports).
  static QString lineKey(int runIndex, const ChartLineSpec& line);

 Q_SIGNALS:
  void statusMessage(const QString& text);

 private:
  void rebuild();
  void drawRun(int index, const RunCurves& run, const RunCurves::Added* only);
  std::vector<std::string> ruleMetrics() const;
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
};

}  // namespace ffn::views

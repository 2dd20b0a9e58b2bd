#include "views/charts/ChartsPanel.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <set>
#include <utility>

#include "views/charts/MetricChart.h"
#include "views/style/ColorMaps.h"

namespace ffn::views {
namespace {

constexpr int kSpacing = 4;  // between charts

Qt::PenStyle penFor(int variant) {
  static constexpr Qt::PenStyle kPens[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
  return kPens[static_cast<std::size_t>(variant) % 4];
}

}  // namespace

ChartsPanel::ChartsPanel(QWidget* parent)
    : QWidget(parent),
      m_axisBox(new QComboBox),
      m_caption(new QLabel),
      m_scroll(new QScrollArea),
      m_drawTimer(new QTimer(this)) {
  m_drawTimer->setSingleShot(true);
  connect(m_drawTimer, &QTimer::timeout, this, &ChartsPanel::drawNextChart);
  m_axisBox->addItem(tr("Epochs"));
  m_axisBox->addItem(tr("Steps"));
  m_axisBox->setObjectName(QStringLiteral("xAxis"));
  m_axisBox->setToolTip(tr("Plot against epochs (one epoch = one pass over the training data) or minibatch steps"));
  connect(m_axisBox, &QComboBox::activated, this,
          [this](int index) { setXAxis(index == 0 ? XAxis::Epochs : XAxis::Steps); });
  m_caption->setForegroundRole(QPalette::PlaceholderText);
  m_caption->setWordWrap(true);  // a long caption must not set the window's minimum width
  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("X axis:")));
  bar->addWidget(m_axisBox);
  bar->addSpacing(12);
  bar->addWidget(m_caption, 1);

  auto* content = new QWidget;
  m_grid = new QGridLayout(content);
  m_grid->setContentsMargins(0, 0, 0, 0);
  m_grid->setSpacing(kSpacing);
  m_scroll->setWidget(content);
  m_scroll->setWidgetResizable(true);
  m_scroll->setFrameShape(QFrame::NoFrame);
  m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // the columns follow the width instead
  m_scroll->viewport()->installEventFilter(this);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(bar);
  layout->addWidget(m_scroll, 1);
  setRuns({});
}

QString ChartsPanel::lineKey(int runIndex, const ChartLineSpec& line) {
  return QStringLiteral("%1/%2/%3").arg(runIndex).arg(line.perStep ? QStringLiteral("step") : QStringLiteral("epoch"),
                                                      QString::fromStdString(line.series));
}

MetricChart* ChartsPanel::chart(const QString& key) const {
  for (std::size_t i = 0; i < m_plan.size(); ++i)
    if (m_plan[i].key == key) return m_charts[i];
  return nullptr;
}

std::vector<MetricChart*> ChartsPanel::charts() const { return m_charts; }

std::vector<std::string> ChartsPanel::ruleMetrics() const {
  std::set<std::string> names;
  for (const RunCurves* run : m_runs)
    for (const std::string& name : run->ruleMetrics()) names.insert(name);
  return {names.begin(), names.end()};
}

void ChartsPanel::setRuns(std::vector<const RunCurves*> runs) {
  m_runs = std::move(runs);
  if (m_runs.empty())
    m_caption->setText(tr("Press Train to watch the network learn; tick kept runs in Runs to compare them here."));
  else if (m_runs.size() == 1)
    m_caption->setText(m_runs.front()->label);
  else
    m_caption->setText(tr("Comparing %1 runs").arg(m_runs.size()));
  rebuild();
}

void ChartsPanel::setXAxis(XAxis axis) {
  m_xAxis = axis;
  m_axisBox->setCurrentIndex(axis == XAxis::Epochs ? 0 : 1);
  rebuild();
}

void ChartsPanel::setPresenterMode(bool on) {
  m_presenter = on;
  for (MetricChart* chart : m_charts) chart->setPresenterMode(on);
}

QPointF ChartsPanel::toX(const RunCurves& run, bool perStep, QPointF point) const {
  const double perEpoch = static_cast<double>(std::max<std::int64_t>(run.stepsPerEpoch, 1));
  if (m_xAxis == XAxis::Epochs && perStep) point.setX(point.x() / perEpoch);
  if (m_xAxis == XAxis::Steps && !perStep) point.setX(point.x() * perEpoch);
  return point;
}

void ChartsPanel::rebuild() {
  // Every run is drawn whole below, the points still waiting included.
  m_drawTimer->stop();
  m_pending.clear();
  m_pendingRun = nullptr;
  std::vector<ChartSpec> plan = planCharts(ruleMetrics());
  // Keep the chart widgets whose key stays (their zoom, their place); make new ones for new keys.
  std::vector<MetricChart*> charts;
  for (const ChartSpec& spec : plan) {
    MetricChart* chart = this->chart(spec.key);
    if (!chart) {
      chart = new MetricChart(spec.title);
      chart->setObjectName(spec.key);
      chart->setPresenterMode(m_presenter);
      connect(chart, &MetricChart::exported, this,
              [this](const QString& path) { Q_EMIT statusMessage(tr("Chart exported to %1").arg(path)); });
    }
    chart->clear();
    chart->setUnitYRange(spec.unitRange);
    const QString xTitle = m_xAxis == XAxis::Epochs ? tr("Epoch") : tr("Step");
    chart->setAxisTitles(spec.xSeries.empty() ? xTitle : spec.xTitle, spec.yTitle);
    charts.push_back(chart);
  }
  for (MetricChart* old : m_charts)
    if (std::find(charts.begin(), charts.end(), old) == charts.end()) old->deleteLater();
  for (MetricChart* chart : m_charts) m_grid->removeWidget(chart);
  m_plan = std::move(plan);
  m_charts = std::move(charts);
  m_columns = 0;
  placeCharts();
  const double xEnd = xPlan();
  for (std::size_t c = 0; c < m_plan.size(); ++c) m_charts[c]->setXPlan(m_plan[c].xSeries.empty() ? xEnd : 0.0);
  for (std::size_t r = 0; r < m_runs.size(); ++r) drawRun(static_cast<int>(r), *m_runs[r], nullptr);
}

double ChartsPanel::xPlan() const {
  double end = 0;
  for (const RunCurves* run : m_runs) {
    const double epochs = run->plannedEpochs;
    end = std::max(end, m_xAxis == XAxis::Epochs ? epochs : epochs * static_cast<double>(run->stepsPerEpoch));
  }
  return end;
}

int ChartsPanel::columnsFor(int width, int height, int charts) {
  if (charts <= 1) return 1;
  // As many columns as keep each chart at its minimum width; of those, the fewest that still fit every row in
  // the height (wide charts read better), and if the rows cannot all fit, all the columns there is room for, so
  // that the least scrolling shows the rest. A chart is never squeezed below its minimum: the rows then scroll.
  const int widest = std::clamp((width + kSpacing) / (MetricChart::kMinimumWidth + kSpacing), 1, charts);
  const int rowsThatFit = std::max(1, (height + kSpacing) / (MetricChart::kMinimumHeight + kSpacing));
  for (int columns = 1; columns <= widest; ++columns)
    if ((charts + columns - 1) / columns <= rowsThatFit) return columns;
  return widest;
}

void ChartsPanel::placeCharts() {
  const QSize area = m_scroll->viewport()->size();
  const int columns = columnsFor(area.width(), area.height(), static_cast<int>(m_charts.size()));
  if (columns == m_columns) return;
  m_columns = columns;
  for (MetricChart* chart : m_charts) m_grid->removeWidget(chart);
  for (int c = 0; c < m_grid->columnCount(); ++c) m_grid->setColumnStretch(c, 0);
  for (std::size_t i = 0; i < m_charts.size(); ++i)
    m_grid->addWidget(m_charts[i], static_cast<int>(i) / columns, static_cast<int>(i) % columns);
  for (int c = 0; c < columns; ++c) m_grid->setColumnStretch(c, 1);  // equal widths, whatever the titles
}

bool ChartsPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == m_scroll->viewport() && event->type() == QEvent::Resize) placeCharts();
  return QWidget::eventFilter(watched, event);
}

void ChartsPanel::appendPoints(const RunCurves& run, const RunCurves::Added& added, bool now) {
  const auto it = std::find(m_runs.begin(), m_runs.end(), &run);
  if (it == m_runs.end()) return;
  // A metric no chart shows yet (the first step of a rule's run) needs the plan made again.
  std::set<std::string> known;
  for (const ChartSpec& spec : m_plan)
    for (const ChartLineSpec& line : spec.lines) known.insert(line.series);
  for (const auto& [name, points] : added.steps)
    if (!known.count(name) && name != "ff_threshold") return rebuild();
  if (m_pendingRun != &run) m_pending.clear();
  m_pendingRun = &run;
  m_pending.resize(m_charts.size());
  for (RunCurves::Added& waiting : m_pending) {
    for (const auto& [name, points] : added.steps) waiting.steps[name] += points;
    for (const auto& [name, points] : added.epochs) waiting.epochs[name] += points;
  }
  if (now) return drawPending();
  if (!m_drawTimer->isActive()) m_drawTimer->start(0);
}

bool ChartsPanel::hasPending() const {
  for (const RunCurves::Added& waiting : m_pending)
    if (!waiting.steps.empty() || !waiting.epochs.empty()) return true;
  return false;
}

void ChartsPanel::drawPending() {
  while (hasPending()) drawNextChart();
}

void ChartsPanel::drawNextChart() {
  m_drawTimer->stop();
  const auto it = std::find(m_runs.begin(), m_runs.end(), m_pendingRun);
  if (it == m_runs.end()) return m_pending.clear();
  const std::size_t n = m_pending.size();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t c = (m_nextChart + k) % n;
    RunCurves::Added& waiting = m_pending[c];
    if (waiting.steps.empty() && waiting.epochs.empty()) continue;
    const RunCurves::Added points = std::exchange(waiting, RunCurves::Added{});
    drawRun(static_cast<int>(it - m_runs.begin()), **it, &points, static_cast<int>(c));
    m_nextChart = c + 1;
    break;
  }
  if (hasPending()) m_drawTimer->start(kChartStaggerMs);  // the event loop runs in between
}

QList<QPointF> ChartsPanel::againstSeries(const RunCurves& run, const std::string& xSeries,
                                          const QList<QPointF>& points) {
  // Both series are step series of the same rule: a point of one has its partner at the same step.
  QList<QPointF> mapped;
  auto xs = run.steps.find(xSeries);
  if (xs == run.steps.end()) return mapped;
  const QList<QPointF>& byStep = xs->second;
  for (const QPointF& p : points) {
    const auto at = std::lower_bound(byStep.begin(), byStep.end(), p.x(),
                                     [](const QPointF& q, double step) { return q.x() < step; });
    if (at != byStep.end() && at->x() == p.x()) mapped << QPointF(at->y(), p.y());
  }
  return mapped;
}

void ChartsPanel::drawRun(int index, const RunCurves& run, const RunCurves::Added* only, int onlyChart) {
  const bool compare = m_runs.size() > 1;
  const QString prefix = compare ? run.label + QStringLiteral(" · ") : QString();
  for (std::size_t c = 0; c < m_plan.size(); ++c) {
    if (onlyChart >= 0 && c != static_cast<std::size_t>(onlyChart)) continue;
    const ChartSpec& spec = m_plan[c];
    MetricChart* chart = m_charts[c];
    for (const ChartLineSpec& line : spec.lines) {
      if (compare && line.faint) continue;  // per-batch noise of several runs hides more than it shows
      const auto& source = line.perStep ? (only ? only->steps : run.steps) : (only ? only->epochs : run.epochs);
      auto found = source.find(line.series);
      if (found == source.end() || found->second.isEmpty()) continue;
      QList<QPointF> points;
      points.reserve(found->second.size());
      if (spec.xSeries.empty())
        for (const QPointF& p : found->second) points << toX(run, line.perStep, p);
      else
        points = againstSeries(run, spec.xSeries, found->second);
      LineStyle style;
      style.name = prefix + line.name;
      style.faint = line.faint;
      style.inLegend = line.inLegend;
      style.legendName = line.legendName.isEmpty() ? QString() : prefix + line.legendName;
      if (compare) {
        style.color = seriesColor(index);
        style.color = style.color.lighter(100 + 25 * (line.colorIndex % 4));  // layers of one run: lighter shades
        style.pen = line.perStep && spec.key.startsWith(QLatin1String("rule:")) ? penFor(line.variant)
                                                                                 : penFor(line.colorIndex);
      } else {
        style.color = seriesColor(line.colorIndex);
        style.pen = penFor(line.variant);
      }
      chart->appendPoints(lineKey(index, line), style, points);
    }
    if (!spec.referenceMetric.empty()) {
      auto found = run.steps.find(spec.referenceMetric);
      if (found != run.steps.end() && !found->second.isEmpty()) {
        LineStyle style{prefix + spec.referenceName, compare ? seriesColor(index) : QColor(Qt::darkGray), Qt::DotLine,
                        false, true, {}};
        chart->setReferenceLine(QStringLiteral("%1/reference").arg(index), style, found->second.last().y());
      }
    }
    for (std::size_t r = 0; r < spec.verticalReferences.size(); ++r) {
      const ChartReference& reference = spec.verticalReferences[r];
      auto found = run.steps.find(reference.metric);
      if (found == run.steps.end() || found->second.isEmpty()) continue;
      LineStyle style{prefix + reference.name, compare ? seriesColor(index) : QColor(Qt::darkGray),
                      r == 0 ? Qt::DashLine : Qt::DotLine, false, true, {}};
      chart->setVerticalLine(QStringLiteral("%1/vertical%2").arg(index).arg(r), style, found->second.last().y());
    }
  }
}

}  // namespace ffn::views

// Live chart updates stay cheap for the UI thread, checked by what they do (never by timing). An axis range change
// re-maps every point of every line of a chart and re-lays it out, so during a planned run:
//  - the x axes span the whole plan (epochs, or steps) from the first point and do not move while the curves grow
//    into them; a run extended past its plan doubles the axis; the data is always in sight;
//  - accuracy axes stay [0, 1]; a loss axis ends on ticks and moves a few times at most, not with every update;
//  - a line's style set again unchanged does not touch its series (a pen set again re-renders the line);
//  - kept runs without a plan still fit their data, and a zoom still holds while points arrive.
#include <QLineSeries>
#include <QValueAxis>
#include <QtTest>
#include <cmath>

#include "views/charts/ChartsPanel.h"
#include "views/charts/MetricChart.h"
#include "views/charts/RunCurves.h"

using namespace ffn;
using namespace ffn::views;

namespace {

const LineStyle kStyle{QStringLiteral("train"), Qt::blue, Qt::SolidLine, false, true, {}};

QValueAxis* axis(MetricChart* chart, Qt::Orientation orientation) {
  return qobject_cast<QValueAxis*>(chart->chart()->axes(orientation).value(0));
}

TrainingProgress step(std::int64_t i, std::int64_t perEpoch, int epochs) {
  TrainingProgress p;
  p.step = i;
  p.epoch = static_cast<int>((i - 1) / perEpoch) + 1;
  p.epochs = epochs;
  p.stepsPerEpoch = perEpoch;
  p.stepInEpoch = (i - 1) % perEpoch + 1;
  p.loss = 2.3 / std::sqrt(static_cast<double>(i)) + 0.05 * std::sin(static_cast<double>(i));
  p.accuracy = 1.0 - 0.9 / std::sqrt(static_cast<double>(i));
  p.epochLoss = p.loss;
  p.epochAccuracy = p.accuracy;
  p.epochEnd = p.stepInEpoch == perEpoch;
  return p;
}

// Trains `run` live into `panel` from step `from` to `to`, `batch` steps per update, each drawn at once.
void feed(ChartsPanel& panel, RunCurves& run, std::int64_t from, std::int64_t to, int batch, int epochs) {
  for (std::int64_t i = from; i <= to; i += batch) {
    std::vector<TrainingProgress> points;
    for (std::int64_t k = i; k < std::min(to + 1, i + batch); ++k) points.push_back(step(k, 100, epochs));
    RunCurves::Added added;
    run.add(points, &added);
    panel.appendPoints(run, added, true);
    QCoreApplication::processEvents();  // the scene's own updates, as between two updates of a live run
  }
}

}  // namespace

class LiveChartUpdatesTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void axesStayPutDuringAPlannedRun() {
    for (const ChartsPanel::XAxis mode : {ChartsPanel::XAxis::Epochs, ChartsPanel::XAxis::Steps}) {
      ChartsPanel panel;
      panel.resize(900, 400);
      panel.setXAxis(mode);
      RunCurves run;
      run.add({step(1, 100, 5)});
      panel.setRuns({&run});
      MetricChart* loss = panel.chart(QStringLiteral("loss"));
      MetricChart* accuracy = panel.chart(QStringLiteral("accuracy"));
      QVERIFY(loss && accuracy);
      const double end = mode == ChartsPanel::XAxis::Epochs ? 5.0 : 500.0;
      for (MetricChart* chart : {loss, accuracy}) {
        QCOMPARE(axis(chart, Qt::Horizontal)->min(), 0.0);
        QCOMPARE(axis(chart, Qt::Horizontal)->max(), end);  // the whole run from its first point
      }
      QCOMPARE(axis(accuracy, Qt::Vertical)->min(), 0.0);
      QCOMPARE(axis(accuracy, Qt::Vertical)->max(), 1.0);
      QSignalSpy lossX(axis(loss, Qt::Horizontal), &QValueAxis::rangeChanged);
      QSignalSpy lossY(axis(loss, Qt::Vertical), &QValueAxis::rangeChanged);
      QSignalSpy accuracyX(axis(accuracy, Qt::Horizontal), &QValueAxis::rangeChanged);
      QSignalSpy accuracyY(axis(accuracy, Qt::Vertical), &QValueAxis::rangeChanged);
      int updates = 0;
      for (std::int64_t i = 2; i <= 500; i += 7, ++updates) {
        feed(panel, run, i, std::min<std::int64_t>(500, i + 6), 7, 5);
        // The data is always in sight.
        const QValueAxis* y = axis(loss, Qt::Vertical);
        for (const QString& key : loss->lineKeys())
          for (const QPointF& p : loss->points(key)) QVERIFY(p.y() >= y->min() && p.y() <= y->max());
      }
      QCOMPARE(lossX.count(), 0);
      QCOMPARE(accuracyX.count(), 0);
      QCOMPARE(accuracyY.count(), 0);
      QVERIFY2(lossY.count() <= 2, qPrintable(QStringLiteral("%1 of %2").arg(lossY.count()).arg(updates)));
      // The loss axis ends on whole ticks.
      const QValueAxis* y = axis(loss, Qt::Vertical);
      const double ticks = (y->max() - y->min()) / y->tickInterval();
      QVERIFY2(std::abs(ticks - std::round(ticks)) < 1e-6, qPrintable(QString::number(ticks)));
      QCOMPARE(loss->points(ChartsPanel::lineKey(0, {"test_loss", false, {}, 0, 0, false, true, {}})).size(), 0);
      QCOMPARE(loss->points(ChartsPanel::lineKey(0, {"train_loss", false, {}, 0, 0, false, true, {}})).size(), 5);
    }
  }

  void aRunPastItsPlanDoublesTheAxis() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.resize(420, 260);
    chart.setXPlan(5);
    QList<QPointF> points;
    for (int i = 1; i <= 40; ++i) points << QPointF(i / 8.0, 1.0 / i);
    chart.appendPoints(QStringLiteral("loss"), kStyle, points);
    QCOMPARE(axis(&chart, Qt::Horizontal)->max(), 5.0);
    chart.appendPoints(QStringLiteral("loss"), kStyle, {QPointF(7, 0.1)});
    QCOMPARE(axis(&chart, Qt::Horizontal)->max(), 10.0);
    QCOMPARE(axis(&chart, Qt::Horizontal)->min(), 0.0);
  }

  void aRangeChangeMakesFewTickLabels() {
    // Qt Charts makes a label item per tick at each of setRange and setTickInterval: set in the wrong order, an
    // axis going from [0, 1] to a run's 5000 steps made 25,000 labels for a moment (seconds of UI thread).
    MetricChart chart(QStringLiteral("Loss"));
    chart.resize(420, 260);
    qsizetype most = 0;
    const auto count = [&] { most = std::max(most, chart.scene()->items().size()); };
    for (QValueAxis* a : {axis(&chart, Qt::Horizontal), axis(&chart, Qt::Vertical)}) {
      connect(a, &QValueAxis::rangeChanged, &chart, count);
      connect(a, &QValueAxis::tickIntervalChanged, &chart, count);
    }
    chart.setXPlan(5000);
    chart.appendPoints(QStringLiteral("loss"), kStyle, {QPointF(1, 1000), QPointF(2, 900)});
    QCOMPARE(axis(&chart, Qt::Horizontal)->max(), 5000.0);
    chart.zoomTo(QRectF(QPointF(1, 950), QPointF(2, 960)));  // and back to a small range
    chart.resetZoom();
    QVERIFY(most > 0);
    QVERIFY2(most < 200, qPrintable(QString::number(most)));
    // A line of zeros (a loss that starts at 0) gets an axis of its own size, not a few 1e-13 (Qt Charts hung).
    MetricChart zeros(QStringLiteral("Loss"));
    zeros.appendPoints(QStringLiteral("loss"), kStyle, {QPointF(1, 0), QPointF(2, 0)});
    QCOMPARE(axis(&zeros, Qt::Vertical)->min(), 0.0);
    QVERIFY(axis(&zeros, Qt::Vertical)->max() >= 0.2 && axis(&zeros, Qt::Vertical)->max() <= 1.0);
  }

  void keptRunsFitTheirDataAndZoomHolds() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.resize(420, 260);
    QList<QPointF> points;
    for (int i = 1; i <= 30; ++i) points << QPointF(i, 2.0 / i);
    chart.appendPoints(QStringLiteral("loss"), kStyle, points);
    QCOMPARE(axis(&chart, Qt::Horizontal)->min(), 1.0);  // no plan: the data's extent
    QCOMPARE(axis(&chart, Qt::Horizontal)->max(), 30.0);
    QVERIFY(axis(&chart, Qt::Vertical)->min() <= 2.0 / 30 && axis(&chart, Qt::Vertical)->max() >= 2.0);
    chart.zoomTo(QRectF(QPointF(2, 0.1), QPointF(8, 0.5)));
    chart.appendPoints(QStringLiteral("loss"), kStyle, {QPointF(31, 0.05)});
    QCOMPARE(chart.visibleArea(), QRectF(QPointF(2, 0.1), QPointF(8, 0.5)));
    chart.resetZoom();
    QCOMPARE(axis(&chart, Qt::Horizontal)->max(), 31.0);
  }

  void anUnchangedStyleLeavesTheSeriesAlone() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.appendPoints(QStringLiteral("loss"), kStyle, {QPointF(1, 1)});
    auto* series = qobject_cast<QLineSeries*>(chart.chart()->series().value(0));
    QVERIFY(series);
    QSignalSpy pens(series, &QLineSeries::penChanged);
    chart.appendPoints(QStringLiteral("loss"), kStyle, {QPointF(2, 0.5)});
    QCOMPARE(pens.count(), 0);
    LineStyle red = kStyle;
    red.color = Qt::red;
    chart.appendPoints(QStringLiteral("loss"), red, {QPointF(3, 0.4)});
    QCOMPARE(pens.count(), 1);
    QCOMPARE(series->pen().color(), QColor(Qt::red));
  }
};

QTEST_MAIN(LiveChartUpdatesTest)
#include "tst_live_chart_updates.moc"

// Chart axes a class can read, and a chart grid that shows every chart whole:
//  - niceTicks: intervals of 1, 2 or 5 times a power of ten, about as many ticks as asked for, integer ticks for
//    counts, label formats with just the decimals the interval needs;
//  - a MetricChart fed a run's epoch curve (per-batch points at 1/15 epoch) ticks its epoch axis on whole epochs;
//  - ChartsPanel::columnsFor: never a chart below its minimum width, and rows that fit the height when they can.
#include <QValueAxis>
#include <QtTest>
#include <cmath>

#include "views/charts/AxisTicks.h"
#include "views/charts/ChartsPanel.h"
#include "views/charts/MetricChart.h"

using namespace ffn::views;

namespace {

bool isNice(double interval) {
  const double power = std::pow(10.0, std::floor(std::log10(interval) + 1e-9));
  const double mantissa = interval / power;
  for (double nice : {1.0, 2.0, 5.0, 10.0})
    if (std::abs(mantissa - nice) < 1e-9) return true;
  return false;
}

int ticksIn(double min, double max, const AxisTicks& ticks) {
  return static_cast<int>(std::floor(max / ticks.interval + 1e-9) - std::ceil(min / ticks.interval - 1e-9)) + 1;
}

}  // namespace

class AxisTicksTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void niceIntervals_data() {
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<bool>("integer");
    QTest::addColumn<double>("interval");
    QTest::addColumn<QString>("format");
    QTest::newRow("epochs from a per-batch point") << 0.0667 << 30.0 << true << 10.0 << "%.0f";
    QTest::newRow("a short run's epochs") << 0.0 << 3.0 << true << 1.0 << "%.0f";
    QTest::newRow("one epoch in steps") << 0.0 << 1.0 << true << 0.2 << "%.1f";
    QTest::newRow("ensemble members") << 1.0 << 6.0 << true << 1.0 << "%.0f";
    QTest::newRow("steps") << 1.0 << 60000.0 << true << 10000.0 << "%.0f";
    QTest::newRow("accuracy") << 0.656 << 1.02 << false << 0.1 << "%.1f";
    QTest::newRow("small loss") << 0.0021 << 0.0901 << false << 0.02 << "%.2f";
    QTest::newRow("padded loss") << -3.47 << 61.5 << false << 20.0 << "%.0f";
    QTest::newRow("tiny") << 0.0 << 3e-6 << false << 1e-6 << "%.2g";
  }
  void niceIntervals() {
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(bool, integer);
    QFETCH(double, interval);
    QFETCH(QString, format);
    const AxisTicks ticks = niceTicks(min, max, 4, integer);
    QCOMPARE(ticks.interval, interval);
    QVERIFY(isNice(ticks.interval));
    QCOMPARE(ticks.format, format);
    QCOMPARE(ticks.anchor, 0.0);
    const int count = ticksIn(min, max, ticks);
    QVERIFY2(count >= 2 && count <= 6, qPrintable(QString::number(count)));
  }

  void moreRoomMoreTicks() {
    for (int target = 2; target <= 8; ++target) {
      const AxisTicks ticks = niceTicks(0, 150, target, true);
      QVERIFY(isNice(ticks.interval));
      const int count = ticksIn(0, 150, ticks);
      QVERIFY2(count >= target * 2 / 3 && count <= target * 3 / 2 + 2, qPrintable(QString::number(target)));
    }
    QVERIFY(niceTicks(0, 150, 8, true).interval < niceTicks(0, 150, 2, true).interval);
  }

  void chartTicksWholeEpochs() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.resize(420, 260);
    QList<QPointF> perBatch;
    for (int step = 1; step <= 450; ++step) perBatch << QPointF(step / 15.0, 1.0 / step);
    chart.appendPoints(QStringLiteral("loss"), {QStringLiteral("train"), Qt::blue, Qt::SolidLine, false, true, {}}, perBatch);
    auto* x = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Horizontal).value(0));
    auto* y = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).value(0));
    QVERIFY(x && y);
    QCOMPARE(x->tickType(), QValueAxis::TicksDynamic);
    QCOMPARE(x->tickAnchor(), 0.0);
    QVERIFY2(x->tickInterval() >= 1 && x->tickInterval() == std::round(x->tickInterval()),
             qPrintable(QString::number(x->tickInterval())));
    QCOMPARE(x->labelFormat(), QStringLiteral("%.0f"));
    QVERIFY(isNice(y->tickInterval()));
    // Zoomed in to two epochs: finer ticks, still nice ones.
    chart.zoomTo(QRectF(QPointF(3, 0), QPointF(5, 0.5)));
    QVERIFY(x->tickInterval() <= 1);
    QVERIFY(isNice(x->tickInterval()));
  }

  void chartGridColumns() {
    const int w = MetricChart::kMinimumWidth, h = MetricChart::kMinimumHeight;
    QCOMPARE(ChartsPanel::columnsFor(800, 300, 1), 1);
    QCOMPARE(ChartsPanel::columnsFor(800, 300, 2), 2);   // one row fits: side by side
    QCOMPARE(ChartsPanel::columnsFor(800, 500, 2), 1);   // both rows fit: full width each
    QCOMPARE(ChartsPanel::columnsFor(1200, 300, 4), 4);  // one row of four fits
    QCOMPARE(ChartsPanel::columnsFor(800, 300, 4), 2);   // not in one row: as many as fit, the rest scrolls
    QCOMPARE(ChartsPanel::columnsFor(900, 300, 4), 3);
    QCOMPARE(ChartsPanel::columnsFor(800, 500, 4), 2);   // two rows of two
    QCOMPARE(ChartsPanel::columnsFor(100, 100, 3), 1);   // never below the minimum width
    for (int width : {300, 560, 800, 1100})
      for (int height : {250, 460, 700})
        for (int charts = 1; charts <= 6; ++charts) {
          const int columns = ChartsPanel::columnsFor(width, height, charts);
          QVERIFY(columns >= 1 && columns <= charts);
          QVERIFY(columns == 1 || columns * w + (columns - 1) * 4 <= width);
          (void)h;
        }
  }
};

QTEST_MAIN(AxisTicksTest)
#include "tst_axis_ticks.moc"

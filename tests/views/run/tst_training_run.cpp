// Training from the GUI on the spiral example, driven by clicks on the run toolbar: a step draws the first chart
// points and a decision boundary; Train, Pause and Resume move the step counter only while running; Stop keeps
// the trained network (the boundary still answers) and records the run with the project; clicking a layer on the
// canvas shows its activation maps; the UI thread stays responsive while the worker trains. Each run is set to
// more epochs than it could train while the test drives it, so no check depends on how fast the machine is.
#include <QAction>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QTableWidget>
#include <QSpinBox>
#include <QToolButton>
#include <QtTest>
#include <algorithm>

#include "tests/views/EventLoopLatency.h"
#include "tests/views/ViewTestSupport.h"
#include "tests/views/WindowTestSupport.h"
#include "views/charts/ChartsPanel.h"
#include "views/charts/MetricChart.h"
#include "views/data/DataPanel.h"
#include "views/data/PlanePanel.h"
#include "views/data/PlaneView.h"
#include "views/document/NetworkDocument.h"
#include "views/heatmap/TileGrid.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/run/RunController.h"
#include "views/run/RunToolBar.h"
#include "views/run/RunsPanel.h"
#include "views/run/TrainingPanel.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

namespace {

// The most points any line of the chart has (the per-batch line, while an epoch is not yet over).
qsizetype mostPoints(const MetricChart* chart) {
  qsizetype most = 0;
  for (const QString& key : chart->lineKeys()) most = std::max(most, chart->points(key).size());
  return most;
}

std::size_t steps(const MainWindow& w) { return w.training()->runs()->session()->history().size(); }

// How different two images are: the fraction of pixels that differ.
double changedFraction(const QImage& a, const QImage& b) {
  if (a.size() != b.size() || a.isNull()) return 1.0;
  qint64 changed = 0;
  for (int y = 0; y < a.height(); ++y)
    for (int x = 0; x < a.width(); ++x) changed += a.pixel(x, y) != b.pixel(x, y);
  return static_cast<double>(changed) / (a.width() * a.height());
}

}  // namespace

class TrainingRunTest : public QObject {
  Q_OBJECT

 private:
  FakePrompter m_prompter;

  std::unique_ptr<MainWindow> show() {
    auto w = std::make_unique<MainWindow>(&m_prompter);
    w->setPersistSettings(false);
    w->resize(1440, 900);
    w->show();
    [&] { QVERIFY(QTest::qWaitForWindowExposed(w.get())); }();
    w->startUp(QString(), false);  // the spiral example
    w->training()->runs()->setThreads(1);
    // As many epochs as the panel allows (15 million steps): the run cannot finish while the test drives it, so
    // Pause and Stop always find it training, however fast the machine is.
    QSpinBox* epochs = w->training()->settings()->epochsBox();
    epochs->setValue(epochs->maximum());
    [&] { QCOMPARE(w->document()->project().training.epochs, epochs->maximum()); }();
    return w;
  }

 private Q_SLOTS:
  void initTestCase() { isolate(QStringLiteral("tst_training_run")); }
  void cleanup() { m_prompter.saveAnswers = {Prompter::SaveChoice::Discard}; }

  void stepPauseResumeStop() {
    auto w = show();
    TrainingViews* t = w->training();
    RunToolBar* bar = t->toolBar();
    const RunToolBar::Actions& a = bar->actions();
    PlaneView* plane = t->data()->planePanel()->plane();

    // One step: the data is loaded on the worker, one point reaches the charts, the boundary is drawn.
    click(bar, a.stepBatch);
    QTRY_COMPARE_WITH_TIMEOUT(steps(*w), std::size_t(1), 10000);
    QTRY_COMPARE(t->runs()->state(), RunState::Paused);
    QCOMPARE(t->data()->page(), 1);  // the plane page: spiral data is 2-D
    QVERIFY(plane->hasPlane());
    QTRY_VERIFY(!plane->boundary().isNull());
    MetricChart* loss = t->charts()->chart(QStringLiteral("loss"));
    QVERIFY(loss);
    QTRY_COMPARE(mostPoints(loss), qsizetype(1));
    const QImage firstBoundary = plane->boundary();

    // Train: steps go on; the chart grows; the boundary changes.
    click(bar, a.train);
    QTRY_VERIFY_WITH_TIMEOUT(steps(*w) >= 60, 20000);
    click(bar, a.pause);
    QTRY_COMPARE(t->runs()->state(), RunState::Paused);
    QTRY_VERIFY(plane->boundaryUpdates() >= 2);
    QTest::qWait(300);  // a last boundary of the paused network
    const std::size_t paused = steps(*w);
    QTest::qWait(300);
    QCOMPARE(steps(*w), paused);  // paused: no step taken
    QVERIFY2(changedFraction(firstBoundary, plane->boundary()) > 0.02,
             qPrintable(QString::number(changedFraction(firstBoundary, plane->boundary()))));
    QVERIFY(mostPoints(loss) > 1);

    // Step once more while paused: exactly one step.
    click(bar, a.stepBatch);
    QTRY_COMPARE(steps(*w), paused + 1);
    QTest::qWait(100);
    QCOMPARE(steps(*w), paused + 1);

    // Resume, then stop: the run ends, its network stays, and it is kept with the project.
    QCOMPARE(a.train->text(), QStringLiteral("Resume"));
    click(bar, a.train);
    QTRY_VERIFY(steps(*w) > paused + 5);
    click(bar, a.stop);
    QTRY_COMPARE(t->runs()->state(), RunState::Stopped);
    const std::size_t stopped = steps(*w);
    QTest::qWait(200);
    QCOMPARE(steps(*w), stopped);
    QVERIFY(t->runs()->hasLiveRun());  // the trained network stays to look at
    QTRY_COMPARE(w->document()->project().runs.size(), std::size_t(1));
    const Json& record = w->document()->project().runs.front();
    QCOMPARE(record.value("state", std::string()), std::string("stopped"));
    QCOMPARE(t->runsPanel()->table()->rowCount(), 1);
    QVERIFY(!a.stop->isEnabled());
    QVERIFY(!a.pause->isEnabled());

    // Clicking a layer on the canvas: its units' activation maps over the plane, from the kept network.
    CanvasView* view = w->canvas();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, toViewport(view, nodeBodyPos(view, "dense1")));
    TileGrid* maps = t->data()->planePanel()->maps();
    QTRY_VERIFY(!maps->tiles().empty());
    const int units = w->document()->project().graph.node("dense1")->params.at("units").get<int>();
    QCOMPARE(static_cast<int>(maps->tiles().size()), std::min(units, 64));

    // Reset forgets the live run (it stays in the table) and clears the views: the data's points stay, drawn
    // again from the project (the preview before a run), without a boundary.
    click(bar, a.reset);
    QTRY_VERIFY(!t->runs()->hasLiveRun());
    QVERIFY(plane->boundary().isNull());
    QVERIFY(plane->hasPlane());
    QCOMPARE(t->runsPanel()->table()->rowCount(), 1);
  }

  void uiStaysResponsiveWhileTraining() {
    auto w = show();
    TrainingViews* t = w->training();
    click(t->toolBar(), t->toolBar()->actions().train);
    QTRY_VERIFY_WITH_TIMEOUT(steps(*w) >= 1, 10000);
    // Event-loop latency: how late a 5 ms timer fires while the worker trains and the views redraw.
    std::vector<double> late;
    QElapsedTimer clock;
    clock.start();
    while (late.size() < 200 && clock.elapsed() < 8000) {
      late.push_back(ffn::test::timerLatenessMs());
    }
    const std::size_t trained = steps(*w);
    click(t->toolBar(), t->toolBar()->actions().stop);
    QTRY_COMPARE(t->runs()->state(), RunState::Stopped);
    std::sort(late.begin(), late.end());
    const double p50 = late[late.size() / 2], p99 = late[late.size() * 99 / 100];
    qInfo("UI latency while training: p50 %.2f ms, p99 %.2f ms over %zu ticks; %zu steps trained", p50, p99,
          late.size(), trained);
    QVERIFY(trained > 20);  // it trained meanwhile
    // Generous: a frame at 30 Hz for the median, a quarter second for the worst percent (a shared CI machine).
    QVERIFY2(p50 < 33.0, qPrintable(QString::number(p50)));
    QVERIFY2(p99 < 250.0, qPrintable(QString::number(p99)));
  }
};

QTEST_MAIN(TrainingRunTest)
#include "tst_training_run.moc"

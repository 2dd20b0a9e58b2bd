// Training on Fashion-MNIST from the GUI: a few steps fill the charts, the dataset browser shows the test images,
// a chosen sample gets a prediction with per-class scores and an LRP heatmap, and another composite gives another
// heatmap. The Heatmaps panel draws a grid of many samples (a class at a time, exported as PNG) and the
// pixel-flipping curves of the composite; a rule given to one node by clicking it on the canvas is stored in the
// project, changes the heatmap, and goes with undo.
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "tests/views/ViewTestSupport.h"
#include "tests/views/WindowTestSupport.h"
#include "views/charts/ChartsPanel.h"
#include "views/charts/MetricChart.h"
#include "views/data/DataPanel.h"
#include "views/data/DatasetBrowser.h"
#include "views/document/NetworkDocument.h"
#include "views/heatmap/HeatmapsPanel.h"
#include "views/heatmap/LrpSettingsBar.h"
#include "views/heatmap/TileGrid.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/run/RunController.h"
#include "views/run/RunToolBar.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

namespace {

// Chooses an entry of a combo box as the mouse would (activated is what the views listen to).
void choose(QComboBox* box, const QVariant& data) {
  const int index = box->findData(data);
  QVERIFY2(index >= 0, qPrintable(data.toString()));
  box->setCurrentIndex(index);
  Q_EMIT box->activated(index);
}

std::size_t steps(TrainingViews* t) { return t->runs()->session()->history().size(); }

}  // namespace

class ImageRunTest : public QObject {
  Q_OBJECT

 private:
  FakePrompter m_prompter;

  // The Fashion-MNIST MLP example in a window, stepped `batches` times from the toolbar.
  std::unique_ptr<MainWindow> trained(int batches) {
    m_prompter.saveAnswers = {Prompter::SaveChoice::Discard};
    auto w = exampleWindow(&m_prompter, QStringLiteral("fmnist-mlp-bp"));
    TrainingViews* t = w->training();
    RunToolBar* bar = t->toolBar();
    for (int i = 1; i <= batches; ++i) {
      QTest::mouseClick(bar->widgetForAction(bar->actions().stepBatch), Qt::LeftButton);
      [&] { QTRY_COMPARE_WITH_TIMEOUT(steps(t), std::size_t(i), 20000); }();
    }
    return w;
  }

 private Q_SLOTS:
  void initTestCase() { isolate(QStringLiteral("tst_image_run")); }

  void stepsFillChartsAndHeatmapsFollowTheComposite() {
    if (!haveFashionMnist()) QSKIP("Fashion-MNIST is not installed here");
    auto w = trained(3);
    TrainingViews* t = w->training();
    MetricChart* loss = t->charts()->chart(QStringLiteral("loss"));
    QVERIFY(loss);
    auto most = [loss] {
      qsizetype most = 0;
      for (const QString& key : loss->lineKeys()) most = std::max(most, loss->points(key).size());
      return most;
    };
    QTRY_COMPARE(most(), qsizetype(3));  // one point per step on the per-batch line

    DatasetBrowser* browser = t->data()->browser();
    QCOMPARE(t->data()->page(), 2);  // the image browser
    QVERIFY(browser->visibleCount() > 100);
    QListWidget* list = browser->list();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(3)).center());
    QCOMPARE(browser->selectedSample(), std::int64_t(3));
    QTRY_VERIFY_WITH_TIMEOUT(!browser->heatmap().isNull(), 20000);
    QVERIFY(browser->predictionLabel()->text().contains(QStringLiteral("Prediction")));
    QCOMPARE(browser->heatmap().size(), QSize(28, 28));
    const QImage first = browser->heatmap();

    // Another composite: stored in the project (undoable), and another heatmap of the same sample and weights.
    QComboBox* composite = browser->compositeBox();
    QVERIFY(composite->currentData().toString() != QStringLiteral("epsilon-alpha2-beta1"));
    choose(composite, QStringLiteral("epsilon-alpha2-beta1"));
    QCOMPARE(w->document()->project().lrp.composite, std::string("epsilon-alpha2-beta1"));
    QTRY_VERIFY_WITH_TIMEOUT(browser->heatmap() != first, 20000);
    QCOMPARE(browser->heatmap().size(), QSize(28, 28));
    QTemporaryDir dir;
    QVERIFY(browser->saveHeatmap(dir.filePath("one.png")));
    QCOMPARE(QImage(dir.filePath("one.png")).size(), QSize(168, 168));
    w->document()->undoStack()->undo();
    QCOMPARE(w->document()->project().lrp.composite, std::string("epsilon-plus"));
    QCOMPARE(composite->currentData().toString(), QStringLiteral("epsilon-plus"));
    QTRY_VERIFY_WITH_TIMEOUT(browser->heatmap() == first, 20000);  // the same weights, the same composite
  }

  void nodeRuleFromTheCanvasChangesTheHeatmap() {
    if (!haveFashionMnist()) QSKIP("Fashion-MNIST is not installed here");
    auto w = trained(2);
    TrainingViews* t = w->training();
    DatasetBrowser* browser = t->data()->browser();
    browser->selectSample(5);
    QTRY_VERIFY_WITH_TIMEOUT(!browser->heatmap().isNull(), 20000);
    const QImage before = browser->heatmap();
    LrpSettingsBar* lrp = browser->lrpBar();
    QVERIFY(!lrp->nodeRuleBox()->isEnabled());  // no node selected yet

    // Click the first Dense layer on the canvas and give it the flat rule (relevance spread evenly over its inputs).
    CanvasView* view = w->canvas();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, toViewport(view, nodeBodyPos(view, "dense1")));
    QCOMPARE(lrp->node(), NodeId("dense1"));
    QVERIFY(lrp->nodeRuleBox()->isEnabled());
    QCOMPARE(lrp->nodeRuleBox()->currentData().toString(), QString());  // the composite's rule
    choose(lrp->nodeRuleBox(), QStringLiteral("flat"));
    const Json& overrides = w->document()->project().lrp.overrides;
    QCOMPARE(overrides.value("dense1", std::string()), std::string("flat"));
    QTRY_VERIFY_WITH_TIMEOUT(browser->heatmap() != before, 20000);
    const QImage flat = browser->heatmap();
    // Flat spreads the first layer's relevance evenly over its inputs: the map of every pixel has the same sign.
    int red = 0, blue = 0;
    for (int y = 0; y < flat.height(); ++y)
      for (int x = 0; x < flat.width(); ++x) {
        const QColor c = flat.pixelColor(x, y);
        red += c.red() > c.blue() + 8;
        blue += c.blue() > c.red() + 8;
      }
    QVERIFY2(red == 0 || blue == 0, qPrintable(QStringLiteral("%1 red, %2 blue").arg(red).arg(blue)));

    // Another node selected: the box shows that node's rule; back on dense1 it shows the override.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, toViewport(view, nodeBodyPos(view, "dense2")));
    QCOMPARE(lrp->nodeRuleBox()->currentData().toString(), QString());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, toViewport(view, nodeBodyPos(view, "dense1")));
    QCOMPARE(lrp->nodeRuleBox()->currentData().toString(), QStringLiteral("flat"));

    // Back to the composite's rule: the override leaves the project and the first heatmap returns.
    choose(lrp->nodeRuleBox(), QString());
    QVERIFY(!w->document()->project().lrp.overrides.contains("dense1"));
    QTRY_VERIFY_WITH_TIMEOUT(browser->heatmap() == before, 20000);
    w->document()->undoStack()->undo();  // the override again
    QCOMPARE(w->document()->project().lrp.overrides.value("dense1", std::string()), std::string("flat"));
    QTRY_VERIFY_WITH_TIMEOUT(browser->heatmap() == flat, 20000);
  }

  void heatmapGridAndPixelFlipping() {
    if (!haveFashionMnist()) QSKIP("Fashion-MNIST is not installed here");
    auto w = trained(3);
    HeatmapsPanel* panel = w->training()->heatmaps();
    // A grid of the first 16 browsed samples, drawn on the training thread.
    QTRY_COMPARE_WITH_TIMEOUT(panel->grid()->tiles().size(), std::size_t(16), 20000);
    QCOMPARE(panel->lastGrid().indices.front(), std::int64_t(0));
    QCOMPARE(panel->grid()->tiles().front().size(), QSize(28, 28));
    // One class only: every tile is a sample of that class.
    choose(panel->classBox(), 7);
    QTRY_VERIFY_WITH_TIMEOUT(!panel->lastGrid().labels.empty() && panel->lastGrid().labels.front() == 7, 20000);
    QVERIFY(panel->lastGrid().labels == std::vector<int>(panel->lastGrid().labels.size(), 7));
    QVERIFY(panel->lastGrid().labels.size() >= 8);
    QTemporaryDir dir;
    QVERIFY(panel->exportGrid(dir.filePath("grid.png")));
    const QImage exported(dir.filePath("grid.png"));
    QVERIFY(exported.width() > 4 * 28 && exported.height() > 28);

    // Pixel flipping on the training thread: MoRF and LeRF start from the same scores (nothing replaced) and
    // end on the same (everything replaced), and so do the random orders.
    QTest::mouseClick(panel->evaluateButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(panel->flippingUpdates(), 1, 30000);
    MetricChart* chart = panel->flippingChart();
    for (const char* key : {"morf", "lerf", "morf-random", "lerf-random"}) {
      QVERIFY2(chart->hasLine(key), key);
      QCOMPARE(chart->points(key).size(), qsizetype(21));
    }
    const auto morf = chart->points("morf"), lerf = chart->points("lerf"), random = chart->points("morf-random");
    QCOMPARE(morf.front().y(), lerf.front().y());
    QCOMPARE(morf.front().y(), random.front().y());
    QCOMPARE(morf.back().y(), lerf.back().y());
    QCOMPARE(morf.back().x(), 1.0);
    QVERIFY2(panel->abpcLabel()->text().contains(QStringLiteral("ABPC")), qPrintable(panel->abpcLabel()->text()));
    QVERIFY(panel->abpcLabel()->text().contains(QStringLiteral("256 samples")));
  }
};

QTEST_MAIN(ImageRunTest)
#include "tst_image_run.moc"

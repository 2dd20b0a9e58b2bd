// Renders the lab as a class sees it after training — one picture per training rule on its 2-D example (the
// loss and accuracy charts, the rule's own chart, the decision boundary) and the Fashion-MNIST heatmaps with the
// pixel-flipping curves — to <build>/screenshots/run-*.png for people to look at (the README shows some). On the
// pixels it checks what can be checked: each run trained to its end, drew its rule's chart and a boundary.
#include <QDir>
#include <QDockWidget>
#include <QLegendMarker>
#include <QPushButton>
#include <QtTest>

#include "tests/views/ViewTestSupport.h"
#include "tests/views/WindowTestSupport.h"
#include "views/charts/ChartsPanel.h"
#include "views/charts/MetricChart.h"
#include "views/data/DataPanel.h"
#include "views/data/DatasetBrowser.h"
#include "views/data/PlanePanel.h"
#include "views/data/PlaneView.h"
#include "views/heatmap/HeatmapsPanel.h"
#include "views/heatmap/TileGrid.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/run/RunController.h"
#include "views/run/RunToolBar.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

class RuleSnapshots : public QObject {
  Q_OBJECT

 private:
  FakePrompter m_prompter;
  QString m_folder = QStringLiteral(FFN_BINARY_DIR "/screenshots");

  std::unique_ptr<MainWindow> open(const QString& example) {
    m_prompter.saveAnswers = {Prompter::SaveChoice::Discard};
    return exampleWindow(&m_prompter, example);
  }
  void save(QWidget* widget, const QString& name) { saveSnapshot(widget, m_folder, name); }

 private Q_SLOTS:
  void initTestCase() {
    isolate(QStringLiteral("tst_rule_snapshots"));
    QVERIFY(QDir().mkpath(m_folder));
  }

  void planeRuns_data() {
    QTest::addColumn<QString>("example");
    QTest::addColumn<QString>("ruleChart");  // the chart of the rule's own numbers ("" for backprop: none)
    QTest::newRow("backprop") << "spiral-bp" << "";
    QTest::newRow("ff") << "blobs-ff" << "rule:ff_goodness";
    QTest::newRow("mf") << "moons-mf" << "rule:";
    QTest::newRow("ccl") << "circles-ccl" << "rule:";
  }
  void planeRuns() {
    QFETCH(QString, example);
    QFETCH(QString, ruleChart);
    auto w = open(example);
    TrainingViews* t = w->training();
    RunToolBar* bar = t->toolBar();
    QTest::mouseClick(bar->widgetForAction(bar->actions().train), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(t->runs()->state(), RunState::Finished, 60000);
    PlaneView* plane = t->data()->planePanel()->plane();
    QTRY_VERIFY(!plane->boundary().isNull());
    QTest::qWait(300);  // the boundary of the final network
    const QStringList keys = [&] {
      QStringList all;
      for (const MetricChart* chart : t->charts()->charts()) all << chart->objectName();
      return all;
    }();
    QCOMPARE(keys.join(' ').contains(QStringLiteral("rule:")), !ruleChart.isEmpty());
    if (!ruleChart.isEmpty()) QVERIFY2(keys.join(' ').contains(ruleChart), qPrintable(keys.join(' ')));
    // The picture shows every chart whole: the Charts dock made as tall as a teacher would drag it for two rows.
    auto* charts = w->findChild<QDockWidget*>(QStringLiteral("chartsDock"));
    w->resizeDocks({charts}, {560}, Qt::Vertical);
    QCoreApplication::processEvents();
    for (MetricChart* chart : t->charts()->charts()) {
      QWidget* viewport = chart->parentWidget()->parentWidget();  // the charts' grid in the panel's scroll area
      const auto shown = [&] { return QRect(chart->mapTo(viewport, QPoint(0, 0)), chart->size()); };
      QTRY_VERIFY2(viewport->rect().contains(shown()),
               qPrintable(QStringLiteral("%1 at %2,%3 %4x%5 in %6x%7, %8 columns")
                              .arg(chart->objectName())
                              .arg(shown().x())
                              .arg(shown().y())
                              .arg(shown().width())
                              .arg(shown().height())
                              .arg(viewport->width())
                              .arg(viewport->height())
                              .arg(t->charts()->columns())));
    }
    save(w.get(), QStringLiteral("run-%1.png").arg(example));
  }

  // The NTK ensemble on the permutation task: exact match against the number of members with the k ln k and k^2
  // lines, and the learned permutation as a matrix.
  void ntkPermutation() {
    QTemporaryDir dir;
    const QString path = smallPermutationProject(dir);
    QVERIFY(!path.isEmpty());
    auto w = open(QString());
    QVERIFY(w->controller()->openFile(path));
    TrainingViews* t = w->training();
    click(t->toolBar(), t->toolBar()->actions().train);
    QTRY_COMPARE_WITH_TIMEOUT(t->runs()->state(), RunState::Finished, 60000);
    MetricChart* chart = nullptr;
    QTRY_VERIFY((chart = t->charts()->chart(QStringLiteral("rule:ntk_exact_match"))) != nullptr);
    QTRY_VERIFY(chart->hasData());
    QCOMPARE(t->data()->page(), 3);  // the permutation matrix
    w->resizeDocks({w->findChild<QDockWidget*>(QStringLiteral("chartsDock"))}, {560}, Qt::Vertical);
    QWidget* viewport = chart->parentWidget()->parentWidget();
    QTRY_VERIFY(viewport->rect().contains(QRect(chart->mapTo(viewport, QPoint(0, 0)), chart->size())));
    save(w.get(), QStringLiteral("run-permutation-ntk.png"));
  }

  void imageHeatmaps() {
    if (!QFile::exists(QStringLiteral("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
      QSKIP("Fashion-MNIST is not installed here");
    auto w = open(QStringLiteral("fmnist-mlp-bp"));
    TrainingViews* t = w->training();
    RunToolBar* bar = t->toolBar();
    QTest::mouseClick(bar->widgetForAction(bar->actions().train), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(t->runs()->session()->history().size() >= 150, 60000);
    QTest::mouseClick(bar->widgetForAction(bar->actions().pause), Qt::LeftButton);
    QTRY_COMPARE(t->runs()->state(), RunState::Paused);
    t->data()->browser()->selectSample(0);
    QTRY_VERIFY_WITH_TIMEOUT(!t->data()->browser()->heatmap().isNull(), 20000);
    save(w.get(), QStringLiteral("run-fmnist-browser.png"));

    auto* heatmaps = w->findChild<QDockWidget*>(QStringLiteral("heatmapsDock"));
    heatmaps->raise();
    w->resizeDocks({heatmaps}, {560}, Qt::Vertical);  // three rows of tiles in the picture
    HeatmapsPanel* panel = t->heatmaps();
    QTest::mouseClick(panel->evaluateButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(panel->flippingUpdates(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!panel->grid()->tiles().empty(), 20000);
    // Tiles a class can read, and the pixel-flipping legend whole (every marker of the four curves shown).
    QTRY_VERIFY2(panel->grid()->tileRect(0).width() >= 64, qPrintable(QString::number(panel->grid()->tileRect(0).width())));
    // (The legend sets its labels in one row and elides what does not fit: the labels and their swatches must.)
    MetricChart* flipping = panel->findChild<MetricChart*>(QStringLiteral("flippingChart"));
    const QFontMetrics metrics(flipping->chart()->legend()->font());
    int legendWidth = 0;
    for (QLegendMarker* marker : flipping->chart()->legend()->markers())
      if (marker->isVisible()) legendWidth += metrics.horizontalAdvance(marker->label()) + 2 * metrics.height();
    QVERIFY2(legendWidth <= flipping->width(),
             qPrintable(QStringLiteral("%1 > %2").arg(legendWidth).arg(flipping->width())));
    save(w.get(), QStringLiteral("run-fmnist-heatmaps.png"));
    w->findChild<QDockWidget*>(QStringLiteral("weightsDock"))->raise();
    save(w.get(), QStringLiteral("run-fmnist-weights.png"));
  }
};

QTEST_MAIN(RuleSnapshots)
#include "tst_rule_snapshots.moc"

// Training on Fashion-MNIST from the GUI: a few steps fill the charts, the dataset browser shows the test images,
// a chosen sample gets a prediction with per-class scores and an LRP heatmap, and another composite gives another
// heatmap.
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QtTest>

#include "tests/views/ViewTestSupport.h"
#include "views/charts/ChartsPanel.h"
#include "views/charts/MetricChart.h"
#include "views/data/DataPanel.h"
#include "views/data/DatasetBrowser.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/run/RunController.h"
#include "views/run/RunToolBar.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

class ImageRunTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { isolate(QStringLiteral("tst_image_run")); }

  void stepsFillChartsAndHeatmapsFollowTheComposite() {
    if (!QFile::exists(QStringLiteral("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
      QSKIP("Fashion-MNIST is not installed here");
    FakePrompter prompter;
    prompter.saveAnswers = {Prompter::SaveChoice::Discard};
    MainWindow w(&prompter);
    w.setPersistSettings(false);
    w.resize(1440, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.startUp(QString(), false);
    QVERIFY(w.controller()->openExample(QStringLiteral(":/examples/fmnist-mlp-bp.ffnlab")));
    TrainingViews* t = w.training();
    t->runs()->setThreads(1);
    RunToolBar* bar = t->toolBar();
    for (int i = 1; i <= 3; ++i) {
      QTest::mouseClick(bar->widgetForAction(bar->actions().stepBatch), Qt::LeftButton);
      QTRY_COMPARE_WITH_TIMEOUT(t->runs()->session()->history().size(), std::size_t(i), 20000);
    }
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

    // Another composite: another heatmap of the same sample and weights.
    QComboBox* composite = browser->compositeBox();
    const int other = composite->findData(QStringLiteral("epsilon-alpha2-beta1"));
    QVERIFY(other >= 0);
    QVERIFY(composite->currentIndex() != other);
    composite->setCurrentIndex(other);
    Q_EMIT composite->activated(other);  // what choosing it with the mouse sends
    QTRY_VERIFY_WITH_TIMEOUT(browser->heatmap() != first, 20000);
    QCOMPARE(browser->heatmap().size(), QSize(28, 28));
    QVERIFY(!browser->heatmap().isNull());
  }
};

QTEST_MAIN(ImageRunTest)
#include "tst_image_run.moc"

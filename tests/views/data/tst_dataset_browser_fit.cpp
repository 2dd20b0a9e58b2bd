// The dataset browser at the window's default size (1280 x 800, the default dock layout) and in presenter mode:
// for a selected Fashion-MNIST-like sample, its picture, its heatmap and the score bars of all ten classes are in
// sight at once — no bar outside the visible part of the browser, nothing to scroll — and presenter mode's larger
// text reaches the browser too. The run's data is played in (RunInfo and a prediction, as the training thread
// sends them), so no data set is needed. Set FFN_SNAPSHOT_DIR to keep the pictures looked at.
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QtTest>

#include "tests/views/ViewTestSupport.h"
#include "tests/views/WindowTestSupport.h"
#include "views/data/DataPanel.h"
#include "views/data/DatasetBrowser.h"
#include "views/data/ScoreBars.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/run/RunController.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

namespace {

const QStringList kClasses = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                              "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

RunInfo fakeRun() {
  RunInfo info;
  info.dataDescription = QStringLiteral(
      "Fashion-MNIST: 60000 train, 10000 test; samples [1, 28, 28]; 10 classes; pixels / 255, standardized "
      "(mean 0.286041, std 0.353024)");
  info.classes = 10;
  info.classNames = kClasses;
  info.samplesSplit = QStringLiteral("test");
  for (int i = 0; i < 40; ++i) {
    QImage image(28, 28, QImage::Format_Grayscale8);
    image.fill(static_cast<uint>(40 + 5 * i));
    info.samples.push_back({i, i % 10, image});
  }
  return info;
}

SamplePrediction fakePrediction(std::int64_t index) {
  SamplePrediction p;
  p.index = index;
  p.label = 9;
  p.predicted = 9;
  p.probabilities = true;
  p.scores = {0.01f, 0.0f, 0.02f, 0.0f, 0.01f, 0.08f, 0.01f, 0.12f, 0.03f, 0.72f};
  p.heatmap = QImage(28, 28, QImage::Format_RGB32);
  p.heatmap.fill(Qt::red);
  return p;
}

}  // namespace

class DatasetBrowserFitTest : public QObject {
  Q_OBJECT

 private:
  FakePrompter m_prompter;

  // Every score bar of the selected sample, and its picture and heatmap, lie in the browser's visible part.
  static void verifyAllInSight(DatasetBrowser* browser) {
    ScoreBars* bars = browser->scores();
    QCOMPARE(bars->scores().size(), std::size_t(10));
    for (QWidget* w : {static_cast<QWidget*>(bars), static_cast<QWidget*>(browser->heatmapLabel())})
      QVERIFY2(w->isVisible(), w->metaObject()->className());
    for (int c = 0; c < 10; ++c) {
      const QRect row = bars->rowRect(c);
      QVERIFY2(!row.isEmpty(), qPrintable(QString::number(c)));
      QVERIFY2(bars->visibleRegion().contains(row) && bars->visibleRegion().intersected(row) == QRegion(row),
               qPrintable(QStringLiteral("bar %1 (%2) at %3,%4 %5x%6 is not all in sight; the bars are %7x%8")
                              .arg(c)
                              .arg(kClasses[c])
                              .arg(row.x())
                              .arg(row.y())
                              .arg(row.width())
                              .arg(row.height())
                              .arg(bars->width())
                              .arg(bars->height())));
    }
    // Room for every name, a bar and its value (else the values are cut off at the right).
    QVERIFY2(bars->width() >= bars->minimumSizeHint().width(),
             qPrintable(QStringLiteral("%1 < %2").arg(bars->width()).arg(bars->minimumSizeHint().width())));
    QLabel* heatmap = browser->heatmapLabel();
    QCOMPARE(heatmap->visibleRegion().intersected(heatmap->rect()), QRegion(heatmap->rect()));
    // Nothing in the browser scrolls to reach them.
    for (QScrollArea* area : browser->findChildren<QScrollArea*>())
      QVERIFY(!area->verticalScrollBar()->isVisible());
  }

 private Q_SLOTS:
  void initTestCase() { isolate(QStringLiteral("tst_dataset_browser_fit")); }

  void scoreBarsInSightAtTheDefaultSizeAndInPresenterMode() {
    MainWindow window(&m_prompter);
    window.setPersistSettings(false);
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.startUp(QString(), false);
    TrainingViews* t = window.training();
    Q_EMIT t->runs()->session()->prepared(fakeRun());
    DatasetBrowser* browser = t->data()->browser();
    QCOMPARE(t->data()->page(), 2);  // the image browser
    browser->selectSample(3);
    browser->showPrediction(fakePrediction(3));
    QCoreApplication::processEvents();
    QVERIFY2(browser->isVisible(), "the Data dock shows the browser by default");
    verifyAllInSight(browser);
    const QString shots = qEnvironmentVariable("FFN_SNAPSHOT_DIR");
    if (!shots.isEmpty()) saveSnapshot(&window, shots, QStringLiteral("browser-1280x800.png"));

    const double normal = browser->scores()->font().pointSizeF();
    window.setPresenterMode(true);
    for (int pass = 0; pass < 3; ++pass) QCoreApplication::processEvents();  // the new fonts' layout passes
    QVERIFY2(browser->scores()->font().pointSizeF() >= normal * 1.3, "presenter mode's text reaches the score bars");
    QVERIFY(browser->predictionLabel()->font().pointSizeF() >= normal * 1.3);
    verifyAllInSight(browser);
    if (!shots.isEmpty()) saveSnapshot(&window, shots, QStringLiteral("browser-presenter-1280x800.png"));
  }
};

QTEST_MAIN(DatasetBrowserFitTest)
#include "tst_dataset_browser_fit.moc"

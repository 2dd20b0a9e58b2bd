// What keeps the UI thread free while a run trains, checked without timing anything: a sample's LRP heatmap is
// computed on the run's worker thread, never the UI thread, and requests that pile up while the worker is busy
// collapse into the newest one; text that changes with every update (the run's status, a live prediction) does
// not make the main window lay out its docks again.
#include <QLabel>
#include <QSemaphore>
#include <QThread>
#include <QVBoxLayout>
#include <QtTest>
#include <atomic>
#include <mutex>

#include "tests/views/ViewTestSupport.h"
#include "tests/views/WindowTestSupport.h"
#include "views/data/DataPanel.h"
#include "views/data/DatasetBrowser.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/TrainingViews.h"
#include "views/run/HeatmapRenderer.h"
#include "views/run/RunController.h"
#include "views/run/RunToolBar.h"
#include "views/style/QuietLabel.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

namespace {

// Counts the layout requests a widget receives.
class LayoutRequests : public QObject {
 public:
  int count = 0;
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::LayoutRequest) ++count;
    return QObject::eventFilter(watched, event);
  }
};

// A window laid out like a dock's content: a label among other widgets. Returns the layout requests the window
// got while the label's text changed ten times.
template <typename Label>
int windowRelayoutsWhileTextChanges() {
  QWidget window;
  auto* layout = new QVBoxLayout(&window);
  auto* label = new Label;
  layout->addWidget(new QLabel(QStringLiteral("above")));
  layout->addWidget(label);
  layout->addStretch(1);
  window.resize(300, 200);
  window.show();
  if (!QTest::qWaitForWindowExposed(&window)) return -1;
  QCoreApplication::processEvents();
  LayoutRequests requests;
  window.installEventFilter(&requests);
  for (int i = 0; i < 10; ++i) {
    label->setText(QStringLiteral("epoch 1/5 · step %1 · loss %2").arg(i * 1111).arg(1.0 / (i + 1)));
    QCoreApplication::processEvents();
  }
  return requests.count;
}

}  // namespace

class LiveUpdatesTest : public QObject {
  Q_OBJECT

 private:
  FakePrompter m_prompter;

 private Q_SLOTS:
  void initTestCase() { isolate(QStringLiteral("tst_live_updates")); }

  void changingTextLeavesTheWindowLayoutAlone() {
    // The check can fail: a plain QLabel asks the window to lay out again on every change.
    QVERIFY(windowRelayoutsWhileTextChanges<QLabel>() > 0);
    QCOMPARE(windowRelayoutsWhileTextChanges<QuietLabel>(), 0);
  }

  void heatmapsRenderOffTheUiThreadAndRequestsCoalesce() {
    if (!haveFashionMnist()) QSKIP("Fashion-MNIST is not installed here");
    m_prompter.saveAnswers = {Prompter::SaveChoice::Discard};
    auto w = exampleWindow(&m_prompter, QStringLiteral("fmnist-mlp-bp"));
    TrainingViews* t = w->training();
    RunToolBar* bar = t->toolBar();
    QTest::mouseClick(bar->widgetForAction(bar->actions().stepBatch), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(t->runs()->session()->history().size(), std::size_t(1), 30000);
    QTRY_COMPARE(t->runs()->state(), RunState::Paused);

    // The worker renders the first request and waits in it until the test lets it go; meanwhile the UI asks for
    // eight more samples, and stays free to do so.
    std::mutex mutex;
    std::vector<std::int64_t> rendered;
    std::atomic<bool> onUiThread{false}, entered{false};
    QSemaphore release;
    QThread* ui = QThread::currentThread();
    HeatmapRenderer::setRenderHook([&](std::int64_t index) {
      if (QThread::currentThread() == ui) onUiThread = true;
      bool first = false;
      {
        std::lock_guard lock(mutex);
        rendered.push_back(index);
        first = rendered.size() == 1;
      }
      if (first) {
        entered = true;
        release.acquire();
      }
    });
    DatasetBrowser* browser = t->data()->browser();
    browser->selectSample(0);
    QTRY_VERIFY_WITH_TIMEOUT(entered.load(), 20000);
    for (std::int64_t index = 1; index <= 8; ++index) browser->selectSample(index);
    QCOMPARE(browser->selectedSample(), std::int64_t(8));
    release.release();
    QTRY_VERIFY_WITH_TIMEOUT(!browser->heatmap().isNull(), 20000);
    QVERIFY(browser->predictionLabel()->text().contains(QStringLiteral("Prediction")));
    QTest::qWait(200);  // anything else the worker would still render would come now
    HeatmapRenderer::setRenderHook({});
    std::lock_guard lock(mutex);
    QVERIFY(!onUiThread);
    // The first request and the newest: the seven in between were replaced before the worker got to them.
    QCOMPARE(rendered, (std::vector<std::int64_t>{0, 8}));
  }
};

QTEST_MAIN(LiveUpdatesTest)
#include "tst_live_updates.moc"

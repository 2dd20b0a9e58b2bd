// Renders the main window in the states one shows a class — a node selected, a connection being refused, the dark
// theme — to <build>/screenshots/*.png for people to look at, and checks on the pixels what can be checked: the
// canvas and its nodes follow the palette (dark in a dark theme), and an invalid node is framed in the error colour.
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QtTest>

#include "tests/views/ViewTestSupport.h"
#include "tests/views/WindowTestSupport.h"
#include "views/document/NetworkDocument.h"
#include "views/inspector/InspectorWidget.h"
#include "views/mainwindow/MainWindow.h"
#include "views/mainwindow/ProjectController.h"
#include "views/style/KindStyle.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

namespace {

QPalette darkPalette() {
  QPalette p;
  p.setColor(QPalette::Window, QColor(45, 45, 48));
  p.setColor(QPalette::WindowText, QColor(230, 230, 230));
  p.setColor(QPalette::Base, QColor(30, 30, 32));
  p.setColor(QPalette::AlternateBase, QColor(40, 40, 44));
  p.setColor(QPalette::Text, QColor(230, 230, 230));
  p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
  p.setColor(QPalette::Button, QColor(50, 50, 54));
  p.setColor(QPalette::ButtonText, QColor(230, 230, 230));
  p.setColor(QPalette::Mid, QColor(90, 90, 95));
  p.setColor(QPalette::Highlight, QColor(42, 130, 218));
  p.setColor(QPalette::HighlightedText, Qt::white);
  return p;
}

}  // namespace

class WindowSnapshots : public QObject {
  Q_OBJECT

 private:
  FakePrompter m_prompter;
  QString m_folder = QStringLiteral(FFN_BINARY_DIR "/screenshots");

  std::unique_ptr<MainWindow> show() {
    auto w = std::make_unique<MainWindow>(&m_prompter);
    w->setPersistSettings(false);
    w->resize(1440, 900);
    w->show();
    [&] { QVERIFY(QTest::qWaitForWindowExposed(w.get())); }();
    w->startUp(QString(), false);
    QCoreApplication::processEvents();  // the docks take their final sizes: frame the network in what is left
    w->canvas()->frameProject();
    return w;
  }
  void save(QWidget* widget, const QString& name) { saveSnapshot(widget, m_folder, name); }
  static double lightness(const QImage& image, QPoint at) { return image.pixelColor(at).lightnessF(); }

 private Q_SLOTS:
  void initTestCase() {
    isolate(QStringLiteral("tst_window_snapshots"));
    QVERIFY(QDir().mkpath(m_folder));
  }
  void cleanup() { m_prompter.saveAnswers = {Prompter::SaveChoice::Discard}; }

  void selectedNode() {
    auto w = show();
    CanvasView* view = w->canvas();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, toViewport(view, nodeBodyPos(view, "dense2")));
    QCOMPARE(w->inspector()->currentNode(), NodeId("dense2"));
    save(w.get(), QStringLiteral("selected-node.png"));
  }

  void refusedConnectionMidDrag() {
    auto w = show();
    NetworkDocument* doc = w->document();
    QVERIFY(doc->setParam("input", "shape", Json::array({1, 28, 28})).ok());
    doc->removeItems({}, {{"dense3", "output", 0}});
    CanvasView* view = w->canvas();
    view->centerOn(view->canvasScene()->nodeItem("output"));  // the chain is taller than the canvas beside the docks
    const QImage before = view->grab().toImage();
    dragOnCanvas(view, outputPortPos(view, "input"), inputPortPos(view, "output"),
                 [&] { save(w.get(), QStringLiteral("refused-connection.png")); });
    // The Output node, now unconnected, is framed in the error colour: sample its left edge, below the stripe.
    const QPoint frame =
        view->mapFromScene(view->canvasScene()->nodeItem("output")->mapToScene(QPointF(NodeItem::kWidth - 1, 30)));
    const QColor edge = before.pixelColor(frame * before.devicePixelRatio());
    QVERIFY2(edge.red() > edge.green() + 60, qPrintable(edge.name()));
  }

  void longChainOpensReadable() {
    auto w = show();
    QVERIFY(w->controller()->openExample(":/examples/fmnist-cnn-bp.ffnlab"));
    QCoreApplication::processEvents();
    CanvasView* view = w->canvas();
    QVERIFY2(view->zoom() >= 0.8 - 1e-9, qPrintable(QString::number(view->zoom())));  // legible, not shrunk to fit
    const QRect input = view->mapFromScene(view->canvasScene()->nodeItem("input")->sceneBoundingRect()).boundingRect();
    QVERIFY(view->viewport()->rect().contains(input));  // and it starts where the data comes in
    save(w.get(), QStringLiteral("long-chain.png"));
  }

  void darkPalette() {
    const QPalette light = QApplication::palette();
    QApplication::setPalette(::darkPalette());
    auto w = show();
    CanvasView* view = w->canvas();
    const QImage image = view->grab().toImage();
    save(w.get(), QStringLiteral("dark-theme.png"));
    QApplication::setPalette(light);
    QVERIFY(lightness(image, QPoint(4, 4)) < 0.3);  // the canvas background
    const QPoint body = view->mapFromScene(nodeBodyPos(view, "dense1") + QPointF(40, 0));
    QVERIFY(lightness(image, body * image.devicePixelRatio()) < 0.3);  // a node's body
  }
};

QTEST_MAIN(WindowSnapshots)
#include "tst_window_snapshots.moc"

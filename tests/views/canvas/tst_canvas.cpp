// The canvas driven as a person would: real QTest mouse and key events on the view's viewport of a main window
// (so the shortcuts are the application's own). Covers adding from the palette, connecting by dragging between
// ports (and the refusal of a shape mismatch, with the reason), moving, rubber-band selection, delete, copy and
// paste, duplicate, zoom, and undo/redo of each.
#include <QAbstractItemModel>
#include <QApplication>
#include <QLineEdit>
#include <QMimeData>
#include <QSpinBox>
#include <QStatusBar>
#include <QToolTip>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>

#include "tests/views/ViewTestSupport.h"
#include "views/canvas/EdgeItem.h"
#include "views/document/MimeTypes.h"
#include "views/document/NetworkDocument.h"
#include "views/inspector/InspectorWidget.h"
#include "views/inspector/ParamEditor.h"
#include "views/mainwindow/MainWindow.h"
#include "views/palette/KindTree.h"
#include "views/palette/PaletteWidget.h"

using namespace ffn;
using namespace ffn::test;
using namespace ffn::views;

class CanvasTest : public QObject {
  Q_OBJECT

 private:
  FakePrompter m_prompter;
  std::unique_ptr<MainWindow> m_window;

  NetworkDocument* doc() const { return m_window->document(); }
  CanvasView* view() const { return m_window->canvas(); }
  CanvasScene* scene() const { return view()->canvasScene(); }
  QWidget* viewport() const { return view()->viewport(); }
  int undoCount() const { return doc()->undoStack()->index(); }

  // Opens `project` at 100 % zoom with the canvas focused, as after clicking into it.
  void open(const Project& project) {
    doc()->reset(project, {});
    view()->setZoom(1.0);
    view()->centerOn(scene()->nodesRect().center());
    view()->setFocus();
    QCoreApplication::processEvents();
  }
  void key(int key, Qt::KeyboardModifiers modifiers = {}) {
    QTest::keyClick(viewport(), static_cast<Qt::Key>(key), modifiers);
  }

 private Q_SLOTS:
  void initTestCase() { isolate(QStringLiteral("tst_canvas")); }

  void init() {
    m_window = std::make_unique<MainWindow>(&m_prompter);
    m_window->setPersistSettings(false);
    m_window->resize(1200, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
  }

  void cleanup() {
    m_prompter.saveAnswers = {Prompter::SaveChoice::Discard};
    m_window.reset();
  }

  void dragFromPaletteAddsNode() {
    open(projectOf({makeNode("input", "Input", {0, 0})}));
    // The drag starts for real: press on the palette's "Dense" and move. QDrag::exec cannot run a drag session on
    // the offscreen platform (it returns at once), so the drop is delivered as the events a real one sends, with
    // the payload the palette's drag carried.
    KindTree* tree = m_window->palette()->tree();
    std::unique_ptr<QMimeData> data;
    connect(tree, &KindTree::dragStarted, this, [&](const QString&, const QMimeData* payload) {
      data = std::make_unique<QMimeData>();
      for (const QString& format : payload->formats()) data->setData(format, payload->data(format));
    });
    const QPoint start = tree->visualItemRect(m_window->palette()->itemForKind("Dense")).center();
    QTest::mousePress(tree->viewport(), Qt::LeftButton, {}, start);
    for (int i = 1; i <= 4; ++i) QTest::mouseMove(tree->viewport(), start + QPoint(10 * i, 0));
    QTest::mouseRelease(tree->viewport(), Qt::LeftButton, {}, start + QPoint(40, 0));
    QVERIFY(data && data->hasFormat(kNodeKindMimeType));
    QCOMPARE(data->data(kNodeKindMimeType), QByteArray("Dense"));
    QVERIFY2(m_window->statusText().contains("Drop Dense on the canvas"), qPrintable(m_window->statusText()));

    const QPointF target(300, 250);
    const QPoint at = toViewport(view(), target);
    QDragEnterEvent enter(at, Qt::CopyAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport(), &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(at, Qt::CopyAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport(), &move);
    QVERIFY(move.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport(), &drop);
    QVERIFY(drop.isAccepted());

    const Node* node = doc()->graph().node("dense1");
    QVERIFY(node);
    QCOMPARE(node->kind, std::string("Dense"));
    QCOMPARE(scene()->nodeItem("dense1")->sceneBoundingRect().center().toPoint(), target.toPoint());  // centred
    QCOMPARE(scene()->selectedNodeIds(), std::vector<NodeId>{"dense1"});
    QCOMPARE(m_window->inspector()->currentNode(), NodeId("dense1"));
    key(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(!doc()->graph().contains("dense1"));
    QVERIFY(!scene()->nodeItem("dense1"));
    key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(scene()->nodeItem("dense1"));
  }

  void connectByDraggingPortToPort() {
    open(projectOf({makeNode("input", "Input", {0, 0}), makeNode("dense1", "Dense", {0, 150}),
                    makeNode("output", "Output", {300, 150})}));
    bool candidateShown = false;
    dragOnCanvas(view(), outputPortPos(view(), "input"), inputPortPos(view(), "dense1"), [&] {
      // Mid-drag: the rubber-band edge is there and the ports that can take it are highlighted.
      PortItem* target = scene()->nodeItem("dense1")->inputPort(0);
      PortItem* other = scene()->nodeItem("output")->inputPort(0);
      candidateShown = target->state() == PortItem::State::Accepting && other->state() == PortItem::State::Candidate;
    });
    QVERIFY(candidateShown);
    QVERIFY(doc()->graph().inputEdge("dense1", 0).has_value());
    QVERIFY(scene()->edgeItem({"input", "dense1", 0}));
    QCOMPARE(scene()->nodeItem("dense1")->shapeText(), QString("[64] · 192 weights"));      // live shape and weights
    QCOMPARE(scene()->nodeItem("output")->inputPort(0)->state(), PortItem::State::Normal);  // highlights cleared

    // Dragging the other way, from an input to an output, connects too.
    dragOnCanvas(view(), inputPortPos(view(), "output"), outputPortPos(view(), "dense1"));
    QVERIFY(doc()->graph().inputEdge("output", 0).has_value());
    QVERIFY(doc()->check().ok());

    key(Qt::Key_Z, Qt::ControlModifier);
    key(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(doc()->graph().edges().empty());
    QCOMPARE(scene()->edgeItemCount(), std::size_t(0));
    key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(scene()->edgeItem({"input", "dense1", 0}));
  }

  void shapeMismatchIsRefusedWithTheReason() {
    open(projectOf(
        {makeNode("input", "Input", {0, 0}, {{"shape", {1, 28, 28}}}), makeNode("output", "Output", {0, 200})}));
    const int before = undoCount();
    bool refusedMidDrag = false;
    QString tooltipMidDrag;
    dragOnCanvas(view(), outputPortPos(view(), "input"), inputPortPos(view(), "output"), [&] {
      refusedMidDrag = scene()->nodeItem("output")->inputPort(0)->state() == PortItem::State::Refused;
      tooltipMidDrag = QToolTip::text();
    });
    QVERIFY(refusedMidDrag);
    QVERIFY2(tooltipMidDrag.contains("image [1, 28, 28]"), qPrintable(tooltipMidDrag));
    QVERIFY(doc()->graph().edges().empty());
    QCOMPARE(undoCount(), before);
    QVERIFY2(scene()->lastRefusal().contains("Output 'output' cannot take [1, 28, 28]"),
             qPrintable(scene()->lastRefusal()));
    QVERIFY2(m_window->statusText().contains("got an image"), qPrintable(m_window->statusText()));
  }

  void moveByDraggingIsOneUndoStep() {
    open(projectOf({makeNode("input", "Input", {0, 0}), makeNode("dense1", "Dense", {0, 150})},
                   {{"input", "dense1", 0}}));
    const int before = undoCount();
    dragOnCanvas(view(), nodeBodyPos(view(), "dense1"), nodeBodyPos(view(), "dense1") + QPointF(120, 40), 12);
    QCOMPARE(doc()->graph().node("dense1")->position, (Point{120, 190}));
    QCOMPARE(undoCount(), before + 1);  // twelve mouse moves, one merged step
    EdgeItem* edge = scene()->edgeItem({"input", "dense1", 0});
    QCOMPARE(edge->path().pointAtPercent(1.0), inputPortPos(view(), "dense1"));  // the edge followed
    key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(doc()->graph().node("dense1")->position, (Point{0, 150}));
    QCOMPARE(scene()->nodeItem("dense1")->pos(), QPointF(0, 150));
    key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(scene()->nodeItem("dense1")->pos(), QPointF(120, 190));
  }

  void rubberBandSelectThenDelete() {
    const Project project = projectOf({makeNode("input", "Input", {0, 0}), makeNode("dense1", "Dense", {0, 100}),
                                       makeNode("relu1", "ReLU", {0, 200}), makeNode("output", "Output", {0, 300})},
                                      {{"input", "dense1", 0}, {"dense1", "relu1", 0}, {"relu1", "output", 0}});
    open(project);
    // From empty canvas left of dense1 to the right of relu1: a rectangle touching dense1 and relu1 only.
    dragOnCanvas(view(), QPointF(-40, 90), QPointF(NodeItem::kWidth + 30, 270));
    QCOMPARE(scene()->selectedNodeIds(), (std::vector<NodeId>{"dense1", "relu1"}));
    key(Qt::Key_Delete);
    QCOMPARE(doc()->graph().nodes().size(), std::size_t(2));
    QVERIFY(doc()->graph().edges().empty());  // every edge touched a deleted node
    QCOMPARE(scene()->edgeItemCount(), std::size_t(0));
    key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(doc()->graph(), project.graph);
    QCOMPARE(scene()->edgeItemCount(), std::size_t(3));
  }

  void copyPasteAndDuplicate() {
    open(projectOf({makeNode("dense1", "Dense", {0, 0}, {{"units", 5}}), makeNode("relu1", "ReLU", {0, 100})},
                   {{"dense1", "relu1", 0}}));
    QTest::mouseClick(viewport(), Qt::LeftButton, {}, toViewport(view(), nodeBodyPos(view(), "dense1")));
    QTest::mouseClick(viewport(), Qt::LeftButton, Qt::ControlModifier,
                      toViewport(view(), nodeBodyPos(view(), "relu1")));
    QCOMPARE(scene()->selectedNodeIds().size(), std::size_t(2));
    key(Qt::Key_C, Qt::ControlModifier);
    key(Qt::Key_V, Qt::ControlModifier);
    QVERIFY(doc()->graph().contains("dense2") && doc()->graph().contains("relu2"));
    QCOMPARE(doc()->graph().node("dense2")->params.at("units").get<int>(), 5);
    QCOMPARE(doc()->graph().node("dense2")->position, (Point{30, 30}));
    QVERIFY(doc()->graph().inputEdge("relu2", 0).has_value());
    QCOMPARE(scene()->selectedNodeIds(), (std::vector<NodeId>{"dense2", "relu2"}));  // the copy is selected
    key(Qt::Key_V, Qt::ControlModifier);  // a second paste lands further away
    QCOMPARE(doc()->graph().node("dense3")->position, (Point{60, 60}));
    key(Qt::Key_D, Qt::ControlModifier);  // duplicate of the selection (dense3, relu3)
    QCOMPARE(doc()->graph().nodes().size(), std::size_t(8));
    for (int i = 0; i < 3; ++i) key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(doc()->graph().nodes().size(), std::size_t(2));
    QCOMPARE(scene()->items().size(), std::size_t(2 + 4 + 1));  // two nodes, their four ports, one edge
  }

  void zoomWithWheelAndKeys() {
    open(projectOf({makeNode("input", "Input", {0, 0}), makeNode("output", "Output", {0, 400})}));
    const double start = view()->zoom();
    QWheelEvent wheel(QPointF(100, 100), view()->viewport()->mapToGlobal(QPointF(100, 100)), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport(), &wheel);
    QVERIFY(view()->zoom() > start * 1.1);
    key(Qt::Key_Minus, Qt::ControlModifier);
    key(Qt::Key_Minus, Qt::ControlModifier);
    QVERIFY(view()->zoom() < start);
    key(Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(view()->zoom(), 1.0);
    key(Qt::Key_F);  // fit: every node inside the viewport
    const QRect visible = view()->mapFromScene(scene()->nodesRect()).boundingRect();
    QVERIFY(viewport()->rect().contains(visible));
  }

  void arrowKeysPan() {
    open(projectOf({makeNode("input", "Input", {0, 0})}));
    const QPointF centre = view()->mapToScene(viewport()->rect().center());
    key(Qt::Key_Right);
    key(Qt::Key_Down);
    const QPointF moved = view()->mapToScene(viewport()->rect().center());
    QVERIFY(moved.x() > centre.x() && moved.y() > centre.y());
  }

  void autoLayoutArrangesAChain() {
    // A scrambled chain: Input, then the layers scattered about, edges in chain order.
    open(projectOf({makeNode("output", "Output", {500, -40}), makeNode("relu1", "ReLU", {-300, 420}),
                    makeNode("input", "Input", {80, 10}), makeNode("dense1", "Dense", {900, 300})},
                   {{"input", "dense1", 0}, {"dense1", "relu1", 0}, {"relu1", "output", 0}}));
    key(Qt::Key_L, Qt::ControlModifier);
    const Graph& g = doc()->graph();
    const double left = -300, top = -40;  // the scattered nodes' top-left corner
    QCOMPARE(g.node("input")->position, (Point{left, top}));
    QCOMPARE(g.node("dense1")->position, (Point{left, top + 100}));
    QCOMPARE(g.node("relu1")->position, (Point{left, top + 200}));
    QCOMPARE(g.node("output")->position, (Point{left, top + 300}));
    QCOMPARE(doc()->undoStack()->undoText(), QString("Auto-layout"));
    key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(g.node("dense1")->position, (Point{900, 300}));
  }

  void inspectorEditsUpdateTheCanvasLive() {
    open(projectOf({makeNode("input", "Input", {0, 0}), makeNode("dense1", "Dense", {0, 100})},
                   {{"input", "dense1", 0}}));
    QTest::mouseClick(viewport(), Qt::LeftButton, {}, toViewport(view(), nodeBodyPos(view(), "dense1")));
    QCOMPARE(m_window->inspector()->currentNode(), NodeId("dense1"));
    auto* units = qobject_cast<QSpinBox*>(m_window->inspector()->editorFor("units")->editor());
    QVERIFY(units);
    QCOMPARE(units->value(), 64);
    units->setFocus();
    units->selectAll();
    QTest::keyClicks(units, "10");
    QTest::keyClick(units, Qt::Key_Return);
    QCOMPARE(doc()->graph().node("dense1")->params.at("units").get<int>(), 10);
    QCOMPARE(scene()->nodeItem("dense1")->shapeText(), QString("[10] · 30 weights"));
    doc()->undoStack()->undo();
    QCOMPARE(units->value(), 64);  // the inspector follows undo
    QCOMPARE(scene()->nodeItem("dense1")->shapeText(), QString("[64] · 192 weights"));

    // An invalid node is drawn as such, with the validator's message as its tooltip.
    QVERIFY(doc()->setParam("input", "shape", Json::array({1, 4, 4})).ok());
    QVERIFY(!scene()->nodeItem("dense1")->isInvalid());  // Dense flattens images
    QVERIFY(scene()->nodeItem("input")->toolTip().contains("[1, 4, 4]"));
    view()->setFocus();
    key(Qt::Key_Z, Qt::ControlModifier);
    doc()->removeItems({}, {{"input", "dense1", 0}});
    QVERIFY(scene()->nodeItem("dense1")->isInvalid());
    QVERIFY(scene()->nodeItem("dense1")->toolTip().contains("nothing is connected to its input"));
  }

  void renameFromTheInspector() {
    open(projectOf({makeNode("dense1", "Dense", {0, 0})}));
    QTest::mouseDClick(viewport(), Qt::LeftButton, {}, toViewport(view(), nodeBodyPos(view(), "dense1")));
    QLineEdit* label = m_window->inspector()->labelEdit();
    QVERIFY(label->hasFocus());  // double-click starts renaming
    QTest::keyClicks(label, "hidden");
    QTest::keyClick(label, Qt::Key_Return);
    QCOMPARE(doc()->graph().node("dense1")->label, std::string("hidden"));
    doc()->undoStack()->undo();
    QCOMPARE(label->text(), QString("dense1"));
  }
};

QTEST_MAIN(CanvasTest)
#include "tst_canvas.moc"

// NetworkDocument and its undo commands, without widgets: every action does what it says, is refused with a
// reason when it must be, and undo/redo restore exactly the graph before/after (the same node and edge order, so
// a saved file is byte for byte the same).
#include <QUndoStack>
#include <QtTest>

#include "tests/views/ViewTestSupport.h"
#include "views/document/NetworkDocument.h"

using namespace ffn;
using namespace ffn::test;
using ffn::views::NetworkDocument;

class NetworkDocumentTest : public QObject {
  Q_OBJECT

 private:
  // Input [2] -> dense1 -> relu1 -> Output, vertically.
  static Project chain() {
    return projectOf(
        {makeNode("input", "Input", {0, 0}, {{"shape", {2}}}), makeNode("dense1", "Dense", {0, 100}, {{"units", 8}}),
         makeNode("relu1", "ReLU", {0, 200}), makeNode("output", "Output", {0, 300})},
        {{"input", "dense1", 0}, {"dense1", "relu1", 0}, {"relu1", "output", 0}});
  }

 private Q_SLOTS:
  void addNodeUndoRedo() {
    NetworkDocument doc;
    doc.reset(chain(), {});
    const Graph before = doc.graph();
    QSignalSpy added(&doc, &NetworkDocument::nodeAdded);
    auto id = doc.addNode("Dense", Point{50, 60});
    QVERIFY(id.ok());
    QCOMPARE(*id, NodeId("dense2"));
    QCOMPARE(added.count(), 1);
    const Node* node = doc.graph().node("dense2");
    QVERIFY(node);
    QCOMPARE(node->position, (Point{50, 60}));
    QCOMPARE(node->params.at("units").get<int>(), 64);  // the kind's default
    QVERIFY(doc.isModified());
    const Graph after = doc.graph();
    doc.undoStack()->undo();
    QCOMPARE(doc.graph(), before);
    QVERIFY(!doc.isModified());
    doc.undoStack()->redo();
    QCOMPARE(doc.graph(), after);
    QVERIFY(!doc.addNode("NoSuchKind", {}).ok());
  }

  void removeNodeTakesItsEdgesAndUndoRestoresOrder() {
    NetworkDocument doc;
    doc.reset(chain(), {});
    const Graph before = doc.graph();
    doc.removeItems({"dense1"});
    QVERIFY(!doc.graph().contains("dense1"));
    QCOMPARE(doc.graph().edges().size(), std::size_t(1));  // relu1 -> output survives
    QCOMPARE(doc.undoStack()->undoText(), QString("Delete dense1"));
    doc.undoStack()->undo();
    QCOMPARE(doc.graph(), before);  // same nodes and edges, in the same order
    doc.undoStack()->redo();
    QVERIFY(!doc.graph().contains("dense1"));
  }

  void connectAndDisconnect() {
    NetworkDocument doc;
    doc.reset(chain(), {});
    doc.disconnectEdge({"dense1", "relu1", 0});
    QVERIFY(!doc.graph().inputEdge("relu1", 0));
    QVERIFY(!doc.check().ok());
    QVERIFY(doc.connectNodes({"dense1", "relu1", 0}).ok());
    QVERIFY(doc.check().ok());
    doc.undoStack()->undo();  // connect
    QVERIFY(!doc.graph().inputEdge("relu1", 0));
    doc.undoStack()->undo();  // disconnect
    QCOMPARE(doc.graph(), chain().graph);
  }

  void refusedConnections_data() {
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("reason");
    QTest::newRow("occupied input") << "input"
                                    << "relu1"
                                    << "already fed by 'dense1'";
    QTest::newRow("cycle") << "relu1"
                           << "dense2"
                           << "loop";
    QTest::newRow("itself") << "dense2"
                            << "dense2"
                            << "cannot feed itself";
    QTest::newRow("into an Input") << "dense2"
                                   << "input"
                                   << "takes no input";
    QTest::newRow("from an Output") << "output"
                                    << "dense2"
                                    << "no output";
    QTest::newRow("shape: image into Output") << "image"
                                              << "output2"
                                              << "got an image [1, 4, 4]";
  }
  void refusedConnections() {
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, reason);
    // dense2 -> dense1 -> relu1 -> output (so relu1 -> dense2 would close a loop), plus an image Input and a spare
    // Output.
    Project project = chain();
    (void)project.graph.addNode(makeNode("dense2", "Dense", {200, 0}));
    (void)project.graph.disconnect({"input", "dense1", 0});
    (void)project.graph.connect({"dense2", "dense1", 0});
    (void)project.graph.addNode(makeNode("image", "Input", {400, 0}, {{"shape", {1, 4, 4}}}));
    (void)project.graph.addNode(makeNode("output2", "Output", {400, 100}));
    NetworkDocument doc;
    doc.reset(project, {});
    const Edge edge{from.toStdString(), to.toStdString(), 0};
    const Status status = doc.connectNodes(edge);
    QVERIFY(!status.ok());
    QVERIFY2(QString::fromStdString(status.message()).contains(reason), status.message().c_str());
    QCOMPARE(doc.undoStack()->count(), 0);
    QCOMPARE(doc.graph(), project.graph);
  }

  void shapeMismatchAgreesWithTheValidator() {
    // What canConnect refuses for shape reasons is what checkGraph would report on the graph with the edge.
    Project project =
        projectOf({makeNode("input", "Input", {0, 0}, {{"shape", {2}}}), makeNode("conv", "Conv2d", {0, 100})});
    NetworkDocument doc;
    doc.reset(project, {});
    const Status status = doc.canConnect({"input", "conv", 0});
    QVERIFY(!status.ok());
    Graph withEdge = project.graph;
    QVERIFY(withEdge.connect({"input", "conv", 0}).ok());
    const std::string validatorMessage = checkGraph(withEdge).nodes.at("conv").error;
    QVERIFY(!validatorMessage.empty());
    const std::string reason = validatorMessage.substr(validatorMessage.find(": ") + 2);
    QVERIFY2(status.message().find(reason) != std::string::npos, (status.message() + " | " + validatorMessage).c_str());
  }

  void movesOfOneDragMerge() {
    NetworkDocument doc;
    doc.reset(chain(), {});
    for (int step = 1; step <= 5; ++step)
      doc.moveNodes({{"dense1", {10.0 * step, 100}}, {"relu1", {10.0 * step, 200}}}, 7);
    QCOMPARE(doc.undoStack()->count(), 1);
    QCOMPARE(doc.graph().node("dense1")->position, (Point{50, 100}));
    doc.moveNodes({{"dense1", {0, 0}}}, 8);  // another drag: another step
    QCOMPARE(doc.undoStack()->count(), 2);
    doc.undoStack()->undo();
    doc.undoStack()->undo();
    QCOMPARE(doc.graph(), chain().graph);
    doc.moveNodes({{"dense1", {0, 100}}}, 9);  // no change: no step
    QCOMPARE(doc.undoStack()->index(), 0);
  }

  void setParamValidatesAndUndoes() {
    NetworkDocument doc;
    doc.reset(chain(), {});
    QVERIFY(doc.setParam("dense1", "units", 32).ok());
    QCOMPARE(doc.nodeCheck("dense1")->outputShape, (Shape{32}));
    QCOMPARE(doc.nodeCheck("relu1")->outputShape, (Shape{32}));  // downstream shapes follow
    QCOMPARE(doc.nodeCheck("dense1")->weightCount, std::int64_t(2 * 32 + 32));
    const Status tooMany = doc.setParam("dense1", "units", -3);
    QVERIFY(!tooMany.ok());
    QVERIFY2(tooMany.message().find("'units' must be between") != std::string::npos, tooMany.message().c_str());
    QVERIFY(!doc.setParam("dense1", "nonsense", 1).ok());
    QCOMPARE(doc.undoStack()->count(), 1);
    doc.undoStack()->undo();
    QCOMPARE(doc.nodeCheck("dense1")->outputShape, (Shape{8}));
    QCOMPARE(doc.graph(), chain().graph);
  }

  void renameUndoRedo() {
    NetworkDocument doc;
    doc.reset(chain(), {});
    QVERIFY(doc.renameNode("dense1", "  hidden  ").ok());
    QCOMPARE(doc.graph().node("dense1")->label, std::string("hidden"));
    QVERIFY(!doc.renameNode("dense1", "   ").ok());
    doc.undoStack()->undo();
    QCOMPARE(doc.graph().node("dense1")->label, std::string("dense1"));
    doc.undoStack()->redo();
    QCOMPARE(doc.graph().node("dense1")->label, std::string("hidden"));
  }

  void pasteGivesFreshIdsAndKeepsInnerEdges() {
    NetworkDocument doc;
    doc.reset(chain(), {});
    QVERIFY(doc.renameNode("relu1", "act").ok());
    const Graph part = doc.fragment({"dense1", "relu1"});
    QCOMPARE(part.nodes().size(), std::size_t(2));
    QCOMPARE(part.edges().size(), std::size_t(1));  // only the edge between them
    const auto ids = doc.pasteFragment(part, Point{30, 30}, "Paste");
    QCOMPARE(ids, (std::vector<NodeId>{"dense2", "relu2"}));
    QCOMPARE(doc.graph().node("dense2")->label, std::string("dense2"));  // a default label follows the new id
    QCOMPARE(doc.graph().node("relu2")->label, std::string("act"));      // a chosen label is kept
    QCOMPARE(doc.graph().node("dense2")->position, (Point{30, 130}));
    QVERIFY(doc.graph().inputEdge("relu2", 0).has_value());
    QCOMPARE(doc.graph().inputEdge("relu2", 0)->from, NodeId("dense2"));
    doc.undoStack()->undo();
    QVERIFY(!doc.graph().contains("dense2"));
  }

  void resetClearsHistoryAndModified() {
    NetworkDocument doc;
    doc.reset(chain(), "/tmp/a.ffnlab");
    QVERIFY(doc.addNode("ReLU", {}).ok());
    QVERIFY(doc.isModified());
    doc.markSaved("/tmp/b.ffnlab");
    QVERIFY(!doc.isModified());
    QCOMPARE(doc.displayName(), QString("b.ffnlab"));
    doc.undoStack()->undo();
    QVERIFY(doc.isModified());  // the saved state was the one with the node
    doc.reset(chain(), {});
    QCOMPARE(doc.undoStack()->count(), 0);
    QVERIFY(!doc.isModified());
    QCOMPARE(doc.displayName(), QString("test"));
  }
};

QTEST_MAIN(NetworkDocumentTest)
#include "tst_network_document.moc"

// Graph structure and validation: cycles, dangling ports, shape mismatches and bad settings are refused with a
// message that names the node; valid graphs report shapes, weight counts and FLOPs per node.
#include <QtTest>

#include "core/graph/GraphValidator.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

QString firstError(const Graph& graph) { return QString::fromStdString(checkGraph(graph).firstError()); }

}  // namespace

class GraphValidation : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void validChainReportsShapesAndCounts() {
    Graph g = chainGraph(Shape{1, 28, 28}, {{"Conv2d", {{"channels", 4}}}, {"MaxPool2d"}, {"Flatten"},
                                            {"Dense", {{"units", 10}}}});
    GraphCheck check = checkGraph(g);
    QVERIFY2(check.ok(), check.firstError().c_str());
    QCOMPARE(check.nodes.at("n1").outputShape, (Shape{4, 28, 28}));
    QCOMPARE(check.nodes.at("n2").outputShape, (Shape{4, 14, 14}));
    QCOMPARE(check.nodes.at("n3").outputShape, (Shape{784}));
    QCOMPARE(check.nodes.at("n1").weightCount, std::int64_t{4 * 9 + 4});
    QCOMPARE(check.nodes.at("n4").weightCount, std::int64_t{784 * 10 + 10});
    QCOMPARE(check.nodes.at("n4").flopsPerSample, std::int64_t{784 * 10});
    QCOMPARE(check.chain.size(), std::size_t{6});
  }

  void cycleIsRefusedWhenConnecting() {
    Graph g = chainGraph(Shape{4}, {{"Dense", {{"units", 4}}}, {"ReLU"}});
    Status s = g.connect(Edge{"n2", "n1", 0});
    QVERIFY(!s.ok());  // port taken
    g.disconnect(Edge{"input", "n1", 0});
    s = g.connect(Edge{"n2", "n1", 0});
    QVERIFY(!s.ok());
    QVERIFY2(QString::fromStdString(s.message()).contains("cycle"), s.message().c_str());
  }

  void danglingInputNamesTheNode() {
    Graph g = chainGraph(Shape{4}, {{"Dense", {{"units", 4}}}, {"ReLU"}});
    g.disconnect(Edge{"n1", "n2", 0});
    GraphCheck check = checkGraph(g);
    QVERIFY(!check.ok());
    const QString dangling = QString::fromStdString(check.nodes.at("n2").error);
    QVERIFY2(dangling.contains("ReLU 'n2'") && dangling.contains("nothing is connected"), qPrintable(dangling));
    const QString unused = QString::fromStdString(check.nodes.at("n1").error);
    QVERIFY2(unused.contains("Dense 'n1'") && unused.contains("not connected to anything"), qPrintable(unused));
  }

  void outputNotReachedNamesTheNode() {
    Graph g = chainGraph(Shape{4}, {{"Dense", {{"units", 4}}}});
    (void)g.addNode(Node{"extra", "ReLU", "extra", {}, {}});
    (void)g.connect(Edge{"n1", "extra", 0});
    const QString error = firstError(g);
    QVERIFY2(error.contains("'n1'") && error.contains("feeds 2 nodes"), qPrintable(error));
  }

  void shapeMismatchNamesTheNode() {
    Graph g = chainGraph(Shape{10}, {{"BlockDiagonal", {{"units", 8}, {"blocks", 4}}}});
    const QString error = firstError(g);
    QVERIFY2(error.contains("BlockDiagonal 'n1'") && error.contains("10 features"), qPrintable(error));
    Graph conv = chainGraph(Shape{10}, {{"Conv2d"}, {"Flatten"}});
    QVERIFY2(firstError(conv).contains("Conv2d 'n1'") && firstError(conv).contains("image input"),
             qPrintable(firstError(conv)));
    Graph image = chainGraph(Shape{1, 8, 8}, {{"ReLU"}});
    QVERIFY2(firstError(image).contains("Output 'output'"), qPrintable(firstError(image)));
    Graph big = chainGraph(Shape{1, 4, 4}, {{"MaxPool2d", {{"kernel", 5}, {"stride", 1}}}, {"Flatten"}});
    QVERIFY2(firstError(big).contains("does not fit"), qPrintable(firstError(big)));
  }

  void badSettingsAreNamed() {
    Graph g = chainGraph(Shape{4}, {{"Dense", {{"units", 0}}}});
    QVERIFY2(firstError(g).contains("'units' must be between 1"), qPrintable(firstError(g)));
    g = chainGraph(Shape{4}, {{"Dense", {{"units", 4}, {"colour", "red"}}}});
    QVERIFY2(firstError(g).contains("unknown setting 'colour'"), qPrintable(firstError(g)));
    g = chainGraph(Shape{4}, {{"Dense", {{"units", 4}, {"init", "magic"}}}});
    QVERIFY2(firstError(g).contains("'init' must be one of"), qPrintable(firstError(g)));
    g = chainGraph(Shape{4}, {{"Frobnicate"}});
    QVERIFY2(firstError(g).contains("unknown node kind"), qPrintable(firstError(g)));
  }

  void inputAndOutputCounts() {
    Graph g = chainGraph(Shape{4}, {{"Dense", {{"units", 4}}}});
    (void)g.addNode(Node{"input2", "Input", "input2", {}, {}});
    QVERIFY(firstError(g).contains("more than one Input"));
    Graph none;
    (void)none.addNode(Node{"d", "Dense", "d", {}, {}});
    QVERIFY(firstError(none).contains("no Input"));
  }

  void everyKindHasSpecsDefaultsAndAShapeRule() {
    for (const auto& kind : NodeKindRegistry::builtin().kinds()) {
      QVERIFY2(!kind.summary.empty(), kind.name.c_str());
      QVERIFY2(static_cast<bool>(kind.inferShape), kind.name.c_str());
      for (const auto& spec : kind.params) {
        QVERIFY2(checkParam(spec, spec.defaultValue).ok(), (kind.name + "." + spec.name).c_str());
        QVERIFY2(!spec.help.empty(), (kind.name + "." + spec.name).c_str());
      }
    }
  }

  void uniqueIdsAndRemoval() {
    Graph g = chainGraph(Shape{4}, {{"Dense", {{"units", 4}}}, {"ReLU"}});
    QCOMPARE(g.uniqueId("Dense"), NodeId("dense1"));
    QVERIFY(!g.addNode(Node{"n1", "ReLU", "", {}, {}}).ok());
    const auto removed = g.removeNode("n1");
    QCOMPARE(removed.size(), std::size_t{2});
    QCOMPARE(g.edges().size(), std::size_t{1});
  }
};

QTEST_APPLESS_MAIN(GraphValidation)
#include "tst_graph_validation.moc"

// The graph's JSON form: a round trip gives the same graph; structural damage is refused naming the node or
// edge; an unfinished graph (dangling nodes, no Output) loads, and only the validator objects to it.
#include <QtTest>

#include "core/graph/GraphJson.h"
#include "core/graph/GraphValidator.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

Graph sampleGraph() {
  Graph graph = chainGraph(Shape{1, 6, 6}, {{"Conv2d", Json{{"channels", 3}, {"kernel", 3}}},
                                            {"ReLU"},
                                            {"Flatten"},
                                            {"Dropout", Json{{"rate", 0.3}}},
                                            {"Dense", Json{{"units", 5}, {"bias", false}}}});
  graph.node("n1")->label = "first conv — ünïcode";
  graph.node("n1")->position = Point{12.5, -3.25e7};
  graph.node("n4")->position = Point{0.1, 1.0 / 3.0};  // not exactly representable in decimal
  return graph;
}

}  // namespace

class GraphJsonTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void roundTrip();
  void roundTripThroughText();
  void writesDocumentedLayout();
  void optionalFieldsTakeDefaults();
  void acceptsUnfinishedGraph();
  void refusesDamage_data();
  void refusesDamage();
};

void GraphJsonTest::roundTrip() {
  const Graph graph = sampleGraph();
  auto loaded = graphFromJson(graphToJson(graph));
  QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
  QVERIFY(*loaded == graph);
  QCOMPARE(loaded->nodes().size(), std::size_t{7});
  QCOMPARE(loaded->edges().size(), std::size_t{6});
  QCOMPARE(loaded->node("n1")->label, std::string("first conv — ünïcode"));
  QCOMPARE(loaded->node("n4")->params.at("rate").get<double>(), 0.3);
}

void GraphJsonTest::roundTripThroughText() {
  const Graph graph = sampleGraph();
  const std::string text = graphToJson(graph).dump(2);
  auto loaded = graphFromJson(Json::parse(text));
  QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
  QVERIFY(*loaded == graph);
  QCOMPARE(loaded->node("n4")->position.y, 1.0 / 3.0);  // bit-exact doubles through text
  QCOMPARE(graphToJson(*loaded).dump(2), text);
}

void GraphJsonTest::writesDocumentedLayout() {
  Graph graph;
  QVERIFY(graph.addNode(Node{"in", "Input", "Pixels", Json{{"shape", {4}}}, {1.5, -2.0}}).ok());
  QVERIFY(graph.addNode(Node{"fc", "Dense", "fc", Json{{"units", 2}}, {0, 0}}).ok());
  QVERIFY(graph.connect(Edge{"in", "fc", 0}).ok());
  const Json expected = Json::parse(R"({
    "nodes": [{"id": "in", "kind": "Input", "label": "Pixels", "params": {"shape": [4]}, "position": [1.5, -2.0]},
              {"id": "fc", "kind": "Dense", "label": "fc", "params": {"units": 2}, "position": [0.0, 0.0]}],
    "edges": [{"from": "in", "to": "fc", "port": 0}]})");
  QCOMPARE(graphToJson(graph).dump(), expected.dump());
}

void GraphJsonTest::optionalFieldsTakeDefaults() {
  auto loaded = graphFromJson(Json::parse(R"({"nodes": [{"id": "a", "kind": "ReLU"}, {"id": "b", "kind": "Tanh"}],
                                             "edges": [{"from": "a", "to": "b"}]})"));
  QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
  QCOMPARE(loaded->node("a")->label, std::string("a"));
  QVERIFY(loaded->node("a")->params == Json::object());
  QVERIFY(loaded->node("a")->position == (Point{0, 0}));
  QVERIFY(loaded->edges().front() == (Edge{"a", "b", 0}));
  auto empty = graphFromJson(Json::object());
  QVERIFY(empty.ok());
  QVERIFY(empty->nodes().empty());
}

void GraphJsonTest::acceptsUnfinishedGraph() {
  // Input and a Dense with an unconnected output, a lone ReLU, no Output, and a setting out of range: all
  // things a person has on the canvas halfway through.
  auto loaded = graphFromJson(Json::parse(R"({"nodes": [
      {"id": "in", "kind": "Input", "params": {"shape": [4]}},
      {"id": "fc", "kind": "Dense", "params": {"units": -5}},
      {"id": "lonely", "kind": "ReLU"}],
    "edges": [{"from": "in", "to": "fc", "port": 0}]})"));
  QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
  QCOMPARE(loaded->nodes().size(), std::size_t{3});
  QCOMPARE(loaded->node("fc")->params.at("units").get<int>(), -5);  // kept as written
  Status valid = validateGraph(*loaded);
  QVERIFY(!valid.ok());  // ... and the validator is what objects
  QVERIFY2(valid.message().find("Output") != std::string::npos, valid.message().c_str());
}

void GraphJsonTest::refusesDamage_data() {
  QTest::addColumn<QString>("json");
  QTest::addColumn<QString>("message");
  const QString dense = R"({"id": "b", "kind": "Dense"})";
  const QString relu = R"({"id": "c", "kind": "ReLU"})";
  QTest::newRow("not an object") << "[]" << "the graph must be a JSON object, not array";
  QTest::newRow("nodes not a list") << R"({"nodes": {}})" << "the graph's 'nodes' must be a list, not object";
  QTest::newRow("edges not a list") << R"({"edges": 3})" << "the graph's 'edges' must be a list, not number";
  QTest::newRow("unknown graph field") << R"({"nodes": [], "wires": []})" << "unknown field 'wires'";
  QTest::newRow("node not an object") << R"({"nodes": ["a"]})" << "node 1 must be a JSON object, not string";
  QTest::newRow("node without id") << R"({"nodes": [{"kind": "ReLU"}]})" << "node 1 has no id";
  QTest::newRow("id not a string") << R"({"nodes": [{"id": 7, "kind": "ReLU"}]})" << "node 1 has no id";
  QTest::newRow("duplicate id") << R"({"nodes": [{"id": "a", "kind": "ReLU"}, {"id": "a", "kind": "Tanh"}]})"
                                << "two nodes have the id 'a'";
  QTest::newRow("unknown kind") << R"({"nodes": [{"id": "q", "kind": "Quantum"}]})"
                                << "node 'q' is of kind 'Quantum', which this build of FFN Lab does not know (the file "
                                   "may come from a newer FFN Lab)";
  QTest::newRow("kind not a string") << R"({"nodes": [{"id": "a", "kind": 1}]})" << "node 'a': 'kind' must be a string";
  QTest::newRow("params not an object") << R"({"nodes": [{"id": "a", "kind": "ReLU", "params": [1]}]})"
                                        << "node 'a': 'params' must be a JSON object, not array";
  QTest::newRow("position not two numbers") << R"({"nodes": [{"id": "a", "kind": "ReLU", "position": [1, "2"]}]})"
                                            << "node 'a': 'position' must be two numbers [x, y], got [1,\"2\"]";
  QTest::newRow("unknown node field") << R"({"nodes": [{"id": "a", "kind": "ReLU", "colour": "red"}]})"
                                      << "node 'a' has an unknown field 'colour'";
  QTest::newRow("edge to a missing node") << R"({"nodes": [)" + dense + R"(], "edges": [{"from": "b", "to": "ghost", "port": 0}]})"
                                          << "edge 1 (b -> ghost port 0): no node 'ghost' to connect to";
  QTest::newRow("edge from a missing node") << R"({"nodes": [)" + dense + R"(], "edges": [{"from": "ghost", "to": "b"}]})"
                                            << "edge 1 (ghost -> b port 0): no node 'ghost' to connect from";
  QTest::newRow("edge without to") << R"({"nodes": [)" + dense + R"(], "edges": [{"from": "b"}]})"
                                   << "edge 1 needs 'to': the id of a node";
  QTest::newRow("negative port") << R"({"nodes": [)" + dense + "," + relu + R"(], "edges": [{"from": "b", "to": "c", "port": -1}]})"
                                 << "edge 1 (b -> c): 'port' must be a small whole number, got -1";
  QTest::newRow("port the kind lacks") << R"({"nodes": [)" + dense + "," + relu + R"(], "edges": [{"from": "b", "to": "c", "port": 1}]})"
                                       << "edge 1 (b -> c port 1): ReLU 'c' has 1 input port";
  QTest::newRow("edge into Input") << R"({"nodes": [)" + dense + R"(, {"id": "in", "kind": "Input"}], "edges": [{"from": "b", "to": "in"}]})"
                                   << "Input 'in' has 0 input ports";
  QTest::newRow("port already taken")
      << R"({"nodes": [{"id": "a", "kind": "ReLU"},)" + dense + "," + relu +
             R"(], "edges": [{"from": "a", "to": "c"}, {"from": "b", "to": "c", "port": 0}]})"
      << "edge 2 (b -> c port 0): input 0 of 'c' is already connected";
  QTest::newRow("cycle") << R"({"nodes": [{"id": "a", "kind": "ReLU"},)" + dense + "," + relu +
                                R"(], "edges": [{"from": "a", "to": "b"}, {"from": "b", "to": "c"}, {"from": "c", "to": "a"}]})"
                         << "edge 3 (c -> a port 0): connecting 'c' to 'a' would create a cycle";
  QTest::newRow("self loop") << R"({"nodes": [)" + dense + R"(], "edges": [{"from": "b", "to": "b"}]})"
                             << "edge 1 (b -> b port 0): 'b' cannot feed itself";
}

void GraphJsonTest::refusesDamage() {
  QFETCH(QString, json);
  QFETCH(QString, message);
  auto loaded = graphFromJson(Json::parse(json.toStdString()));
  QVERIFY(!loaded.ok());
  QVERIFY2(loaded.message().find(message.toStdString()) != std::string::npos, loaded.message().c_str());
}

QTEST_APPLESS_MAIN(GraphJsonTest)
#include "tst_graph_json.moc"

// The project file: a full project survives save and load field for field, and re-saving gives the same bytes;
// every kind of damage is refused with its own message naming the field, and the caller's project is untouched.
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "core/project/ProjectFile.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;
namespace fs = std::filesystem;

namespace {

// Every field away from its default, so a field that is not saved cannot pass unnoticed.
Project fullProject() {
  Project p;
  p.name = "Spiral — ünïcode";
  p.description = "two lines\nwith \"quotes\"";
  p.graph = chainGraph(Shape{2}, {{"Dense", Json{{"units", 16}}}, {"Tanh"}, {"Dense", Json{{"units", 3}, {"bias", false}}}});
  p.graph.node("n1")->position = Point{123.25, -7.5};
  p.graph.node("n2")->position = Point{0.1, 1.0 / 3.0};
  p.graph.node("n2")->label = "squash";
  p.dataset = Json{{"kind", "spiral"}, {"samples", 1000}, {"noise", 0.2}};
  p.training.rule = "ff";
  p.training.ruleParams = Json{{"threshold", 2.0}, {"negatives", "shuffle"}};
  p.training.epochs = 37;
  p.training.batchSize = 64;
  OptimizerSettings& o = p.training.optimizer;
  o.kind = "momentum";
  o.learningRate = 0.05;
  o.momentum = 0.8;
  o.nesterov = true;
  o.beta1 = 0.85;
  o.beta2 = 0.99;
  o.epsilon = 1e-6;
  o.weightDecay = 1e-4;
  o.gradientNoise = 0.3;
  o.schedule.kind = "warmup-cosine";
  o.schedule.finalFactor = 0.01;
  o.schedule.warmupFraction = 0.1;
  o.schedule.stepEvery = 0.25;
  o.schedule.stepGamma = 0.5;
  p.seed = 18446744073709551615ull;  // the largest seed
  p.device = "opencl:1";
  p.lrp.composite = "alpha-beta";
  p.lrp.overrides = Json{{"n1", Json{{"rule", "gamma"}, {"gamma", 0.25}}}, {"n3", "epsilon"}};
  p.runs = Json::array({Json{{"id", 1}, {"finalLoss", 0.1234}, {"history", {1.0, 0.5}}}});
  return p;
}

// Field by field (Project has no operator==); call with QVERIFY(!QTest::currentTestFailed()) after.
void compareProjects(const Project& a, const Project& b) {
  QCOMPARE(a.name, b.name);
  QCOMPARE(a.description, b.description);
  QVERIFY(a.graph == b.graph);
  QCOMPARE(a.dataset, b.dataset);
  QCOMPARE(a.training.rule, b.training.rule);
  QCOMPARE(a.training.ruleParams, b.training.ruleParams);
  QCOMPARE(a.training.epochs, b.training.epochs);
  QCOMPARE(a.training.batchSize, b.training.batchSize);
  const OptimizerSettings &x = a.training.optimizer, &y = b.training.optimizer;
  QCOMPARE(x.kind, y.kind);
  QCOMPARE(x.learningRate, y.learningRate);
  QCOMPARE(x.momentum, y.momentum);
  QCOMPARE(x.nesterov, y.nesterov);
  QCOMPARE(x.beta1, y.beta1);
  QCOMPARE(x.beta2, y.beta2);
  QCOMPARE(x.epsilon, y.epsilon);
  QCOMPARE(x.weightDecay, y.weightDecay);
  QCOMPARE(x.gradientNoise, y.gradientNoise);
  QCOMPARE(x.schedule.kind, y.schedule.kind);
  QCOMPARE(x.schedule.finalFactor, y.schedule.finalFactor);
  QCOMPARE(x.schedule.warmupFraction, y.schedule.warmupFraction);
  QCOMPARE(x.schedule.stepEvery, y.schedule.stepEvery);
  QCOMPARE(x.schedule.stepGamma, y.schedule.stepGamma);
  QCOMPARE(a.seed, b.seed);
  QCOMPARE(a.device, b.device);
  QCOMPARE(a.lrp.composite, b.lrp.composite);
  QCOMPARE(a.lrp.overrides, b.lrp.overrides);
  QCOMPARE(a.runs, b.runs);
}

std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The full project's file with one value replaced (or removed, for a discarded value).
QString damaged(const char* pointer, const Json& value) {
  Json json = projectToJson(fullProject());
  if (value.is_discarded()) json.erase(Json::json_pointer(pointer).back());
  else json[Json::json_pointer(pointer)] = value;
  return QString::fromStdString(json.dump(2));
}

}  // namespace

namespace QTest {
template <>
char* toString(const Json& json) { return qstrdup(json.dump().c_str()); }
}  // namespace QTest

class ProjectFileTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { m_dir = std::make_unique<QTemporaryDir>(); QVERIFY(m_dir->isValid()); }
  void roundTripThroughJson();
  void roundTripThroughFile();
  void fileIsPrettyAndStable();
  void minimalFileTakesDefaults();
  void refusesDamage_data();
  void refusesDamage();
  void refusesTooLargeFile();
  void reportsMissingFile();
  void reportsFailedSave();
  void weightsPathBesideProject_data();
  void weightsPathBesideProject();

 private:
  std::string path(const char* name) const { return (fs::path(m_dir->path().toStdString()) / name).string(); }
  std::unique_ptr<QTemporaryDir> m_dir;
};

void ProjectFileTest::roundTripThroughJson() {
  auto loaded = projectFromJson(projectToJson(fullProject()));
  QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
  compareProjects(*loaded, fullProject());
}

void ProjectFileTest::roundTripThroughFile() {
  Status saved = saveProject(fullProject(), path("spiral.ffnlab"));
  QVERIFY2(saved.ok(), saved.ok() ? "" : saved.message().c_str());
  auto loaded = loadProject(path("spiral.ffnlab"));
  QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
  compareProjects(*loaded, fullProject());
  QVERIFY(!QTest::currentTestFailed());
  QCOMPARE(loaded->graph.node("n2")->position.y, 1.0 / 3.0);  // doubles survive the text bit for bit
  QVERIFY(saveProject(*loaded, path("again.ffnlab")).ok());
  QCOMPARE(fileBytes(path("again.ffnlab")), fileBytes(path("spiral.ffnlab")));
}

void ProjectFileTest::fileIsPrettyAndStable() {
  const std::string text = projectToText(fullProject());
  QVERIFY(text.starts_with("{\n  \"dataset\": {\n    \"kind\": \"spiral\""));  // 2-space indent, sorted keys
  QVERIFY(text.find("\n  \"format\": \"ffnlab-project\",\n") != std::string::npos);
  QVERIFY(text.find("\n  \"version\": 1\n}") != std::string::npos);
  QVERIFY(text.ends_with("}\n"));
  QVERIFY(text.find('\t') == std::string::npos);
  // The same project built in another order gives the same text.
  Project other = fullProject();
  other.dataset = Json::object();
  other.dataset["noise"] = 0.2;
  other.dataset["samples"] = 1000;
  other.dataset["kind"] = "spiral";
  QCOMPARE(projectToText(other), text);
}

void ProjectFileTest::minimalFileTakesDefaults() {
  auto loaded = projectFromText(R"({"format": "ffnlab-project", "version": 1, "training": {"epochs": 3}})");
  QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
  Project expected;
  expected.training.epochs = 3;
  compareProjects(*loaded, expected);
  QCOMPARE(loaded->training.batchSize, 128);
  QCOMPARE(loaded->training.optimizer.kind, std::string("adam"));
  QCOMPARE(loaded->device, std::string("cpu"));
}

void ProjectFileTest::refusesDamage_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("message");
  const Json drop = Json::value_t::discarded;
  const QString full = QString::fromStdString(projectToText(fullProject()));
  QTest::newRow("empty file") << "  \n" << "the file is empty";
  QTest::newRow("not JSON") << "name = spiral" << "not valid JSON: parse error at line 1, column 2";
  QTest::newRow("truncated") << full.left(full.size() / 2) << "not valid JSON, the file ends too early (was it cut off?)";
  QTest::newRow("a JSON list") << "[1, 2]" << "not an FFN Lab project: the file holds a JSON array, not an object";
  QTest::newRow("no format") << damaged("/format", drop) << "not an FFN Lab project (it has no \"format\": \"ffnlab-project\")";
  QTest::newRow("other format") << damaged("/format", "ffnlab-weights") << "not an FFN Lab project: its format is 'ffnlab-weights'";
  QTest::newRow("no version") << damaged("/version", drop) << "the project has no format version";
  QTest::newRow("version as text") << damaged("/version", "1") << "the project has no format version";
  QTest::newRow("future version") << damaged("/version", 2)
                                  << "the project was written by a newer FFN Lab (format version 2; this build reads up to 1)";
  QTest::newRow("version 0") << damaged("/version", 0) << "the project has an invalid format version 0";
  QTest::newRow("name a number") << damaged("/name", 5) << "name must be a string, not number";
  QTest::newRow("negative seed") << damaged("/seed", -1) << "seed must be a whole number >= 0, got -1";
  QTest::newRow("fractional seed") << damaged("/seed", 1.5) << "seed must be a whole number >= 0, got 1.5";
  QTest::newRow("empty device") << damaged("/device", "") << "device must name a compute device";
  QTest::newRow("dataset a list") << damaged("/dataset", Json::array()) << "dataset must be a JSON object, not array";
  QTest::newRow("runs an object") << damaged("/runs", Json::object()) << "runs must be a list, not object";
  QTest::newRow("training text") << damaged("/training", "fast") << "training must be a JSON object, not string";
  QTest::newRow("zero epochs") << damaged("/training/epochs", 0)
                               << "training.epochs must be a whole number from 1 to 1000000, got 0";
  QTest::newRow("fractional epochs") << damaged("/training/epochs", 2.5) << "training.epochs must be a whole number";
  QTest::newRow("epochs past int") << damaged("/training/epochs", 4294967297ull)
                                   << "training.epochs must be a whole number from 1 to 1000000, got 4294967297";
  QTest::newRow("negative batch") << damaged("/training/batchSize", -3)
                                  << "training.batchSize must be a whole number from 1 to 1048576, got -3";
  QTest::newRow("batch as text") << damaged("/training/batchSize", "64") << "training.batchSize must be a whole number";
  QTest::newRow("empty rule") << damaged("/training/rule", "") << "training.rule must name a training rule";
  QTest::newRow("rule params a list") << damaged("/training/ruleParams", Json::array())
                                      << "training.ruleParams must be a JSON object, not array";
  QTest::newRow("negative learning rate") << damaged("/training/optimizer/lr", -1.0)
                                          << "training.optimizer: 'lr' must be between";
  QTest::newRow("unknown optimiser") << damaged("/training/optimizer/kind", "lion")
                                     << "training.optimizer: 'kind' must be one of sgd, momentum, adam, adamw; got 'lion'";
  QTest::newRow("overrides text") << damaged("/lrp/overrides", "none") << "lrp.overrides must be a JSON object, not string";
  QTest::newRow("unknown field") << damaged("/colour", "red") << "unknown field 'colour'";
  QTest::newRow("unknown training field") << damaged("/training/epoch", 3) << "unknown field 'training.epoch'";
  QTest::newRow("graph a list") << damaged("/graph", Json::array()) << "graph must be a JSON object, not array";
  QTest::newRow("unknown node kind") << damaged("/graph/nodes/1/kind", "Quantum")
                                     << "graph: node 'n1' is of kind 'Quantum', which this build of FFN Lab does not know";
  QTest::newRow("edge to a missing node") << damaged("/graph/edges/0/to", "ghost")
                                          << "graph: edge 1 (input -> ghost port 0): no node 'ghost' to connect to";
}

void ProjectFileTest::refusesDamage() {
  QFETCH(QString, text);
  QFETCH(QString, message);
  std::ofstream(path("damaged.ffnlab"), std::ios::binary) << text.toStdString();
  // What an application does: replace its project only when the load worked.
  Project current = fullProject();
  current.name = "the open project";
  const Project before = current;
  auto loaded = loadProject(path("damaged.ffnlab"));
  if (loaded.ok()) current = *loaded;
  QVERIFY(!loaded.ok());
  QVERIFY2(loaded.message().find(message.toStdString()) != std::string::npos, loaded.message().c_str());
  QVERIFY2(loaded.message().find(path("damaged.ffnlab")) != std::string::npos, loaded.message().c_str());
  compareProjects(current, before);
}

void ProjectFileTest::refusesTooLargeFile() {
  { std::ofstream(path("huge.ffnlab")) << "{"; }
  fs::resize_file(path("huge.ffnlab"), 65u << 20);  // sparse: costs no disk
  QElapsedTimer timer;
  timer.start();
  auto loaded = loadProject(path("huge.ffnlab"));
  QVERIFY(!loaded.ok());
  QVERIFY2(loaded.message().find("it is 65.0 MB, more than the 64.0 MB") != std::string::npos, loaded.message().c_str());
  QVERIFY(timer.elapsed() < 1000);
}

void ProjectFileTest::reportsMissingFile() {
  auto loaded = loadProject(path("nothing.ffnlab"));
  QVERIFY(!loaded.ok());
  QVERIFY2(loaded.message().find("nothing.ffnlab': No such file or directory") != std::string::npos,
           loaded.message().c_str());
}

void ProjectFileTest::reportsFailedSave() {
  Status saved = saveProject(fullProject(), path("missing-folder/p.ffnlab"));
  QVERIFY(!saved.ok());
  QVERIFY2(saved.message().find("missing-folder' does not exist") != std::string::npos, saved.message().c_str());
}

void ProjectFileTest::weightsPathBesideProject_data() {
  QTest::addColumn<QString>("project");
  QTest::addColumn<QString>("weights");
  QTest::newRow("relative") << "runs/mnist.ffnlab" << "runs/mnist.safetensors";
  QTest::newRow("absolute with space") << "/home/a/My Net.ffnlab" << "/home/a/My Net.safetensors";
  QTest::newRow("dot in folder") << "v1.2/net.ffnlab" << "v1.2/net.safetensors";
  QTest::newRow("other extension kept") << "net.json" << "net.json.safetensors";
  QTest::newRow("no extension") << "v1.2/net" << "v1.2/net.safetensors";
}

void ProjectFileTest::weightsPathBesideProject() {
  QFETCH(QString, project);
  QFETCH(QString, weights);
  QCOMPARE(QString::fromStdString(defaultWeightsPath(project.toStdString())), weights);
}

QTEST_APPLESS_MAIN(ProjectFileTest)
#include "tst_project_file.moc"

// ONNX export and import. Exported models pass the ONNX library's checker and compute what our forward pass
// computes (checked by an independent double-precision interpreter, OnnxReference.h); exporting then importing
// gives a network with the same outputs; a PyTorch-style MLP built here with the ONNX library (Gemm and
// MatMul + Add layers, GELU in its erf form, a leading Flatten) imports and runs; unsupported operators are
// refused by name; tensors that claim more values than they hold are refused before anything is allocated.
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <QTemporaryDir>
#include <QtTest>
#include <cerrno>
#include <cmath>

#include "core/base/AtomicFile.h"
#include "core/onnx/OnnxExport.h"
#include "core/onnx/OnnxImport.h"
#include "core/project/ProjectFile.h"
#include "core/project/WeightsFile.h"
#include "tests/core/onnx/OnnxReference.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

// The failure's message for QVERIFY2 (which evaluates its message even when the check passes).
template <typename R>
const char* why(const R& result) {
  return result.ok() ? "" : result.message().c_str();
}

constexpr std::int64_t kBatch = 5;

std::unique_ptr<Network> compiled(const Graph& graph, Backend& backend, std::uint64_t seed) {
  auto net = Network::compile(graph, backend);
  if (!net.ok()) qFatal("%s", net.message().c_str());
  (*net)->initializeWeights(seed);
  return std::move(*net);
}

// Copies named tensors into the network's weights by their "<node>.<weight>" names; false when one is missing.
bool loadNamed(Network& net, const std::vector<NamedTensor>& tensors) {
  for (const WeightEntry& entry : net.weightEntries()) {
    auto it = std::find_if(tensors.begin(), tensors.end(), [&](const NamedTensor& t) { return t.name == entry.fullName(); });
    if (it == tensors.end() || it->shape != entry.shape) return false;
    std::copy(it->values.begin(), it->values.end(), net.weights().mutableData() + entry.offset);
  }
  return true;
}

RefTensor toRef(const Tensor& x) {
  RefTensor r{x.shape().dims(), {}};
  for (float v : x.values()) r.values.push_back(v);
  return r;
}

double maxDifference(const Tensor& ours, const RefTensor& reference) {
  if (std::size_t(ours.size()) != reference.values.size()) return INFINITY;
  double worst = 0;
  for (std::size_t i = 0; i < reference.values.size(); ++i)
    worst = std::max(worst, std::abs(double(ours.values()[i]) - reference.values[i]));
  return worst;
}

onnx::ModelProto parsed(const std::string& bytes) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) qFatal("exported bytes do not parse");
  return model;
}

// Every layer kind the exporter writes, in one chain of features.
Graph featureChain() {
  return chainGraph(Shape{6}, {{"Dense", Json{{"units", 8}}},
                               {"ELU", Json{{"alpha", 0.7}}},
                               {"LowRank", Json{{"units", 6}, {"rank", 3}}},
                               {"GELU"},
                               {"Dropout", Json{{"rate", 0.2}}},
                               {"BlockDiagonal", Json{{"units", 6}, {"blocks", 2}}},
                               {"LayerNorm"},
                               {"Tanh"},
                               {"Dense", Json{{"units", 5}, {"bias", false}}},
                               {"Sigmoid"},
                               {"Dense", Json{{"units", 4}}},
                               {"ReLU"},
                               {"Dense", Json{{"units", 3}}},
                               {"Softmax"}});
}

Graph imageChain() {
  return chainGraph(Shape{2, 6, 6}, {{"Conv2d", Json{{"channels", 3}, {"kernel", 3}, {"padding", 1}}},
                                     {"ReLU"},
                                     {"MaxPool2d", Json{{"kernel", 2}, {"stride", 2}}},
                                     {"Conv2d", Json{{"channels", 2}, {"kernel", 3}, {"padding", 0}, {"stride", 1}}},
                                     {"AvgPool2d", Json{{"kernel", 1}, {"stride", 1}}},
                                     {"Flatten"},
                                     {"Dense", Json{{"units", 4}}}});
}

// A float initializer with the given dims and values.
void addInitializer(onnx::GraphProto& g, const std::string& name, std::vector<std::int64_t> dims, std::uint64_t seed) {
  onnx::TensorProto& t = *g.add_initializer();
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::FLOAT);
  std::int64_t count = 1;
  for (auto d : dims) t.add_dims(d), count *= d;
  const Tensor values = randomTensor(Shape{count}, seed, 0.5f);
  for (float v : values.values()) t.add_float_data(v);
}

onnx::NodeProto& addNode(onnx::GraphProto& g, const std::string& op, const std::string& name,
                         std::vector<std::string> inputs, const std::string& output) {
  onnx::NodeProto& n = *g.add_node();
  n.set_op_type(op);
  n.set_name(name);
  for (auto& i : inputs) n.add_input(i);
  n.add_output(output);
  return n;
}

void setIo(onnx::ValueInfoProto& v, const std::string& name, std::vector<std::int64_t> sample) {
  v.set_name(name);
  auto* t = v.mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  t->mutable_shape()->add_dim()->set_dim_param("batch_size");
  for (auto d : sample) t->mutable_shape()->add_dim()->set_dim_value(d);
}

// What torch.onnx.export writes (opset 14) for
//   nn.Sequential(nn.Flatten(), nn.Linear(16, 10), nn.ReLU(), nn.Linear(10, 8), nn.GELU(), nn.Linear(8, 3))
// with the middle Linear as MatMul + Add (as PyTorch writes it for 3-D inputs and older versions), GELU in its
// erf form, initializers named "onnx::..." and node names "/1/Gemm".
onnx::ModelProto pytorchMlp() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("pytorch");
  m.set_producer_version("2.1.0");
  m.add_opset_import()->set_version(14);
  onnx::GraphProto& g = *m.mutable_graph();
  g.set_name("main_graph");
  setIo(*g.add_input(), "input.1", {1, 4, 4});
  addInitializer(g, "1.weight", {10, 16}, 11);
  addInitializer(g, "1.bias", {10}, 12);
  addInitializer(g, "onnx::MatMul_20", {10, 8}, 13);
  addInitializer(g, "3.bias", {8}, 14);
  addInitializer(g, "5.weight", {3, 8}, 15);
  addInitializer(g, "5.bias", {3}, 16);
  addNode(g, "Flatten", "/0/Flatten", {"input.1"}, "/0/Flatten_output_0")
      .add_attribute()->CopyFrom([] { onnx::AttributeProto a; a.set_name("axis"); a.set_type(onnx::AttributeProto::INT); a.set_i(1); return a; }());
  auto& gemm = addNode(g, "Gemm", "/1/Gemm", {"/0/Flatten_output_0", "1.weight", "1.bias"}, "/1/Gemm_output_0");
  for (auto [name, value] : {std::pair{"alpha", 1.0f}, std::pair{"beta", 1.0f}}) {
    auto* a = gemm.add_attribute();
    a->set_name(name), a->set_type(onnx::AttributeProto::FLOAT), a->set_f(value);
  }
  auto* tb = gemm.add_attribute();
  tb->set_name("transB"), tb->set_type(onnx::AttributeProto::INT), tb->set_i(1);
  addNode(g, "Relu", "/2/Relu", {"/1/Gemm_output_0"}, "/2/Relu_output_0");
  addNode(g, "MatMul", "/3/MatMul", {"/2/Relu_output_0", "onnx::MatMul_20"}, "/3/MatMul_output_0");
  addNode(g, "Add", "/3/Add", {"3.bias", "/3/MatMul_output_0"}, "/3/Add_output_0");
  // GELU: x * 0.5 * (1 + erf(x / sqrt 2)), constants as Constant nodes as PyTorch writes them.
  auto constant = [&](const std::string& name, float value) {
    auto& c = addNode(g, "Constant", name, {}, name + "_output_0");
    auto* a = c.add_attribute();
    a->set_name("value"), a->set_type(onnx::AttributeProto::TENSOR);
    a->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
    a->mutable_t()->add_float_data(value);
    return name + "_output_0";
  };
  const std::string sqrt2 = constant("/4/Constant", 1.4142135381698608f);
  const std::string one = constant("/4/Constant_1", 1.0f), half = constant("/4/Constant_2", 0.5f);
  addNode(g, "Div", "/4/Div", {"/3/Add_output_0", sqrt2}, "/4/Div_output_0");
  addNode(g, "Erf", "/4/Erf", {"/4/Div_output_0"}, "/4/Erf_output_0");
  addNode(g, "Add", "/4/Add", {"/4/Erf_output_0", one}, "/4/Add_output_0");
  addNode(g, "Mul", "/4/Mul", {"/3/Add_output_0", "/4/Add_output_0"}, "/4/Mul_output_0");
  addNode(g, "Mul", "/4/Mul_1", {"/4/Mul_output_0", half}, "/4/Mul_1_output_0");
  auto& last = addNode(g, "Gemm", "/5/Gemm", {"/4/Mul_1_output_0", "5.weight", "5.bias"}, "13");
  last.add_attribute()->CopyFrom(*tb);
  setIo(*g.add_output(), "13", {3});
  return m;
}

}  // namespace

class OnnxExportImportTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void exportPassesCheckerAndMatchesForward();
  void roundTripGivesSameOutputs_data();
  void roundTripGivesSameOutputs();
  void pytorchMlpImportsAndRuns();
  void projectExportAndImportThroughFiles();
  void refusesUnsupportedOperatorsByName();
  void refusesTensorClaimingMoreThanItHolds();
  void refusesWhatIsNotAModel();

 private:
  CpuBackend m_backend;
};

void OnnxExportImportTest::exportPassesCheckerAndMatchesForward() {
  auto net = compiled(featureChain(), m_backend, 7);
  auto bytes = exportOnnx(*net);
  QVERIFY2(bytes.ok(), why(bytes));
  const onnx::ModelProto model = parsed(*bytes);
  onnx::checker::check_model(model);  // throws (and fails the test) on an invalid model
  QCOMPARE(model.opset_import(0).version(), std::int64_t{kOnnxOpset});
  QCOMPARE(model.graph().output(0).name(), std::string("logits"));
  // LowRank stays two factors (the rank is visible in Netron), BlockDiagonal becomes one Gemm.
  int gemms = 0;
  for (const auto& node : model.graph().node()) gemms += node.op_type() == "Gemm";
  QCOMPARE(gemms, 7);  // Dense x4, LowRank x2, BlockDiagonal x1

  const Tensor x = randomTensor(Shape{kBatch, 6}, 3);
  const Tensor& ours = net->forward(x, false);
  OnnxReference reference(model);
  const double difference = maxDifference(ours, reference.run(toRef(x)));
  QVERIFY2(difference < 2e-5, std::to_string(difference).c_str());
}

void OnnxExportImportTest::roundTripGivesSameOutputs_data() {
  QTest::addColumn<int>("which");
  QTest::newRow("features: every exported kind") << 0;
  QTest::newRow("images: Conv2d, pools, Flatten") << 1;
}

void OnnxExportImportTest::roundTripGivesSameOutputs() {
  QFETCH(int, which);
  const Graph graph = which == 0 ? featureChain() : imageChain();
  auto net = compiled(graph, m_backend, 21);
  auto bytes = exportOnnx(*net);
  QVERIFY2(bytes.ok(), why(bytes));
  auto imported = importOnnx(*bytes, "the export");
  QVERIFY2(imported.ok(), why(imported));
  auto twin = compiled(imported->project.graph, m_backend, 99);  // other initial weights, then the imported ones
  QVERIFY(loadNamed(*twin, imported->weights));
  // BlockDiagonal comes back as the Dense layer of its dense product: the function, not the structure.

  Shape xShape = net->inputShape();
  std::vector<std::int64_t> dims{kBatch};
  for (auto d : xShape.dims()) dims.push_back(d);
  const Tensor x = randomTensor(Shape(dims), 4);
  const Tensor expected = net->forward(x, false);
  const Tensor& got = twin->forward(x, false);
  QCOMPARE(got.shape(), expected.shape());
  for (std::int64_t i = 0; i < got.size(); ++i) QVERIFY(std::abs(got.at(i) - expected.at(i)) <= 1e-5f);
  // Labels survive (ours are written as doc strings); Dropout is gone (inference).
  int dropouts = 0;
  for (const auto& node : imported->project.graph.nodes()) dropouts += node.kind == "Dropout";
  QCOMPARE(dropouts, 0);
  if (which == 0) QVERIFY(!imported->notes.empty());  // ends in Softmax: the person is told
}

void OnnxExportImportTest::pytorchMlpImportsAndRuns() {
  const onnx::ModelProto model = pytorchMlp();
  onnx::checker::check_model(model);  // the file we build is a valid model by ONNX's own rules
  std::string bytes;
  QVERIFY(model.SerializeToString(&bytes));
  auto imported = importOnnx(bytes, "'mlp.onnx'");
  QVERIFY2(imported.ok(), why(imported));
  std::vector<std::string> kinds;
  for (const auto& node : imported->project.graph.nodes()) kinds.push_back(node.kind);
  const std::vector<std::string> expectedKinds{"Input", "Flatten", "Dense", "ReLU", "Dense", "GELU", "Dense", "Output"};
  QCOMPARE(kinds, expectedKinds);
  QVERIFY(imported->project.graph.contains("1"));  // "/1/Gemm" -> node "1", weights "1.weight"
  auto net = compiled(imported->project.graph, m_backend, 5);
  QVERIFY(loadNamed(*net, imported->weights));
  const Tensor x = randomTensor(Shape{kBatch, 1, 4, 4}, 8);
  OnnxReference reference(model);
  const double difference = maxDifference(net->forward(x, false), reference.run(toRef(x)));
  QVERIFY2(difference < 1e-5, std::to_string(difference).c_str());

  // It trains further: one backward pass gives finite gradients for every weight.
  net->zeroGradients();
  const Tensor probe = randomTensor(Shape{kBatch, 3}, 9);
  net->forward(x, true);
  net->backward(probe);
  QVERIFY(m_backend.allFinite(net->gradients()));
  double norm = 0;
  for (float g : net->gradients().values()) norm += double(g) * g;
  QVERIFY(norm > 0);
}

void OnnxExportImportTest::projectExportAndImportThroughFiles() {
  QTemporaryDir dir;
  const std::string base = dir.path().toStdString();
  Project project;
  project.name = "mlp";
  project.graph = featureChain();
  auto net = compiled(project.graph, m_backend, 13);
  QVERIFY(saveWeights(*net, base + "/mlp.safetensors").ok());
  QVERIFY(exportProjectOnnx(project, base + "/mlp.safetensors", base + "/mlp.onnx").ok());
  auto imported = readOnnx(base + "/mlp.onnx");
  QVERIFY2(imported.ok(), why(imported));
  QCOMPARE(imported->project.name, std::string("mlp"));
  auto twin = compiled(imported->project.graph, m_backend, 1);
  QVERIFY(loadNamed(*twin, imported->weights));
  const Tensor x = randomTensor(Shape{kBatch, 6}, 2);
  const Tensor expected = net->forward(x, false);
  const Tensor& got = twin->forward(x, false);
  for (std::int64_t i = 0; i < got.size(); ++i) QVERIFY(std::abs(got.at(i) - expected.at(i)) <= 1e-5f);

  // Weights of another network are refused by name; the previous model file stays as it was.
  const auto before = readWholeFile(base + "/mlp.onnx", 1 << 20);
  Project other = project;
  other.graph = chainGraph(Shape{6}, {{"Dense", Json{{"units", 3}}}});
  Status refused = exportProjectOnnx(other, base + "/mlp.safetensors", base + "/mlp.onnx");
  QVERIFY(!refused.ok());
  QVERIFY2(refused.message().find("n1.weight") != std::string::npos, refused.message().c_str());
  QCOMPARE(*readWholeFile(base + "/mlp.onnx", 1 << 20), *before);

  // A full disk while writing: the message says so and the previous model is intact, with no leftovers.
  setAtomicWriteFaultForTesting([](AtomicWriteStep step) { return step == AtomicWriteStep::Write ? ENOSPC : 0; });
  Status full = writeOnnx(*compiled(featureChain(), m_backend, 2), base + "/mlp.onnx");
  setAtomicWriteFaultForTesting({});
  QVERIFY(!full.ok());
  QVERIFY2(full.message().find("No space left on device") != std::string::npos, full.message().c_str());
  QCOMPARE(*readWholeFile(base + "/mlp.onnx", 1 << 20), *before);
  QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);  // mlp.safetensors, mlp.onnx
}

void OnnxExportImportTest::refusesUnsupportedOperatorsByName() {
  onnx::ModelProto model = pytorchMlp();
  model.mutable_graph()->mutable_node(2)->set_op_type("LSTM");
  model.mutable_graph()->mutable_node(3)->set_op_type("Resize");
  auto* custom = model.mutable_graph()->mutable_node(4);
  custom->set_domain("com.example");
  custom->set_op_type("Fancy");
  std::string bytes;
  QVERIFY(model.SerializeToString(&bytes));
  auto imported = importOnnx(bytes, "'rnn.onnx'");
  QVERIFY(!imported.ok());
  for (const char* name : {"LSTM", "Resize", "com.example.Fancy", "'rnn.onnx'"})
    QVERIFY2(imported.message().find(name) != std::string::npos, imported.message().c_str());
}

void OnnxExportImportTest::refusesTensorClaimingMoreThanItHolds() {
  const std::vector<std::vector<std::int64_t>> claims{{1000000, 1000000}, {-4, 4}, {1LL << 40, 1LL << 40}, {3, 16}};
  for (const auto& dims : claims) {
    onnx::ModelProto model = pytorchMlp();
    onnx::TensorProto* weight = model.mutable_graph()->mutable_initializer(0);  // holds 160 values
    weight->clear_dims();
    for (auto d : dims) weight->add_dims(d);
    std::string bytes;
    QVERIFY(model.SerializeToString(&bytes));
    auto imported = importOnnx(bytes);
    QVERIFY(!imported.ok());
    QVERIFY2(imported.message().find("1.weight") != std::string::npos, imported.message().c_str());
  }
}

void OnnxExportImportTest::refusesWhatIsNotAModel() {
  for (const std::string& bytes : {std::string(), std::string("not a model at all"), std::string("\x0a\xff\xff\xff\xff\x0f", 6)}) {
    auto imported = importOnnx(bytes);
    QVERIFY(!imported.ok());
  }
  onnx::ModelProto noOpset = pytorchMlp();
  noOpset.clear_opset_import();
  std::string bytes;
  QVERIFY(noOpset.SerializeToString(&bytes));
  QVERIFY(!importOnnx(bytes).ok());
}

QTEST_GUILESS_MAIN(OnnxExportImportTest)
#include "tst_onnx_export_import.moc"

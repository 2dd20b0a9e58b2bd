// LRP on the OpenCL device against the CPU backend: every composite preset over an MLP with biases and a small
// CNN (convolutions, max and average pooling), with the same weights and inputs on both. The relevance maps,
// the explained scores and the relevance sums must agree up to float rounding. Skipped when the build has no
// OpenCL or the machine no OpenCL device.
#include <QtTest>

#ifdef FFN_HAVE_OPENCL
#include "core/backend/DeviceRegistry.h"
#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/opencl/OpenClBackend.h"
#include "core/lrp/Composite.h"
#include "core/lrp/Explainer.h"
#include "tests/core/backend/DeviceTestSupport.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

Q_DECLARE_METATYPE(ffn::Shape)

namespace {

struct LrpRun {
  std::vector<float> relevance, scores, sums;
};

Result<LrpRun> explain(Backend& backend, const Graph& graph, const std::string& preset, const Tensor& inputs,
                       const std::vector<int>& classes) {
  auto net = Network::compile(graph, backend);
  if (!net) return net.error();
  (*net)->initializeWeights(5);
  auto composite = Composite::preset(preset);
  if (!composite) return composite.error();
  ExplainerOptions options;  // data bounds for z^B: the inputs lie within [-3, 3]
  const std::int64_t features = inputs.size() / inputs.shape()[0];
  options.bounds.low = Tensor(Shape{features}, -3.0f);
  options.bounds.high = Tensor(Shape{features}, 3.0f);
  auto explainer = Explainer::create(**net, *composite, ExplanationTarget::logits(), std::move(options));
  if (!explainer) return explainer.error();
  auto explanation = (*explainer)->explain(inputs, ClassChoice::given(classes));
  if (!explanation) return explanation.error();
  const auto relevance = explanation->relevance.values();
  return LrpRun{{relevance.begin(), relevance.end()}, explanation->scores, explanation->relevanceSums};
}

}  // namespace

class OpenClLrpTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void explanationMatchesCpu_data();
  void explanationMatchesCpu();
};

void OpenClLrpTest::initTestCase() {
  useBuildFolderProgramCache();
  const DeviceList list = DeviceRegistry::openClDevices();
  if (list.devices.empty()) QSKIP(("no OpenCL device: " + list.problem).c_str());
}

void OpenClLrpTest::explanationMatchesCpu_data() {
  QTest::addColumn<QString>("preset");
  QTest::addColumn<QString>("layers");  // JSON list of [kind, params]
  QTest::addColumn<Shape>("input");
  const QString mlp = R"([["Dense", {"units": 21}], ["ReLU", {}], ["Dense", {"units": 13}], ["ReLU", {}],
                          ["Dense", {"units": 5}]])";
  const QString cnn = R"([["Conv2d", {"channels": 4, "kernel": 3, "padding": 1}], ["ReLU", {}],
                          ["MaxPool2d", {"kernel": 2, "stride": 2}], ["Conv2d", {"channels": 3, "kernel": 2}], ["ReLU", {}],
                          ["AvgPool2d", {"kernel": 2, "stride": 1}], ["Flatten", {}], ["Dense", {"units": 5}]])";
  for (const auto& info : Composite::presets()) {
    QTest::newRow(("mlp " + info.name).c_str()) << QString::fromStdString(info.name) << mlp << Shape{23};
    QTest::newRow(("cnn " + info.name).c_str()) << QString::fromStdString(info.name) << cnn << Shape{2, 9, 11};
  }
}

void OpenClLrpTest::explanationMatchesCpu() {
  QFETCH(QString, preset);
  QFETCH(QString, layers);
  QFETCH(Shape, input);
  std::vector<LayerSpec> specs;
  for (const auto& layer : Json::parse(layers.toStdString())) specs.push_back({layer[0].get<std::string>(), layer[1]});
  const Graph graph = chainGraph(input, specs);
  const Tensor inputs = randomTensor(input.withBatch(6), 3, 2.0f);
  const std::vector<int> classes{0, 4, 2, 1, 3, 2};

  CpuBackend cpu;
  auto device = OpenClBackend::create(0);
  QVERIFY2(device.ok(), device.ok() ? "" : device.message().c_str());
  auto expected = explain(cpu, graph, preset.toStdString(), inputs, classes);
  QVERIFY2(expected.ok(), expected.ok() ? "" : expected.message().c_str());
  const Tensor deviceInputs = inputs;  // its own tensor: the CPU run's stays host-only
  auto got = explain(**device, graph, preset.toStdString(), deviceInputs, classes);
  QVERIFY2(got.ok(), got.ok() ? "" : got.message().c_str());

  const double relevanceError = normalisedMse(got->relevance, expected->relevance);
  const double scoreError = normalisedMse(got->scores, expected->scores);
  const double sumError = normalisedMse(got->sums, expected->sums);
  qInfo("relevance normalised MSE %.3g, scores %.3g, relevance sums %.3g", relevanceError, scoreError, sumError);
  QVERIFY2(relevanceError < 1e-8, std::to_string(relevanceError).c_str());
  QVERIFY2(scoreError < 1e-8, std::to_string(scoreError).c_str());
  QVERIFY2(sumError < 1e-8, std::to_string(sumError).c_str());
  const std::string warnings = (*device)->takeWarnings();
  QVERIFY2(warnings.empty(), warnings.c_str());
}

#else

class OpenClLrpTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void skipped() { QSKIP("this build has no OpenCL backend"); }
};

#endif

QTEST_GUILESS_MAIN(OpenClLrpTest)
#include "tst_opencl_lrp.moc"

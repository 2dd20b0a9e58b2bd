// Every training rule on the OpenCL device against the same run on the CPU backend: a few steps of each rule on
// a small network, then its predictions. Losses, the network's weights, the rule's own tensors (Mono-Forward's
// projections, CCL's feedback net, FF's read-out) and the class scores must agree up to float rounding — the
// rules compute through Backend ops, so the device runs them, and whatever they do on the host must see the
// device's latest values. Skipped when the build has no OpenCL or the machine no OpenCL device.
#include <QtTest>

#ifdef FFN_HAVE_OPENCL
#include <cmath>

#include "core/backend/DeviceRegistry.h"
#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/opencl/OpenClBackend.h"
#include "core/optim/Optimizer.h"
#include "core/rules/RuleRegistry.h"
#include "tests/core/backend/DeviceTestSupport.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

constexpr std::int64_t kClasses = 5;
constexpr std::int64_t kBatch = 24;
constexpr int kSteps = 6;

struct RuleRun {
  std::vector<double> losses;
  std::vector<float> weights;  // the network's, then every rule tensor's
  std::vector<float> scores;   // predict() on the batch after training
};

Batch randomBatch(std::int64_t features) {
  Batch batch;
  batch.inputs = randomTensor(Shape{kBatch, features}, 3);
  batch.labels = labelTensor(kBatch, kClasses, 4);
  return batch;
}

Result<RuleRun> train(Backend& backend, const Graph& graph, const std::string& ruleName, const Json& params,
                      const Batch& batch) {
  auto net = Network::compile(graph, backend);
  if (!net) return net.error();
  (*net)->initializeWeights(7);
  auto rule = createRule(ruleName, params);
  if (!rule) return rule.error();
  RuleSetup setup;
  setup.classCount = static_cast<int>(kClasses);
  setup.epochs = 1;
  setup.stepsPerEpoch = kSteps;
  setup.seed = 11;
  FFN_TRY((*rule)->prepare(**net, setup));
  OptimizerSettings settings;
  settings.kind = "adam";
  settings.learningRate = 0.01;
  auto optimizer = Optimizer::create(settings, backend);
  if (!optimizer) return optimizer.error();
  RuleRun run;
  for (int step = 0; step < kSteps; ++step) {
    auto stats = (*rule)->step(**net, batch, **optimizer);
    if (!stats) return stats.error();
    run.losses.push_back(stats->loss);
  }
  (*rule)->finish(**net);
  const auto weights = (*net)->weights().values();
  run.weights.assign(weights.begin(), weights.end());
  for (const auto& tensor : (*rule)->ruleTensors()) {
    const auto values = tensor.tensor.values();
    run.weights.insert(run.weights.end(), values.begin(), values.end());
  }
  const auto scores = (*rule)->predict(**net, batch.inputs).values();
  run.scores.assign(scores.begin(), scores.end());
  return run;
}

}  // namespace

class OpenClRulesTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void ruleMatchesCpu_data();
  void ruleMatchesCpu();
};

void OpenClRulesTest::initTestCase() {
  useBuildFolderProgramCache();
  const DeviceList list = DeviceRegistry::openClDevices();
  if (list.devices.empty()) QSKIP(("no OpenCL device: " + list.problem).c_str());
}

void OpenClRulesTest::ruleMatchesCpu_data() {
  QTest::addColumn<QString>("rule");
  QTest::addColumn<QString>("params");
  QTest::addColumn<QString>("layers");  // JSON list of [kind, params]
  const char* localChain = R"([["Dense", {"units": 31}], ["ReLU", {}], ["Dense", {"units": 17}], ["ReLU", {}]])";
  QTest::newRow("backprop") << "backprop" << "{}"
                            << R"([["Dense", {"units": 19}], ["GELU", {}], ["Dense", {"units": 5}]])";
  QTest::newRow("ff (goodness prediction, random negatives)") << "ff" << "{}" << localChain;
  QTest::newRow("ff (softmax read-out, hard negatives, mean goodness)")
      << "ff" << R"({"prediction": "softmax", "negatives": "hard", "goodness": "mean"})" << localChain;
  QTest::newRow("mf") << "mf" << "{}" << localChain;
  QTest::newRow("ccl") << "ccl" << "{}"
                       << R"([["Dense", {"units": 19, "bias": false}], ["ELU", {}],
                             ["Dense", {"units": 13, "bias": false}], ["ELU", {}], ["Dense", {"units": 5, "bias": false}]])";
}

void OpenClRulesTest::ruleMatchesCpu() {
  QFETCH(QString, rule);
  QFETCH(QString, params);
  QFETCH(QString, layers);
  std::vector<LayerSpec> specs;
  for (const auto& layer : Json::parse(layers.toStdString())) specs.push_back({layer[0].get<std::string>(), layer[1]});
  const Graph graph = chainGraph(Shape{23}, specs, "cross-entropy");
  const Batch batch = randomBatch(23);

  CpuBackend cpu;
  auto device = OpenClBackend::create(0);
  QVERIFY2(device.ok(), device.ok() ? "" : device.message().c_str());
  const Json ruleParams = Json::parse(params.toStdString());
  auto expected = train(cpu, graph, rule.toStdString(), ruleParams, batch);
  QVERIFY2(expected.ok(), expected.ok() ? "" : expected.message().c_str());
  const Batch deviceBatch = batch;  // its own tensors: the CPU run's stay host-only
  auto got = train(**device, graph, rule.toStdString(), ruleParams, deviceBatch);
  QVERIFY2(got.ok(), got.ok() ? "" : got.message().c_str());

  for (int step = 0; step < kSteps; ++step) {
    const double want = expected->losses[step], have = got->losses[step];
    QVERIFY2(std::fabs(have - want) <= 1e-4 * std::max(1.0, std::fabs(want)),
             ("step " + std::to_string(step) + ": loss " + std::to_string(have) + " on the device, " +
              std::to_string(want) + " on the CPU").c_str());
  }
  QCOMPARE(got->weights.size(), expected->weights.size());
  QCOMPARE(got->scores.size(), expected->scores.size());
  const double weightError = normalisedMse(got->weights, expected->weights);
  const double scoreError = normalisedMse(got->scores, expected->scores);
  qInfo("losses %.6f -> %.6f (CPU %.6f -> %.6f); weights normalised MSE %.3g, scores %.3g", got->losses.front(),
        got->losses.back(), expected->losses.front(), expected->losses.back(), weightError, scoreError);
  QVERIFY2(weightError < 1e-8, std::to_string(weightError).c_str());
  QVERIFY2(scoreError < 1e-8, std::to_string(scoreError).c_str());
  const std::string warnings = (*device)->takeWarnings();
  QVERIFY2(warnings.empty(), warnings.c_str());
}

#else

class OpenClRulesTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void skipped() { QSKIP("this build has no OpenCL backend"); }
};

#endif

QTEST_GUILESS_MAIN(OpenClRulesTest)
#include "tst_opencl_rules.moc"

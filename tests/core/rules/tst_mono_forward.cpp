// Mono-Forward on a tiny 6-5-4 network with 3 classes: local losses, accuracies and updates of W, b and the
// projections M against a double-precision reference (no gradient crosses a layer: the second layer's loss depends
// on W1, yet W1 moves only by its own loss), prediction from the last layer's scores, the layer-by-layer schedule,
// and the graphs it refuses.
#include "core/rules/MonoForward.h"
#include "tests/core/rules/RuleTestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

constexpr int kClasses = 3;
const std::vector<int> kLabels{0, 2, 1, 2, 0, 1};

Graph tinyGraph() {
  return chainGraph(Shape{6}, {{"Dense", Json{{"units", 5}}}, {"ReLU"}, {"Dense", Json{{"units", 4}}}, {"ReLU"}});
}

// a_1, a_2 and the local losses from the current weights.
struct Reference {
  MatrixD a1, a2;
  double loss1 = 0.0, loss2 = 0.0;
};

Reference reference(Network& net, TrainingRule& rule, const MatrixD& x) {
  const auto tensors = rule.ruleTensors();
  Reference r;
  r.a1 = relu((x * toMatrix(weightOf(net, "n1")).transpose()).rowwise() +
              toMatrix(weightOf(net, "n1", "bias").reshaped(Shape{1, 5})).row(0));
  r.a2 = relu((r.a1 * toMatrix(weightOf(net, "n3")).transpose()).rowwise() +
              toMatrix(weightOf(net, "n3", "bias").reshaped(Shape{1, 4})).row(0));
  r.loss1 = crossEntropy(r.a1 * toMatrix(tensors[0].tensor).transpose(), kLabels);
  r.loss2 = crossEntropy(r.a2 * toMatrix(tensors[1].tensor).transpose(), kLabels);
  return r;
}

}  // namespace

class MonoForwardTest : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend{1};
  Tensor m_inputs = randomTensor(Shape{6, 6}, 21);

  std::pair<std::unique_ptr<Network>, std::unique_ptr<TrainingRule>> prepared(const Json& params = Json::object(),
                                                                              int epochs = 1, int steps = 1) {
    auto net = compileNetwork(tinyGraph(), m_backend, 9);
    auto rule = makeRule("mf", params);
    const Status status = rule->prepare(*net, setupFor(kClasses, epochs, steps));
    if (!status) qFatal("%s", status.message().c_str());
    return {std::move(net), std::move(rule)};
  }

 private Q_SLOTS:
  void projectionsAreRuleTensors() {
    auto [net, rule] = prepared();
    const auto tensors = rule->ruleTensors();
    QCOMPARE(tensors.size(), std::size_t{2});
    QCOMPARE(tensors[0].name, std::string("mf.projection1"));
    QCOMPARE(tensors[0].tensor.shape(), (Shape{kClasses, 5}));
    QCOMPARE(tensors[1].name, std::string("mf.projection2"));
    QCOMPARE(tensors[1].tensor.shape(), (Shape{kClasses, 4}));
  }

  void lossesAndUpdatesMatchTheReference() {
    auto [net, rule] = prepared();
    const MatrixD x = toMatrix(m_inputs);
    const Reference before = reference(*net, *rule, x);
    const auto tensors = rule->ruleTensors();
    const TensorView all[] = {weightOf(*net, "n1"), weightOf(*net, "n1", "bias"), tensors[0].tensor,
                              weightOf(*net, "n3"), weightOf(*net, "n3", "bias"), tensors[1].tensor};
    std::vector<std::vector<float>> start;
    for (const auto& v : all) start.push_back(copyOf(v));

    auto optimizer = sgd(m_backend);
    auto stats = rule->step(*net, makeBatch(m_inputs, kLabels), *optimizer);
    QVERIFY2(stats.ok(), stats.ok() ? "" : stats.message().c_str());
    QVERIFY(std::abs(stats->loss - (before.loss1 + before.loss2)) < 1e-5);
    QVERIFY(std::abs(findMetric(stats->metrics, "mf_local_loss_layer1")->value - before.loss1) < 1e-5);
    QVERIFY(std::abs(findMetric(stats->metrics, "mf_local_loss_layer2")->value - before.loss2) < 1e-5);
    auto accuracy = [&](const MatrixD& scores) {
      int correct = 0;
      for (Eigen::Index r = 0; r < scores.rows(); ++r) {
        Eigen::Index best = 0;
        scores.row(r).maxCoeff(&best);
        correct += best == kLabels[static_cast<std::size_t>(r)];
      }
      return correct / static_cast<double>(scores.rows());
    };
    QCOMPARE(findMetric(stats->metrics, "mf_local_accuracy_layer2")->value,
             accuracy(before.a2 * toMatrix(tensors[1].tensor).transpose()));

    std::vector<std::vector<double>> applied;
    for (std::size_t i = 0; i < 6; ++i) applied.push_back(appliedGradient(start[i], all[i].values()));
    for (std::size_t i = 0; i < 6; ++i) restore(all[i], start[i]);
    // Plain references: clang 14 (the sanitizer build) cannot capture a structured binding.
    auto& network = *net;
    auto& monoForward = *rule;
    auto loss1 = [&] { return reference(network, monoForward, x).loss1; };
    auto loss2 = [&] { return reference(network, monoForward, x).loss2; };
    for (std::size_t i = 0; i < 6; ++i) {
      const auto values = all[i].mutableValues();
      const auto numeric = numericGradient(values, i < 3 ? std::function<double()>(loss1) : loss2);
      const double error = relativeError(applied[i], numeric);
      QVERIFY2(error < 1e-2, qPrintable(QString("tensor %1: relative error %2").arg(i).arg(error)));
    }
    // The second layer's loss depends on W1, but W1 moved by its own loss only (checked above).
    QVERIFY(norm(numericGradient(all[0].mutableValues(), loss2)) > 1e-3);
  }

  void predictsWithTheLastLayersScores() {
    auto [net, rule] = prepared();
    const Reference r = reference(*net, *rule, toMatrix(m_inputs));
    const MatrixD expected = r.a2 * toMatrix(rule->ruleTensors()[1].tensor).transpose();
    const MatrixD scores = toMatrix(rule->predict(*net, m_inputs));
    QVERIFY((scores - expected).cwiseAbs().maxCoeff() < 1e-5);
  }

  void layerByLayerTrainsOneLayerAtATime() {
    // 2 epochs of 2 steps, no validation: layer 1 for the first 2 steps, then layer 2.
    auto [net, rule] = prepared(Json{{"schedule", "layer-by-layer"}}, 2, 2);
    auto* mf = dynamic_cast<MonoForward*>(rule.get());
    auto optimizer = sgd(m_backend, 0.1);
    const Batch batch = makeBatch(m_inputs, kLabels);
    for (int step = 0; step < 4; ++step) {
      const auto w1 = copyOf(weightOf(*net, "n1")), w2 = copyOf(weightOf(*net, "n3"));
      auto stats = rule->step(*net, batch, *optimizer);
      QVERIFY(stats.ok());
      const bool first = step < 2;
      QCOMPARE(mf->activeLayer(), first ? 0 : 1);
      QCOMPARE(findMetric(stats->metrics, "mf_active_layer")->value, first ? 1.0 : 2.0);
      QCOMPARE(copyOf(weightOf(*net, "n1")) != w1, first);
      QCOMPARE(copyOf(weightOf(*net, "n3")) != w2, !first);
      if (step % 2 == 1) rule->endEpoch(*net, nullptr);
    }
  }

  void layerByLayerMovesOnWhenValidationStopsImproving() {
    auto [net, rule] = prepared(Json{{"schedule", "layer-by-layer"}, {"patience", 1}}, 10, 1);
    auto* mf = dynamic_cast<MonoForward*>(rule.get());
    auto optimizer = sgd(m_backend, 0.1);
    const Batch batch = makeBatch(m_inputs, kLabels);
    QVERIFY(rule->step(*net, batch, *optimizer).ok());
    EvalStats first = rule->evaluate(*net, batch);
    rule->endEpoch(*net, &first);
    const auto best = copyOf(weightOf(*net, "n1"));
    QCOMPARE(mf->activeLayer(), 0);
    // The next epoch's validation loss is worse: with patience 1 the next layer starts, and layer 1 goes back to
    // its best weights.
    QVERIFY(rule->step(*net, batch, *optimizer).ok());
    QVERIFY(copyOf(weightOf(*net, "n1")) != best);
    EvalStats worse{first.lossSum * 2.0 + 1.0, 0, first.samples};
    rule->endEpoch(*net, &worse);
    QCOMPARE(mf->activeLayer(), 1);
    QCOMPARE(copyOf(weightOf(*net, "n1")), best);
  }

  void refusesGraphsItCannotTrain() {
    auto check = [&](const Graph& graph, std::initializer_list<const char*> parts) {
      auto net = compileNetwork(graph, m_backend, 1);
      auto rule = makeRule("mf");
      const Status status = rule->prepare(*net, setupFor(kClasses));
      QVERIFY2(!status.ok(), "the rule accepted the graph");
      for (const char* part : parts) QVERIFY2(status.message().find(part) != std::string::npos, status.message().c_str());
    };
    check(chainGraph(Shape{6}, {{"Dense", Json{{"units", 5}}}, {"ReLU"}, {"Dense", Json{{"units", 3}}}}),
          {"Mono-Forward", "Dense 'n3' has none"});
    check(chainGraph(Shape{6}, {{"Dense", Json{{"units", 5}}}, {"ReLU"}, {"Softmax"}}), {"cannot train Softmax 'n3'"});
    check(chainGraph(Shape{6}, {{"ReLU"}, {"Dense", Json{{"units", 5}}}, {"ReLU"}}), {"needs a Dense layer before"});
  }
};

QTEST_GUILESS_MAIN(MonoForwardTest)
#include "tst_mono_forward.moc"

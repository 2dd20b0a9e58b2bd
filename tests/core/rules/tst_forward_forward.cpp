// Forward-Forward on a tiny 6-5-4 ReLU network with 2 classes (so the wrong label is the other one and the
// negatives are known): the loss, the goodness metrics and the update of every layer against a double-precision
// reference of Hinton's definitions — label written into the input, each layer's input normalised to unit length
// and detached (the second layer's loss depends on W1, yet W1 moves by its own loss only) — for both goodness
// forms and both ways of giving the label; goodness and read-out predictions; the graphs it refuses.
#include "core/rules/ForwardForward.h"
#include "tests/core/rules/RuleTestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

constexpr int kClasses = 2;
constexpr double kEps = GoodnessPass::kEpsilon;
const std::vector<int> kLabels{0, 1, 1, 0, 1};

Graph tinyGraph(const char* activation = "ReLU") {
  return chainGraph(Shape{6}, {{"Dense", Json{{"units", 5}}}, {activation}, {"Dense", Json{{"units", 4}}}, {activation}});
}

double softplus(double x) { return std::log1p(std::exp(-std::abs(x))) + std::max(x, 0.0); }

struct Reference {
  std::vector<MatrixD> h;         // normalised activities per layer
  std::vector<Eigen::VectorXd> g; // goodness per layer (sum of squares)
};

// The network on x with `labels` written in (class c, or -1 for the neutral label), per Hinton.
Reference run(Network& net, TrainingRule& rule, const MatrixD& x, const std::vector<int>& labels, bool extraInputs,
              double value = 1.0) {
  MatrixD input = x;
  MatrixD w1 = toMatrix(weightOf(net, "n1"));
  MatrixD e = MatrixD::Zero(x.rows(), kClasses);
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const int c = labels[static_cast<std::size_t>(r)];
    if (c < 0) e.row(r).setConstant(value / kClasses);
    else e(r, c) = value;
  }
  if (extraInputs) {
    input.conservativeResize(x.rows(), x.cols() + kClasses);
    input.rightCols(kClasses) = e;
    const MatrixD labelWeights = toMatrix(rule.ruleTensors()[0].tensor);
    w1.conservativeResize(w1.rows(), w1.cols() + kClasses);
    w1.rightCols(kClasses) = labelWeights;
  } else {
    input.leftCols(kClasses) = e;
  }
  Reference r;
  MatrixD h = normalizeRows(input, kEps);
  const char* nodes[] = {"n1", "n3"};
  for (int l = 0; l < 2; ++l) {
    const MatrixD w = l == 0 ? w1 : toMatrix(weightOf(net, nodes[l]));
    const TensorView bias = weightOf(net, nodes[l], "bias");
    const MatrixD a = relu((h * w.transpose()).rowwise() + toMatrix(bias.reshaped(Shape{1, bias.size()})).row(0));
    r.g.push_back(a.rowwise().squaredNorm());
    h = normalizeRows(a, kEps);
    r.h.push_back(h);
  }
  return r;
}

std::vector<int> wrong(const std::vector<int>& labels) {
  std::vector<int> out;
  for (int y : labels) out.push_back(1 - y);
  return out;
}

// Loss of layer l: mean softplus(theta - G+) + softplus(G- - theta), G in the chosen form.
double layerLoss(const Reference& pos, const Reference& neg, int l, double tau, bool mean) {
  const double units = l == 0 ? 5.0 : 4.0;
  const double theta = mean ? tau : tau * units, form = mean ? 1.0 / units : 1.0;
  double total = 0.0;
  for (Eigen::Index n = 0; n < pos.g[0].size(); ++n)
    total += softplus(theta - form * pos.g[static_cast<std::size_t>(l)](n)) +
             softplus(form * neg.g[static_cast<std::size_t>(l)](n) - theta);
  return total / static_cast<double>(pos.g[0].size());
}

}  // namespace

class ForwardForwardTest : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend{1};
  Tensor m_inputs = randomTensor(Shape{5, 6}, 31);

  std::pair<std::unique_ptr<Network>, std::unique_ptr<TrainingRule>> prepared(const Json& params) {
    auto net = compileNetwork(tinyGraph(), m_backend, 13);
    auto rule = makeRule("ff", params);
    const Status status = rule->prepare(*net, setupFor(kClasses));
    if (!status) qFatal("%s", status.message().c_str());
    return {std::move(net), std::move(rule)};
  }

 private Q_SLOTS:
  void lossAndUpdatesMatchTheReference_data() {
    QTest::addColumn<QString>("goodness");
    QTest::addColumn<QString>("labelInput");
    QTest::addColumn<QString>("negatives");
    QTest::newRow("sum, label replaces the first features") << "sum" << "replace-first" << "random";
    QTest::newRow("mean, label replaces the first features") << "mean" << "replace-first" << "random";
    QTest::newRow("sum, label as extra inputs") << "sum" << "extra-inputs" << "random";
    // With 2 classes the hard negative is the wrong label too; the step then trains on the rows it keeps from
    // the pass that scored every label (GoodnessPass::keepRows) instead of running the network again.
    QTest::newRow("mean, hard negatives: rows kept from the scoring pass") << "mean" << "replace-first" << "hard";
    QTest::newRow("sum, extra inputs, hard negatives") << "sum" << "extra-inputs" << "hard";
  }
  void lossAndUpdatesMatchTheReference() {
    QFETCH(QString, goodness);
    QFETCH(QString, labelInput);
    QFETCH(QString, negatives);
    const bool mean = goodness == "mean", extra = labelInput == "extra-inputs";
    const double tau = 0.3;
    auto [net, rule] = prepared(Json{{"goodness", goodness.toStdString()}, {"threshold", tau},
                                     {"labelInput", labelInput.toStdString()}, {"negatives", negatives.toStdString()}});
    const MatrixD x = toMatrix(m_inputs);
    // Plain references: clang 14 (the sanitizer build) cannot capture a structured binding.
    auto& network = *net;
    auto& forwardForward = *rule;
    auto losses = [&, extra = extra, mean = mean](int l) {
      return [&, l] {
        const Reference pos = run(network, forwardForward, x, kLabels, extra),
                        neg = run(network, forwardForward, x, wrong(kLabels), extra);
        return layerLoss(pos, neg, l, tau, mean);
      };
    };
    const Reference pos = run(*net, *rule, x, kLabels, extra);
    const double loss1 = losses(0)(), loss2 = losses(1)();

    std::vector<TensorView> all{weightOf(*net, "n1"), weightOf(*net, "n1", "bias"), weightOf(*net, "n3"),
                                weightOf(*net, "n3", "bias")};
    if (extra) all.push_back(rule->ruleTensors()[0].tensor);
    std::vector<std::vector<float>> start;
    for (const auto& v : all) start.push_back(copyOf(v));
    auto optimizer = sgd(m_backend);
    auto stats = rule->step(*net, makeBatch(m_inputs, kLabels), *optimizer);
    QVERIFY2(stats.ok(), stats.ok() ? "" : stats.message().c_str());
    QVERIFY2(std::abs(stats->loss - (loss1 + loss2)) < 1e-5, qPrintable(QString::number(stats->loss)));
    QVERIFY(std::abs(findMetric(stats->metrics, "ff_loss_layer2")->value - loss2) < 1e-5);
    QVERIFY(std::abs(findMetric(stats->metrics, "ff_goodness_pos_layer1")->value - pos.g[0].mean() / 5.0) < 1e-5);
    QCOMPARE(findMetric(stats->metrics, "ff_threshold")->value, tau);

    std::vector<std::vector<double>> applied;
    for (std::size_t i = 0; i < all.size(); ++i) applied.push_back(appliedGradient(start[i], all[i].values()));
    for (std::size_t i = 0; i < all.size(); ++i) restore(all[i], start[i]);
    for (std::size_t i = 0; i < all.size(); ++i) {
      const int layer = i == 2 || i == 3 ? 1 : 0;
      const auto numeric = numericGradient(all[i].mutableValues(), losses(layer));
      const double error = relativeError(applied[i], numeric);
      QVERIFY2(error < 1e-2, qPrintable(QString("tensor %1: relative error %2").arg(i).arg(error)));
    }
    // The second layer's loss depends on W1 (through its normalised input), but W1 moved by its own loss only.
    QVERIFY(norm(numericGradient(all[0].mutableValues(), losses(1))) > 1e-3);
  }

  void goodnessPredictionSumsTheLayersGoodness() {
    for (bool skip : {false, true}) {
      auto [net, rule] = prepared(Json{{"skipFirstLayer", skip}});
      const MatrixD x = toMatrix(m_inputs);
      const MatrixD scores = toMatrix(rule->predict(*net, m_inputs));
      for (int c = 0; c < kClasses; ++c) {
        const Reference r = run(*net, *rule, x, std::vector<int>(kLabels.size(), c), false);
        const Eigen::VectorXd expected = skip ? r.g[1] : Eigen::VectorXd(r.g[0] + r.g[1]);
        QVERIFY2((scores.col(c) - expected).cwiseAbs().maxCoeff() < 1e-4, skip ? "skipping layer 1" : "all layers");
      }
    }
  }

  void softmaxReadoutReadsTheNeutralLabelsActivities() {
    auto [net, rule] = prepared(Json{{"prediction", "softmax"}, {"labelValue", 2.0}});
    const auto tensors = rule->ruleTensors();
    QCOMPARE(tensors.size(), std::size_t{3});
    QCOMPARE(tensors[0].name, std::string("ff.readout.layer1"));
    QCOMPARE(tensors[2].tensor.shape(), (Shape{kClasses}));
    auto optimizer = sgd(m_backend, 0.5);
    auto stats = rule->step(*net, makeBatch(m_inputs, kLabels), *optimizer);
    QVERIFY(stats.ok());
    QVERIFY(findMetric(stats->metrics, "ff_readout_loss"));
    QVERIFY(stats->accuracy >= 0.0);
    const Reference neutral = run(*net, *rule, toMatrix(m_inputs), std::vector<int>(kLabels.size(), -1), false, 2.0);
    const MatrixD expected = (neutral.h[0] * toMatrix(tensors[0].tensor).transpose() +
                              neutral.h[1] * toMatrix(tensors[1].tensor).transpose())
                                 .rowwise() +
                             toMatrix(tensors[2].tensor.reshaped(Shape{1, kClasses})).row(0);
    QVERIFY(expected.cwiseAbs().maxCoeff() > 1e-4);  // the read-out has learnt something
    QVERIFY((toMatrix(rule->predict(*net, m_inputs)) - expected).cwiseAbs().maxCoeff() < 1e-5);
  }

  void greedyTrainsOneLayerAtATime() {
    auto net = compileNetwork(tinyGraph(), m_backend, 13);
    auto rule = makeRule("ff", Json{{"schedule", "greedy"}});
    QVERIFY(rule->prepare(*net, setupFor(kClasses, 2, 2)).ok());
    auto optimizer = sgd(m_backend, 0.1);
    for (int step = 0; step < 4; ++step) {
      const auto w1 = copyOf(weightOf(*net, "n1")), w2 = copyOf(weightOf(*net, "n3"));
      auto stats = rule->step(*net, makeBatch(m_inputs, kLabels), *optimizer);
      QVERIFY(stats.ok());
      QCOMPARE(findMetric(stats->metrics, "ff_active_layer")->value, step < 2 ? 1.0 : 2.0);
      QCOMPARE(copyOf(weightOf(*net, "n1")) != w1, step < 2);
      QCOMPARE(copyOf(weightOf(*net, "n3")) != w2, step >= 2);
    }
  }

  void refusesGraphsItCannotTrain() {
    auto check = [&](const Graph& graph, int classes, const Json& params, std::initializer_list<const char*> parts) {
      auto net = compileNetwork(graph, m_backend, 1);
      auto rule = makeRule("ff", params);
      const Status status = rule->prepare(*net, setupFor(classes));
      QVERIFY2(!status.ok(), "the rule accepted the graph");
      for (const char* part : parts) QVERIFY2(status.message().find(part) != std::string::npos, status.message().c_str());
    };
    check(tinyGraph("ELU"), kClasses, {}, {"needs a ReLU", "Dense 'n1' is followed by ELU"});
    check(chainGraph(Shape{6}, {{"Dense", Json{{"units", 5}}}, {"ReLU"}, {"Dense", Json{{"units", 2}}}}), kClasses, {},
          {"needs a ReLU", "Dense 'n3' has none"});
    check(tinyGraph(), 10, {}, {"first 10 input features", "has only 6", "extra-inputs"});
    check(chainGraph(Shape{6}, {{"Dense", Json{{"units", 5}}}, {"Dropout"}, {"ReLU"}}), kClasses, {},
          {"cannot train Dropout 'n2'"});
    // With the label as extra inputs, few features are fine.
    auto net = compileNetwork(tinyGraph(), m_backend, 1);
    QVERIFY(makeRule("ff", Json{{"labelInput", "extra-inputs"}})->prepare(*net, setupFor(10)).ok());
  }
};

QTEST_GUILESS_MAIN(ForwardForwardTest)
#include "tst_forward_forward.moc"

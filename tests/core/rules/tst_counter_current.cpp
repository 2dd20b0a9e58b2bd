// Counter-Current Learning on a tiny 6-5-4-3 network: the feedback net's shapes, every loss and every update
// against a double-precision reference (each weight learns from its own pair's loss only: finite differences of
// the losses it must not see are non-zero, so the check has teeth), per-net clipping, the best-epoch checkpoint,
// and the graphs it refuses.
#include "core/rules/CounterCurrent.h"
#include "tests/core/rules/RuleTestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

constexpr int kClasses = 3;
const std::vector<int> kLabels{0, 2, 1, 2, 0};

Graph tinyGraph(bool bias = false, const char* activation = "ELU") {
  return chainGraph(Shape{6}, {{"Dense", Json{{"units", 5}, {"bias", bias}}},
                               {activation},
                               {"Dense", Json{{"units", 4}, {"bias", bias}}},
                               {activation},
                               {"Dense", Json{{"units", kClasses}, {"bias", bias}}}});
}

// The reference: every pair loss l_0..l_2 and the cross-entropy, from the current weights.
struct Reference {
  std::vector<double> pair;
  double crossEntropy = 0.0;
};

Reference reference(Network& net, CounterCurrent& rule, const MatrixD& x) {
  const MatrixD w1 = toMatrix(weightOf(net, "n1")), w2 = toMatrix(weightOf(net, "n3")), w3 = toMatrix(weightOf(net, "n5"));
  const MatrixD b1 = toMatrix(rule.feedbackWeight(1)), b2 = toMatrix(rule.feedbackWeight(2)),
                b3 = toMatrix(rule.feedbackWeight(3));
  const MatrixD a1 = elu(x * w1.transpose()), a2 = elu(a1 * w2.transpose()), logits = a2 * w3.transpose();
  const MatrixD c2 = elu(MatrixD::Identity(kClasses, kClasses) * b3.transpose()), c1 = elu(c2 * b2.transpose()),
                c0 = c1 * b1.transpose();
  const MatrixD y = oneHot(kLabels, kClasses);
  Reference r;
  const MatrixD* a[] = {&x, &a1, &a2};
  const MatrixD* c[] = {&c0, &c1, &c2};
  for (int l = 0; l < 3; ++l) {
    const MatrixD s = *a[l] * c[l]->transpose() - y;
    r.pair.push_back(0.5 * (256.0 / static_cast<double>(a[l]->cols())) * s.squaredNorm() / static_cast<double>(s.size()));
  }
  r.crossEntropy = crossEntropy(logits, kLabels);
  return r;
}

}  // namespace

class CounterCurrentTest : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend{1};
  Tensor m_inputs = randomTensor(Shape{5, 6}, 11);

  struct Fixture {
    std::unique_ptr<Network> net;
    std::unique_ptr<TrainingRule> rule;
    CounterCurrent* ccl = nullptr;
  };
  Fixture prepared(double clipNorm = 0.0) {
    Fixture f;
    f.net = compileNetwork(tinyGraph(), m_backend, 5);
    f.rule = makeRule("ccl", Json{{"clipNorm", clipNorm}});
    f.ccl = dynamic_cast<CounterCurrent*>(f.rule.get());
    const Status status = f.rule->prepare(*f.net, setupFor(kClasses));
    if (!status) qFatal("%s", status.message().c_str());
    return f;
  }

 private Q_SLOTS:
  void feedbackNetMirrorsTheForwardNet() {
    Fixture f = prepared();
    const auto tensors = f.rule->ruleTensors();
    QCOMPARE(tensors.size(), std::size_t{3});
    const std::pair<const char*, Shape> expected[] = {
        {"ccl.feedback1", Shape{6, 5}}, {"ccl.feedback2", Shape{5, 4}}, {"ccl.feedback3", Shape{4, kClasses}}};
    for (std::size_t i = 0; i < 3; ++i) {
      QCOMPARE(tensors[i].name, std::string(expected[i].first));
      QCOMPARE(tensors[i].tensor.shape(), expected[i].second);
    }
    auto optimizer = sgd(m_backend);
    QVERIFY(f.rule->step(*f.net, makeBatch(m_inputs, kLabels), *optimizer).ok());
    // c_0:[C,6], c_1:[C,5], c_2:[C,4]: one feedback signal per class at every level.
    QCOMPARE(f.ccl->signal(0).shape(), (Shape{kClasses, 6}));
    QCOMPARE(f.ccl->signal(1).shape(), (Shape{kClasses, 5}));
    QCOMPARE(f.ccl->signal(2).shape(), (Shape{kClasses, 4}));
  }

  void lossesAndUpdatesMatchTheReference() {
    Fixture f = prepared();
    const MatrixD x = toMatrix(m_inputs);
    const Reference before = reference(*f.net, *f.ccl, x);
    const TensorView w1 = weightOf(*f.net, "n1"), w2 = weightOf(*f.net, "n3"), w3 = weightOf(*f.net, "n5");
    const TensorView b1 = f.ccl->feedbackWeight(1), b2 = f.ccl->feedbackWeight(2), b3 = f.ccl->feedbackWeight(3);
    const TensorView all[] = {w1, w2, w3, b1, b2, b3};
    std::vector<std::vector<float>> start;
    for (const auto& v : all) start.push_back(copyOf(v));

    auto optimizer = sgd(m_backend);
    auto stats = f.rule->step(*f.net, makeBatch(m_inputs, kLabels), *optimizer);
    QVERIFY2(stats.ok(), stats.ok() ? "" : stats.message().c_str());
    QVERIFY(std::abs(stats->loss - (before.pair[0] + before.pair[1] + before.pair[2] + before.crossEntropy)) < 1e-5);
    for (int l = 0; l < 3; ++l) {
      const Metric* m = findMetric(stats->metrics, "ccl_alignment_loss_layer" + std::to_string(l));
      QVERIFY(m);
      QVERIFY2(std::abs(m->value - before.pair[static_cast<std::size_t>(l)]) < 1e-6, qPrintable(QString::number(m->value)));
    }
    std::vector<std::vector<double>> applied;
    for (std::size_t i = 0; i < 6; ++i) applied.push_back(appliedGradient(start[i], all[i].values()));
    for (std::size_t i = 0; i < 6; ++i) restore(all[i], start[i]);

    auto pair = [&](int l) { return [&, l] { return reference(*f.net, *f.ccl, x).pair[static_cast<std::size_t>(l)]; }; };
    auto ce = [&] { return reference(*f.net, *f.ccl, x).crossEntropy; };
    // (tensor, the loss it learns from, a loss it depends on but must not learn from)
    const struct {
      int tensor;
      std::function<double()> own, detached;
      const char* what;
    } cases[] = {{0, pair(1), pair(2), "W1 from l_1 (not l_2)"},  {1, pair(2), ce, "W2 from l_2 (not the CE)"},
                 {2, ce, {}, "W3 from the CE"},                     {3, pair(0), {}, "B1 from l_0"},
                 {4, pair(1), pair(0), "B2 from l_1 (not l_0)"},     {5, pair(2), pair(1), "B3 from l_2 (not l_1)"}};
    for (const auto& c : cases) {
      const auto values = all[c.tensor].mutableValues();
      const auto numeric = numericGradient(values, c.own);
      const double error = relativeError(applied[static_cast<std::size_t>(c.tensor)], numeric);
      QVERIFY2(error < 1e-2, qPrintable(QString("%1: relative error %2").arg(c.what).arg(error)));
      if (c.detached) {
        const auto leak = numericGradient(values, c.detached);
        QVERIFY2(norm(leak) > 1e-2 * norm(numeric), c.what);  // the detached loss does depend on it
      }
    }
  }

  void eachNetIsClippedSeparately() {
    Fixture f = prepared(1e-3);
    // The feedback net's tensors share one flat buffer: the whole of it is the feedback net.
    const TensorView feedbackNet(*f.rule->ruleTensors()[0].tensor.tensor());
    const std::vector<float> weights = copyOf(f.net->weights());
    const std::vector<float> feedback = copyOf(feedbackNet);
    auto optimizer = sgd(m_backend);
    auto stats = f.rule->step(*f.net, makeBatch(m_inputs, kLabels), *optimizer);
    QVERIFY(stats.ok());
    QVERIFY(findMetric(stats->metrics, "ccl_forward_grad_norm")->value > 1e-3);
    QVERIFY(findMetric(stats->metrics, "ccl_feedback_grad_norm")->value > 1e-3);
    const double forwardStep = norm(appliedGradient(weights, f.net->weights().values()));
    const double feedbackStep = norm(appliedGradient(feedback, feedbackNet.values()));
    QVERIFY2(std::abs(forwardStep - 1e-3) < 1e-6, qPrintable(QString::number(forwardStep)));
    QVERIFY2(std::abs(feedbackStep - 1e-3) < 1e-6, qPrintable(QString::number(feedbackStep)));
  }

  void keepsTheBestValidationEpoch() {
    Fixture f = prepared();
    auto optimizer = sgd(m_backend, 0.1);
    const Batch batch = makeBatch(m_inputs, kLabels);
    QVERIFY(f.rule->step(*f.net, batch, *optimizer).ok());
    const std::vector<float> best = copyOf(f.net->weights());
    EvalStats good{1.0, 3, 5}, worse{4.0, 1, 5};
    f.rule->endEpoch(*f.net, &good);
    QVERIFY(f.rule->step(*f.net, batch, *optimizer).ok());
    f.rule->endEpoch(*f.net, &worse);
    QVERIFY(copyOf(f.net->weights()) != best);
    f.rule->finish(*f.net);
    QCOMPARE(copyOf(f.net->weights()), best);
    QCOMPARE(f.ccl->bestEpoch(), 1);
  }

  void refusesGraphsItCannotTrain() {
    auto check = [&](const Graph& graph, int classes, std::initializer_list<const char*> parts) {
      auto net = compileNetwork(graph, m_backend, 1);
      auto rule = makeRule("ccl");
      const Status status = rule->prepare(*net, setupFor(classes));
      QVERIFY2(!status.ok(), "the rule accepted the graph");
      for (const char* part : parts) QVERIFY2(status.message().find(part) != std::string::npos, status.message().c_str());
    };
    check(tinyGraph(true), kClasses, {"without bias", "Dense 'n1'"});
    check(tinyGraph(false), 4, {"has 3 units but the data has 4 classes"});
    check(chainGraph(Shape{6}, {{"Dense", Json{{"units", 5}, {"bias", false}}}, {"ELU"},
                                {"Dense", Json{{"units", 3}, {"bias", false}}}, {"ELU"}}),
          kClasses, {"remove ELU after Dense 'n3'"});
    check(chainGraph(Shape{6}, {{"Dense", Json{{"units", 5}, {"bias", false}}},
                                {"Dense", Json{{"units", 3}, {"bias", false}}}}),
          kClasses, {"needs an activation", "Dense 'n1' has none"});
    check(chainGraph(Shape{6}, {{"Dense", Json{{"units", 5}, {"bias", false}}}, {"LayerNorm"}, {"ELU"},
                                {"Dense", Json{{"units", 3}, {"bias", false}}}}),
          kClasses, {"cannot train LayerNorm 'n2'"});
    check(chainGraph(Shape{6}, {{"Dense", Json{{"units", 3}, {"bias", false}}}}, "mse"), kClasses, {"cross-entropy"});
  }
};

QTEST_GUILESS_MAIN(CounterCurrentTest)
#include "tst_counter_current.moc"

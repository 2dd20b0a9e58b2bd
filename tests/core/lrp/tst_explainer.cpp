// The Explainer over whole networks: conservation (exact for LRP-0 without biases, for every layer kind), LRP-eps
// with a tiny epsilon equal to gradient x input, the class choice, and layers or rules it must refuse by name.
#include <QtTest>

#include <cmath>

#include "core/layers/Dense.h"
#include "core/lrp/Explainer.h"
#include "core/lrp/LinearStage.h"
#include "core/lrp/LrpRuleRegistry.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

// A composite giving every linear layer the same rule.
Composite uniform(const Json& rule) {
  Composite c = *Composite::preset("lrp-0");
  c.first = c.lower = c.upper = c.top = rule;
  if (rule == Json("lrp-0")) c.avgPool = rule;
  return c;
}

std::unique_ptr<Network> compile(const Graph& graph, Backend& backend, std::uint64_t seed = 3) {
  auto net = Network::compile(graph, backend);
  if (!net) qFatal("%s", net.message().c_str());
  (*net)->initializeWeights(seed);
  return std::move(*net);
}

std::unique_ptr<Explainer> explainer(Network& net, const Composite& composite, ExplainerOptions options = {}) {
  auto e = Explainer::create(net, composite, ExplanationTarget::logits(), std::move(options));
  if (!e) qFatal("%s", e.message().c_str());
  return std::move(*e);
}

double maxAbs(std::span<const float> values) {
  double m = 0.0;
  for (float v : values) m = std::max(m, static_cast<double>(std::abs(v)));
  return m;
}

}  // namespace

class ExplainerTest : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend{1};

 private Q_SLOTS:
  void conservationIsExactWithoutBiases_data();
  void conservationIsExactWithoutBiases();
  void epsilonWithTinyEpsilonIsGradientTimesInput();
  void classChoice();
  void skippedSignSplitGivesTheFullRule();
  void refusals_data();
  void refusals();
};

void ExplainerTest::conservationIsExactWithoutBiases_data() {
  QTest::addColumn<QString>("layers");  // JSON list of [kind, params]
  QTest::addColumn<QString>("rule");
  QTest::addColumn<double>("tolerance");
  const QString mlp = R"([["Dense", {"units": 12, "bias": false}], ["ReLU", {}], ["Dense", {"units": 9, "bias": false}],
                          ["Tanh", {}], ["Dense", {"units": 4, "bias": false}]])";
  const QString structured = R"([["LowRank", {"units": 12, "rank": 3, "bias": false}], ["ELU", {}],
                                 ["BlockDiagonal", {"units": 8, "blocks": 4, "bias": false}], ["ReLU", {}],
                                 ["Dropout", {"rate": 0.5}], ["Dense", {"units": 4, "bias": false}]])";
  const QString image = R"([["Conv2d", {"channels": 3, "kernel": 3, "padding": 1, "bias": false}], ["ReLU", {}],
                            ["MaxPool2d", {"kernel": 2, "stride": 2}], ["Conv2d", {"channels": 2, "kernel": 2, "bias": false}],
                            ["AvgPool2d", {"kernel": 2, "stride": 1}], ["Flatten", {}], ["Dense", {"units": 4, "bias": false}]])";
  // LRP-0 is exact up to float rounding; the other rules add a 1e-6 stabiliser to every denominator. alpha-beta
  // and z+ are left out: they conserve only where a unit has contributions of both signs (alpha-beta) or a positive
  // one (z+) - true of ReLU units that fire, not of Tanh or ELU units - and tst_lrp_rules checks their closed form.
  for (const auto& [name, layers] : {std::pair{"mlp", mlp}, {"structured", structured}, {"image", image}}) {
    QTest::newRow((std::string(name) + " lrp-0").c_str()) << layers << R"("lrp-0")" << 1e-5;
    QTest::newRow((std::string(name) + " gamma").c_str()) << layers << R"({"rule": "gamma", "gamma": 0.5})" << 1e-3;
    QTest::newRow((std::string(name) + " w-square").c_str()) << layers << R"("w-square")" << 1e-3;
    QTest::newRow((std::string(name) + " flat").c_str()) << layers << R"("flat")" << 1e-3;
  }
}

void ExplainerTest::conservationIsExactWithoutBiases() {
  QFETCH(QString, layers);
  QFETCH(QString, rule);
  QFETCH(double, tolerance);
  std::vector<LayerSpec> specs;
  for (const auto& layer : Json::parse(layers.toStdString())) specs.push_back({layer[0], layer[1]});
  const Shape input = specs.front().kind == "Conv2d" ? Shape{2, 6, 6} : Shape{16};
  auto net = compile(chainGraph(input, specs), m_backend);
  Composite composite = uniform(Json::parse(rule.toStdString()));
  composite.maxPool = "winner-takes-all";
  auto e = explainer(*net, composite);
  const Tensor x = randomTensor(input.withBatch(5), 9);
  auto explanation = e->explain(x, ClassChoice::given({0, 1, 2, 3, 1}));
  QVERIFY2(explanation.ok(), explanation.ok() ? "" : explanation.message().c_str());
  QCOMPARE(explanation->relevance.shape(), x.shape());
  for (std::int64_t s = 0; s < 5; ++s) {
    const double f = explanation->scores[static_cast<std::size_t>(s)];
    const double total = explanation->relevanceSums[static_cast<std::size_t>(s)];
    QVERIFY2(std::abs(total - f) <= tolerance * std::max(1.0, std::abs(f)),
             qPrintable(QString("sample %1: sum of relevance %2, f_c(x) %3").arg(s).arg(total).arg(f)));
  }
  QVERIFY(explanation->medianConservationError() <= tolerance * 10);
  QVERIFY(maxAbs(explanation->relevance.values()) > 0.0);

  // Proportional max pooling conserves too, for rules that read the activations: w^2 and flat also send relevance
  // to units that are 0, and a window of zeros has no proportions to share it by.
  const bool readsActivations = !rule.contains("w-square") && !rule.contains("flat");
  if (input.rank() == 3 && readsActivations) {
    composite.maxPool = "proportional";
    auto proportional = explainer(*net, composite)->explain(x, ClassChoice::given({2}));
    QVERIFY(proportional.ok());
    for (std::int64_t s = 0; s < 5; ++s)
      QVERIFY(std::abs(proportional->relevanceSums[static_cast<std::size_t>(s)] - proportional->scores[static_cast<std::size_t>(s)]) <=
              tolerance * std::max(1.0f, std::abs(proportional->scores[static_cast<std::size_t>(s)])));
  }
}

void ExplainerTest::epsilonWithTinyEpsilonIsGradientTimesInput() {
  auto net = compile(chainGraph(Shape{1, 6, 6},
                                {{"Flatten"}, {"Dense", {{"units", 20}, {"bias", false}}}, {"ReLU"},
                                 {"Dense", {{"units", 10}, {"bias", false}}}, {"ReLU"},
                                 {"Dense", {{"units", 5}, {"bias", false}}}}),
                     m_backend);
  auto e = explainer(*net, uniform({{"rule", "epsilon"}, {"epsilon", 1e-9}}));
  const Tensor x = randomTensor(Shape{4, 1, 6, 6}, 21);
  const std::vector<int> classes{0, 3, 4, 1};
  auto explanation = e->explain(x, ClassChoice::given(classes));
  QVERIFY(explanation.ok());

  // gradient of f_c (R starts at f_c(x) onehot(c): LRP-0 over a bias-free ReLU network is x * df_c/dx).
  Tensor gradLogits(Shape{4, 5}, 0.0f);
  for (std::size_t s = 0; s < classes.size(); ++s) gradLogits.mutableData()[s * 5 + static_cast<std::size_t>(classes[s])] = 1.0f;
  net->forward(x, false);
  net->zeroGradients();
  net->backward(gradLogits, true);
  const Tensor& gradient = net->inputGradient();
  const double scale = maxAbs(explanation->relevance.values());
  QVERIFY(scale > 0.0);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    const double expected = static_cast<double>(x.at(i)) * gradient.at(i);
    QVERIFY2(std::abs(explanation->relevance.at(i) - expected) <= 1e-5 * scale,
             qPrintable(QString("feature %1: LRP %2, gradient x input %3").arg(i).arg(explanation->relevance.at(i)).arg(expected)));
  }
}

void ExplainerTest::classChoice() {
  auto net = compile(chainGraph(Shape{8}, {{"Dense", {{"units", 6}}}, {"ReLU"}, {"Dense", {{"units", 3}}}, {"Softmax"}}),
                     m_backend);
  auto e = explainer(*net, *Composite::preset("epsilon-plus"));
  const Tensor x = randomTensor(Shape{6, 8}, 4);
  auto predicted = e->explain(x);
  QVERIFY(predicted.ok());
  // The Softmax is skipped: the explained score is the logit before it, and the prediction its argmax.
  const Tensor& probabilities = net->forward(x, false);  // the network's own output, after the Softmax
  auto scores = e->classScores(x);
  QVERIFY(scores.ok());
  for (std::int64_t s = 0; s < 6; ++s) {
    const float* row = scores->data() + s * 3;
    const int best = static_cast<int>(std::max_element(row, row + 3) - row);
    QCOMPARE(predicted->classes[static_cast<std::size_t>(s)], best);
    QCOMPARE(predicted->scores[static_cast<std::size_t>(s)], row[best]);
    const float* p = probabilities.data() + s * 3;
    QCOMPARE(static_cast<int>(std::max_element(p, p + 3) - p), best);
  }
  QCOMPARE(predicted->target, ExplanationTarget::logits().description);
  auto wrong = e->explain(x, ClassChoice::given({3}));
  QVERIFY(!wrong.ok());
  QVERIFY2(wrong.message().find("class 3 is out of range") != std::string::npos, wrong.message().c_str());
  auto single = e->explain(x, ClassChoice::given({2}));
  QVERIFY(single.ok());
  QCOMPARE(single->classes, std::vector<int>(6, 2));
}

void ExplainerTest::refusals_data() {
  QTest::addColumn<QString>("layers");
  QTest::addColumn<QString>("overrides");
  QTest::addColumn<QString>("composite");
  QTest::addColumn<QString>("message");
  QTest::newRow("softmax inside") << R"([["Dense", {"units": 4}], ["Softmax", {}], ["Dense", {"units": 3}]])" << "{}"
                                  << "epsilon" << "Softmax 'n2': LRP explains the scores before a Softmax";
  QTest::newRow("layer norm after an activation")
      << R"([["Dense", {"units": 4}], ["ReLU", {}], ["LayerNorm", {}], ["Dense", {"units": 3}]])" << "{}" << "epsilon"
      << "LayerNorm 'n3' follows ReLU 'n2': LRP merges a LayerNorm's centring into a Dense or LowRank layer";
  QTest::newRow("layer norm after a block-diagonal layer")
      << R"([["BlockDiagonal", {"units": 4, "blocks": 2}], ["LayerNorm", {}], ["Dense", {"units": 3}]])" << "{}"
      << "epsilon" << "LayerNorm 'n2' follows BlockDiagonal 'n1'";
  QTest::newRow("gamma on an activation") << R"([["Dense", {"units": 4}], ["ReLU", {}], ["Dense", {"units": 3}]])"
                                          << R"({"n2": "gamma"})" << "epsilon"
                                          << "ReLU 'n2': 'gamma' is a rule for linear layers";
  QTest::newRow("pass on a dense layer") << R"([["Dense", {"units": 4}], ["ReLU", {}], ["Dense", {"units": 3}]])"
                                         << R"({"n1": "pass"})" << "epsilon"
                                         << "Dense 'n1': 'pass' is a rule for element-wise layers";
  QTest::newRow("z-box in a middle layer with data bounds")
      << R"([["Dense", {"units": 4}], ["ReLU", {}], ["Dense", {"units": 3}]])" << R"({"n3": "z-box"})" << "epsilon"
      << "Dense 'n3': z-box takes its bounds from the data";
  QTest::newRow("z-box without the data's range") << R"([["Dense", {"units": 4}], ["ReLU", {}], ["Dense", {"units": 3}]])"
                                                  << "{}" << "epsilon-gamma-box"
                                                  << "Dense 'n1': z-box needs the input's range";
  QTest::newRow("unknown rule") << R"([["Dense", {"units": 3}]])" << R"({"n1": "sigma"})" << "epsilon"
                                << "unknown LRP rule 'sigma'";
}

void ExplainerTest::refusals() {
  QFETCH(QString, layers);
  QFETCH(QString, overrides);
  QFETCH(QString, composite);
  QFETCH(QString, message);
  std::vector<LayerSpec> specs;
  for (const auto& layer : Json::parse(layers.toStdString())) specs.push_back({layer[0], layer[1]});
  auto net = compile(chainGraph(Shape{8}, specs), m_backend);
  auto c = Composite::fromSettings(composite.toStdString(), Json::parse(overrides.toStdString()));
  QVERIFY(c.ok());
  auto e = Explainer::create(*net, *c, ExplanationTarget::logits());
  QVERIFY(!e.ok());
  QVERIFY2(QString::fromStdString(e.message()).contains(message), e.message().c_str());

  auto unknown = Composite::preset("epsilon-minus");
  QVERIFY(!unknown.ok());
  QVERIFY2(unknown.message().find("epsilon-gamma-box") != std::string::npos, unknown.message().c_str());
}


// Hidden layers read ReLU outputs: the explainer skips alpha-beta's negative-input passes there. The result must
// equal the full four-pass rule run stage by stage by hand (the input layer sees inputs of both signs).
void ExplainerTest::skippedSignSplitGivesTheFullRule() {
  auto net = compile(chainGraph(Shape{7},
                                {{"Dense", {{"units", 9}}}, {"ReLU"}, {"Dense", {{"units", 8}}}, {"ReLU"},
                                 {"Dense", {{"units", 4}}}}),
                     m_backend);
  auto e = explainer(*net, *Composite::preset("epsilon-alpha2-beta1"));
  const Tensor x = randomTensor(Shape{5, 7}, 31);
  const std::vector<int> classes{0, 1, 2, 3, 1};
  auto explanation = e->explain(x, ClassChoice::given(classes));
  QVERIFY(explanation.ok());

  net->forward(x, false);
  auto stage = [&](std::size_t layer, const char* spec) {
    auto& dense = static_cast<Dense&>(*net->layer(layer).layer);
    auto rule = createLrpRule(Json::parse(spec), "test");
    if (!rule) qFatal("%s", rule.message().c_str());
    // every pass of the rule: the stage is not told that its input is non-negative
    return LinearStage("by hand", layer, std::make_unique<DenseMap>(dense.weight(), dense.bias()), std::move(*rule));
  };
  const char* alphaBeta = R"({"rule": "alpha-beta", "alpha": 2, "beta": 1})";
  const Tensor& logits = net->output();
  Tensor r(Shape{5, 4}, 0.0f), r2, r1, r0;
  for (std::size_t s = 0; s < classes.size(); ++s) {
    const std::size_t at = s * 4 + static_cast<std::size_t>(classes[s]);
    r.mutableData()[at] = logits.at(static_cast<std::int64_t>(at));
  }
  stage(4, R"({"rule": "epsilon", "epsilon": 1e-6})").relevance(m_backend, net->layerInput(4), nullptr, r, r2);
  stage(2, alphaBeta).relevance(m_backend, net->layerInput(2), nullptr, r2, r1);
  stage(0, alphaBeta).relevance(m_backend, x, nullptr, r1, r0);
  const double scale = maxAbs(r0.values());
  QVERIFY(scale > 0.0);
  for (std::int64_t i = 0; i < r0.size(); ++i)
    QVERIFY2(std::abs(explanation->relevance.at(i) - r0.at(i)) <= 1e-5 * scale,
             qPrintable(QString("feature %1: %2 vs %3").arg(i).arg(explanation->relevance.at(i)).arg(r0.at(i))));
}

QTEST_APPLESS_MAIN(ExplainerTest)
#include "tst_explainer.moc"

// LRP on networks shaped by every training rule: the explanation target a rule hands out (TrainingRule::
// explanationTarget) must reproduce the rule's own prediction scores - backprop's and CCL's logits, Mono-Forward's
// projected scores of the predicting layer, Forward-Forward's goodness of every label - and LRP-0 over bias-free
// layers must conserve the explained score exactly, whichever quantity it is.
#include <QtTest>

#include <cmath>

#include "core/lrp/Explainer.h"
#include "core/rules/RuleRegistry.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

constexpr int kClasses = 3;
constexpr std::int64_t kSamples = 7;

Graph graphFor(const std::string& rule) {
  // 12 inputs (the first 3 carry Forward-Forward's label); local rules read Dense + activation blocks.
  std::vector<LayerSpec> layers{{"Dense", Json{{"units", 8}, {"bias", false}}}, {"ReLU"},
                                {"Dense", Json{{"units", 6}, {"bias", false}}}, {"ReLU"}};
  if (rule == "backprop" || rule == "ccl") layers.push_back({"Dense", Json{{"units", kClasses}, {"bias", false}}});
  return chainGraph(Shape{12}, layers);
}

}  // namespace

class RuleTargets : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend{1};

 private Q_SLOTS:
  void reproducesThePredictionAndConserves_data();
  void reproducesThePredictionAndConserves();
  void forwardForwardWithExtraLabelInputsIsRefused();
};

void RuleTargets::reproducesThePredictionAndConserves_data() {
  QTest::addColumn<QString>("rule");
  QTest::addColumn<QString>("params");
  QTest::addColumn<QString>("targetWords");  // part of the target's description
  QTest::newRow("backprop") << "backprop" << "{}" << "logit";
  QTest::newRow("counter-current") << "ccl" << "{}" << "logit";
  QTest::newRow("mono-forward") << "mf" << "{}" << "Mono-Forward";
  QTest::newRow("forward-forward, sum goodness") << "ff" << "{}" << "goodness";
  QTest::newRow("forward-forward, mean goodness, first layer skipped, label value 2")
      << "ff" << R"({"goodness": "mean", "skipFirstLayer": true, "labelValue": 2.0})" << "after the first";
}

void RuleTargets::reproducesThePredictionAndConserves() {
  QFETCH(QString, rule);
  QFETCH(QString, params);
  QFETCH(QString, targetWords);
  auto compiled = Network::compile(graphFor(rule.toStdString()), m_backend);
  QVERIFY2(compiled.ok(), compiled.ok() ? "" : compiled.message().c_str());
  Network& net = **compiled;
  net.initializeWeights(5);
  auto trainingRule = createRule(rule.toStdString(), Json::parse(params.toStdString()));
  QVERIFY2(trainingRule.ok(), trainingRule.ok() ? "" : trainingRule.message().c_str());
  RuleSetup setup;
  setup.classCount = kClasses;
  setup.seed = 3;
  QVERIFY((*trainingRule)->prepare(net, setup).ok());

  const ExplanationTarget target = (*trainingRule)->explanationTarget(net);
  QVERIFY2(QString::fromStdString(target.description).contains(targetWords), target.description.c_str());
  auto composite = Composite::preset("lrp-0");
  QVERIFY(composite.ok());
  auto explainer = Explainer::create(net, *composite, target);
  QVERIFY2(explainer.ok(), explainer.ok() ? "" : explainer.message().c_str());

  const Tensor inputs = randomTensor(Shape{kSamples, 12}, 9);
  auto scores = (*explainer)->classScores(inputs);
  QVERIFY(scores.ok());
  const Tensor& predicted = (*trainingRule)->predict(net, inputs);
  QCOMPARE(predicted.shape(), (Shape{kSamples, kClasses}));
  for (std::int64_t i = 0; i < predicted.size(); ++i)
    QVERIFY2(std::abs(scores->at(i) - predicted.at(i)) <= 1e-4f * std::max(1.0f, std::abs(predicted.at(i))),
             qPrintable(QString("score %1: explainer %2, rule %3").arg(i).arg(scores->at(i)).arg(predicted.at(i))));

  auto explanation = (*explainer)->explain(inputs);
  QVERIFY(explanation.ok());
  QCOMPARE(explanation->target, target.description);
  for (std::int64_t s = 0; s < kSamples; ++s) {
    const int c = explanation->classes[static_cast<std::size_t>(s)];
    const float row = predicted.at(s * kClasses + c);
    for (int k = 0; k < kClasses; ++k) QVERIFY(predicted.at(s * kClasses + k) <= row);  // the predicted class
    const double f = explanation->scores[static_cast<std::size_t>(s)];
    QVERIFY(std::abs(f - row) <= 1e-4 * std::max(1.0, std::abs(f)));
    const double sum = explanation->relevanceSums[static_cast<std::size_t>(s)];
    QVERIFY2(std::abs(sum - f) <= 1e-4 * std::max(1.0, std::abs(f)),
             qPrintable(QString("sample %1: relevance sums to %2, the score is %3").arg(s).arg(sum).arg(f)));
  }
}

void RuleTargets::forwardForwardWithExtraLabelInputsIsRefused() {
  auto compiled = Network::compile(graphFor("ff"), m_backend);
  QVERIFY(compiled.ok());
  auto rule = createRule("ff", Json{{"labelInput", "extra-inputs"}});
  QVERIFY(rule.ok());
  RuleSetup setup;
  setup.classCount = kClasses;
  QVERIFY((*rule)->prepare(**compiled, setup).ok());
  auto composite = Composite::preset("epsilon-plus");
  auto explainer = Explainer::create(**compiled, *composite, (*rule)->explanationTarget(**compiled));
  QVERIFY(!explainer.ok());
  QVERIFY2(explainer.message().find("replace-first") != std::string::npos, explainer.message().c_str());
}

QTEST_APPLESS_MAIN(RuleTargets)
#include "tst_rule_targets.moc"

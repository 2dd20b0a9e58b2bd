// What a training rule asks LRP to explain (ExplanationTarget): a projection head read from a hidden layer
// (Mono-Forward's G_L = a_L M_L^T) and Forward-Forward's goodness of a label written into the input, with the
// layer inputs scaled to unit length. Scores are checked against a hand computation from the weights, and
// relevance must sum to the explained score (LRP-0, no biases).
#include <QtTest>

#include <cmath>

#include "core/lrp/Explainer.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

using Matrix = Eigen::MatrixXd;

Matrix weightsOf(const Network& net, const std::string& node) {
  for (const WeightEntry& e : net.weightEntries())
    if (e.node == node && e.name == "weight") return net.weightView(e).matrix().cast<double>();
  qFatal("no weight for %s", node.c_str());
}

Eigen::VectorXd relu(const Eigen::VectorXd& v) { return v.cwiseMax(0.0); }

void verifyConservation(const Explanation& e, double tolerance) {
  for (std::int64_t s = 0; s < e.size(); ++s) {
    const double f = e.scores[static_cast<std::size_t>(s)], sum = e.relevanceSums[static_cast<std::size_t>(s)];
    QVERIFY2(std::abs(sum - f) <= tolerance * std::max(1.0, std::abs(f)),
             qPrintable(QString("sample %1: relevance sums to %2, the score is %3").arg(s).arg(sum).arg(f)));
  }
}

}  // namespace

class ExplanationTargets : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend{1};

 private Q_SLOTS:
  void projectionHead();
  void forwardForwardGoodness();
};

void ExplanationTargets::projectionHead() {
  auto compiled = Network::compile(chainGraph(Shape{10}, {{"Dense", {{"units", 8}, {"bias", false}}}, {"ReLU"},
                                                          {"Dense", {{"units", 6}, {"bias", false}}}, {"ReLU"}}),
                                   m_backend);
  QVERIFY(compiled.ok());
  Network& net = **compiled;
  net.initializeWeights(2);
  const Tensor head = randomTensor(Shape{4, 6}, 3);
  ExplanationTarget target;
  target.kind = ExplanationTarget::Kind::Head;
  target.description = "the last layer's projected score of the class";
  target.headLayer = 3;
  target.head = TensorView(head);
  auto e = Explainer::create(net, *Composite::preset("lrp-0"), target);
  QVERIFY2(e.ok(), e.ok() ? "" : e.message().c_str());
  QCOMPARE((*e)->classCount(), 4);
  const Tensor x = randomTensor(Shape{5, 10}, 4);
  auto explanation = (*e)->explain(x);
  QVERIFY(explanation.ok());
  QCOMPARE(explanation->target, target.description);

  const Matrix w1 = weightsOf(net, "n1"), w2 = weightsOf(net, "n3"), m = head.matrix().cast<double>();
  for (std::int64_t s = 0; s < 5; ++s) {
    const Eigen::VectorXd a = relu(w2 * relu(w1 * x.matrix().row(s).transpose().cast<double>()));
    const Eigen::VectorXd scores = m * a;
    Eigen::Index best = 0;
    scores.maxCoeff(&best);
    QCOMPARE(explanation->classes[static_cast<std::size_t>(s)], static_cast<int>(best));
    QVERIFY(std::abs(explanation->scores[static_cast<std::size_t>(s)] - scores(best)) < 1e-4);
  }
  verifyConservation(*explanation, 1e-4);
  QVERIFY((*e)->describe().front().find("projection head") != std::string::npos);
}

void ExplanationTargets::forwardForwardGoodness() {
  auto compiled = Network::compile(chainGraph(Shape{12}, {{"Dense", {{"units", 8}, {"bias", false}}}, {"ReLU"},
                                                          {"Dense", {{"units", 6}, {"bias", false}}}, {"ReLU"},
                                                          {"Dense", {{"units", 3}}}}),
                                   m_backend);
  QVERIFY(compiled.ok());
  Network& net = **compiled;
  net.initializeWeights(7);
  ExplanationTarget target;
  target.kind = ExplanationTarget::Kind::Goodness;
  target.description = "the goodness of the label written into the input";
  target.goodness = {{1, 1.0f}, {3, 0.5f}};
  target.labelFeatures = 3;
  target.labelOn = 2.0f;
  target.normalizedInputs = {2};
  auto e = Explainer::create(net, *Composite::preset("lrp-0"), target);
  QVERIFY2(e.ok(), e.ok() ? "" : e.message().c_str());
  QCOMPARE((*e)->classCount(), 3);
  const Tensor x = randomTensor(Shape{4, 12}, 5);
  auto scores = (*e)->classScores(x);
  QVERIFY(scores.ok());
  auto explanation = (*e)->explain(x);
  QVERIFY(explanation.ok());

  // By hand: write the label, a1 = relu(W1 x), a3 = relu(W2 a1 / (|a1| + eps)), G = |a1|^2 + 0.5 |a3|^2.
  const Matrix w1 = weightsOf(net, "n1"), w2 = weightsOf(net, "n3");
  for (std::int64_t s = 0; s < 4; ++s) {
    std::vector<double> goodness;
    for (int c = 0; c < 3; ++c) {
      Eigen::VectorXd input = x.matrix().row(s).transpose().cast<double>();
      for (int k = 0; k < 3; ++k) input(k) = k == c ? 2.0 : 0.0;
      const Eigen::VectorXd a1 = relu(w1 * input);
      const Eigen::VectorXd a3 = relu(w2 * (a1 / (a1.norm() + 1e-4)));
      goodness.push_back(a1.squaredNorm() + 0.5 * a3.squaredNorm());
      QVERIFY2(std::abs(scores->at(s * 3 + c) - goodness.back()) < 1e-4 * std::max(1.0, goodness.back()),
               qPrintable(QString("sample %1 label %2: %3 vs %4").arg(s).arg(c).arg(scores->at(s * 3 + c)).arg(goodness.back())));
    }
    const int best = static_cast<int>(std::max_element(goodness.begin(), goodness.end()) - goodness.begin());
    QCOMPARE(explanation->classes[static_cast<std::size_t>(s)], best);
  }
  verifyConservation(*explanation, 1e-4);
  // The label features carry relevance too: they are part of the input the goodness was measured on.
  double labelRelevance = 0.0;
  for (std::int64_t s = 0; s < 4; ++s)
    for (int k = 0; k < 3; ++k) labelRelevance += std::abs(explanation->relevance.at(s * 12 + k));
  QVERIFY(labelRelevance > 0.0);

  target.labelFeatures = 0;
  auto refused = Explainer::create(net, *Composite::preset("lrp-0"), target);
  QVERIFY(!refused.ok());
}

QTEST_APPLESS_MAIN(ExplanationTargets)
#include "tst_explanation_targets.moc"

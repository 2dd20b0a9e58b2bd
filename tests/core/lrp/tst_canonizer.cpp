// The LayerNorm canonizer: merging a LayerNorm's centring into the Dense (or LowRank up factor) before it leaves
// the network's outputs unchanged, and LRP through the canonized pair conserves relevance (LRP-0, no biases,
// beta = 0) and follows weights that change after the explainer was built.
#include <QtTest>

#include <cmath>

#include "core/layers/Dense.h"
#include "core/layers/LayerNorm.h"
#include "core/layers/LowRank.h"
#include "core/lrp/Explainer.h"
#include "core/lrp/LayerNormCanonizer.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

std::unique_ptr<Network> compile(const Graph& graph, Backend& backend) {
  auto net = Network::compile(graph, backend);
  if (!net) qFatal("%s", net.message().c_str());
  (*net)->initializeWeights(5);
  // LayerNorm starts at gamma 1, beta 0: move them so the test sees a general affine map.
  for (const WeightEntry& entry : (*net)->weightEntries())
    if (entry.name == "gamma" || entry.name == "beta") {
      Rng rng(entry.name == "gamma" ? 1 : 2);
      for (float& v : (*net)->weightView(entry).mutableValues()) v += rng.uniform(-0.5f, 0.5f);
    }
  return std::move(*net);
}

// The canonized pair: the merged map, then the same LayerNorm on its zero-mean output.
Tensor canonizedOutput(Network& net, LinearMap& merged, Backend& backend, const Tensor& x) {
  merged.refresh(backend);
  Tensor u, y(Shape{x.rows(), net.layer(1).layer->outputShape().elementCount()});
  merged.forward(backend, merged.weights(), merged.bias(), x, u);
  for (std::int64_t s = 0; s < u.rows(); ++s) {  // centred: every row of u has mean 0
    double mean = 0.0;
    for (std::int64_t k = 0; k < u.cols(); ++k) mean += u.at(s * u.cols() + k);
    if (std::abs(mean / static_cast<double>(u.cols())) > 1e-5) qFatal("row %lld of u has mean %g", static_cast<long long>(s), mean);
  }
  PassContext ctx = net.passContext(false);
  net.layer(1).layer->forward(ctx, u, y);
  return y;
}

double maxDifference(const Tensor& a, const Tensor& b) {
  double worst = 0.0;
  for (std::int64_t i = 0; i < a.size(); ++i) worst = std::max(worst, static_cast<double>(std::abs(a.at(i) - b.at(i))));
  return worst;
}

}  // namespace

class CanonizerTest : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend{1};

 private Q_SLOTS:
  void mergingLeavesOutputsUnchanged();
  void mergingIntoLowRankLeavesOutputsUnchanged();
  void relevanceThroughTheCanonizedPairIsConserved();
};

void CanonizerTest::mergingLeavesOutputsUnchanged() {
  auto net = compile(chainGraph(Shape{10}, {{"Dense", {{"units", 7}}}, {"LayerNorm"}}), m_backend);
  const Tensor x = randomTensor(Shape{6, 10}, 3, 2.0f);
  const Tensor original = net->forward(x, false);
  auto& dense = static_cast<Dense&>(*net->layer(0).layer);
  LayerNormCanonizer merged(dense.weight(), dense.bias());
  const Tensor y = canonizedOutput(*net, merged, m_backend, x);
  QVERIFY2(maxDifference(original, y) < 1e-5, qPrintable(QString::number(maxDifference(original, y))));
  QVERIFY(maxDifference(original, Tensor(original.shape())) > 0.1);  // the outputs are not trivially zero
}

void CanonizerTest::mergingIntoLowRankLeavesOutputsUnchanged() {
  auto net = compile(chainGraph(Shape{10}, {{"LowRank", {{"units", 8}, {"rank", 3}}}, {"LayerNorm"}}), m_backend);
  const Tensor x = randomTensor(Shape{4, 10}, 8);
  const Tensor original = net->forward(x, false);
  auto& lowRank = static_cast<LowRank&>(*net->layer(0).layer);
  const Tensor hidden = lowRank.hidden();
  LayerNormCanonizer merged(lowRank.up(), lowRank.bias());  // the up factor reads the hidden code
  const Tensor y = canonizedOutput(*net, merged, m_backend, hidden);
  QVERIFY2(maxDifference(original, y) < 1e-5, qPrintable(QString::number(maxDifference(original, y))));
}

void CanonizerTest::relevanceThroughTheCanonizedPairIsConserved() {
  auto net = compile(chainGraph(Shape{12}, {{"Dense", {{"units", 9}, {"bias", false}}},
                                            {"LayerNorm", {{"affine", false}}},
                                            {"ReLU"},
                                            {"Dense", {{"units", 3}, {"bias", false}}}}),
                     m_backend);
  Composite lrp0 = *Composite::preset("lrp-0");
  auto e = Explainer::create(*net, lrp0, ExplanationTarget::logits());
  QVERIFY2(e.ok(), e.ok() ? "" : e.message().c_str());
  const auto stages = (*e)->describe();
  QVERIFY(std::any_of(stages.begin(), stages.end(), [](const std::string& s) {
    return s.find("LayerNorm 'n2': canonized (centring merged into Dense 'n1')") != std::string::npos;
  }));
  const Tensor x = randomTensor(Shape{5, 12}, 4);
  for (int round = 0; round < 2; ++round) {
    auto explanation = (*e)->explain(x, ClassChoice::given({1}));
    QVERIFY(explanation.ok());
    for (std::int64_t s = 0; s < 5; ++s) {
      const double f = explanation->scores[static_cast<std::size_t>(s)];
      const double sum = explanation->relevanceSums[static_cast<std::size_t>(s)];
      QVERIFY2(std::abs(sum - f) < 1e-4 * std::max(1.0, std::abs(f)),
               qPrintable(QString("round %1 sample %2: %3 vs %4").arg(round).arg(s).arg(sum).arg(f)));
    }
    // New weights after the explainer was built: the merged copy follows them.
    net->initializeWeights(77);
  }
}

QTEST_APPLESS_MAIN(CanonizerTest)
#include "tst_canonizer.moc"

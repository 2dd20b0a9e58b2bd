// Every LRP rule over a small dense layer against its closed form (SPECS.md, "Layer-wise Relevance Propagation";
// alpha-beta and z+ split inputs by sign as zennit does), computed here in double from the definitions. Inputs
// have both signs so that the sign-split passes are exercised; relevance from above is arbitrary.
#include <QtTest>

#include <cmath>
#include <string>

#include "core/lrp/LinearStage.h"
#include "core/lrp/LrpRuleRegistry.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

constexpr std::int64_t kBatch = 3, kIn = 5, kOut = 4;
constexpr double kStab = 1e-6;

double stabilise(double d, double eps) { return d + eps * (d >= 0.0 ? 1.0 : -1.0); }
double pos(double v) { return std::max(v, 0.0); }
double neg(double v) { return std::min(v, 0.0); }

// R_i = sum_j contribution(i, j) / stabilise(sum_i contribution(i, j) + bias_j) * R_j for one sample.
template <typename Contribution>
std::vector<double> redistribute(const Contribution& contribution, const std::vector<double>& bias, double eps,
                                 const float* rOut) {
  std::vector<double> rIn(kIn, 0.0);
  for (std::int64_t j = 0; j < kOut; ++j) {
    double total = bias[static_cast<std::size_t>(j)];
    for (std::int64_t i = 0; i < kIn; ++i) total += contribution(i, j);
    const double ratio = rOut[j] / stabilise(total, eps);
    for (std::int64_t i = 0; i < kIn; ++i) rIn[static_cast<std::size_t>(i)] += contribution(i, j) * ratio;
  }
  return rIn;
}

}  // namespace

class LrpRules : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void closedForm_data();
  void closedForm();
  void refusesBadSettings();
};

void LrpRules::closedForm_data() {
  QTest::addColumn<QString>("spec");
  QTest::addColumn<bool>("withForwardOutput");  // the engine's shortcut that reuses the forward pass's z
  QTest::addColumn<bool>("afterRelu");  // inputs >= 0 and the stage told so: it skips the negative-input passes
  struct Case {
    const char* name;
    const char* spec;
    bool afterRelu;
  };
  const Case cases[] = {
      {"lrp-0", R"("lrp-0")", false},
      {"epsilon 0.5", R"({"rule": "epsilon", "epsilon": 0.5})", false},
      {"gamma 0.25", R"({"rule": "gamma", "gamma": 0.25})", false},
      {"gamma 2", R"({"rule": "gamma", "gamma": 2})", false},
      {"alpha 2 beta 1", R"({"rule": "alpha-beta", "alpha": 2, "beta": 1})", false},
      {"alpha 3 beta 2", R"({"rule": "alpha-beta", "alpha": 3, "beta": 2})", false},
      {"alpha 1 beta 0", R"({"rule": "alpha-beta", "alpha": 1, "beta": 0})", false},
      {"z-plus", R"("z-plus")", false},
      {"z-box fixed", R"({"rule": "z-box", "bounds": "fixed", "low": -1.5, "high": 2})", false},
      {"z-box per-feature bounds", R"({"rule": "z-box"})", false},
      {"w-square", R"("w-square")", false},
      {"flat", R"("flat")", false},
      {"alpha 2 beta 1 after a ReLU", R"({"rule": "alpha-beta", "alpha": 2, "beta": 1})", true},
      {"z-plus after a ReLU", R"("z-plus")", true},
      {"gamma after a ReLU", R"({"rule": "gamma", "gamma": 0.25})", true},
  };
  // With the forward pass's z the stage takes products from it by linearity (LinearStage::core): z - b for the
  // unchanged pass, L(x; w-) = L(x; w) - L(x; w+), one L(|x|; |w|) for a signed input's pair of passes. Every
  // rule is checked both ways.
  for (const Case& c : cases)
    for (const bool withForwardOutput : {false, true})
      QTest::newRow((std::string(c.name) + (withForwardOutput ? ", z from the forward pass" : "")).c_str())
          << QString(c.spec) << withForwardOutput << c.afterRelu;
}

void LrpRules::closedForm() {
  QFETCH(QString, spec);
  QFETCH(bool, withForwardOutput);
  QFETCH(bool, afterRelu);
  CpuBackend backend(1);
  const Tensor w = randomTensor(Shape{kOut, kIn}, 1, 0.7f);
  const Tensor b = randomTensor(Shape{kOut}, 2, 0.3f);
  Tensor a = randomTensor(Shape{kBatch, kIn}, 3);
  if (afterRelu) backend.activationForward(ActivationKind::ReLU, 0.0f, a, a);
  const Tensor rOut = randomTensor(Shape{kBatch, kOut}, 4);
  InputBounds bounds{randomTensor(Shape{kIn}, 5), Tensor(Shape{kIn})};
  for (std::int64_t i = 0; i < kIn; ++i)  // high = low + something positive, per feature
    bounds.high.mutableData()[i] = bounds.low.at(i) + 1.0f + 0.5f * static_cast<float>(i);

  auto rule = createLrpRule(Json::parse(spec.toStdString()), "test");
  QVERIFY2(rule.ok(), rule.ok() ? "" : rule.message().c_str());
  const std::string name = (*rule)->name();
  const Json settings = (*rule)->spec();
  LinearStage stage("dense", 0, std::make_unique<DenseMap>(TensorView(w), TensorView(b)), std::move(*rule), &bounds,
                    afterRelu);

  Tensor z(Shape{kBatch, kOut}), rIn;
  backend.gemm(Transpose::No, Transpose::Yes, 1.0f, a, w, 0.0f, z);
  backend.addRowVector(z, b);
  // Twice: the second call must not reuse anything the first one derived (the weights may have changed between).
  Tensor wrong = randomTensor(Shape{kBatch, kOut}, 9);
  stage.relevance(backend, a, withForwardOutput ? &wrong : nullptr, rOut, rIn);
  stage.relevance(backend, a, withForwardOutput ? &z : nullptr, rOut, rIn);
  QCOMPARE(rIn.shape(), (Shape{kBatch, kIn}));

  const std::vector<double> bias(b.values().begin(), b.values().end());
  const std::vector<double> noBias(kOut, 0.0);
  auto W = [&](std::int64_t i, std::int64_t j) { return static_cast<double>(w.at(j * kIn + i)); };
  for (std::int64_t n = 0; n < kBatch; ++n) {
    auto x = [&](std::int64_t i) { return static_cast<double>(a.at(n * kIn + i)); };
    const float* r = rOut.data() + n * kOut;
    std::vector<double> expected;
    if (name == "lrp-0" || name == "epsilon") {
      const double eps = name == "lrp-0" ? 0.0 : settings.at("epsilon").get<double>();
      expected = redistribute([&](auto i, auto j) { return x(i) * W(i, j); }, bias, eps, r);
    } else if (name == "gamma") {
      const double g = settings.at("gamma").get<double>();
      std::vector<double> gammaBias(bias);
      for (double& v : gammaBias) v += g * pos(v);
      expected = redistribute([&](auto i, auto j) { return x(i) * (W(i, j) + g * pos(W(i, j))); }, gammaBias, kStab, r);
    } else if (name == "alpha-beta" || name == "z-plus") {
      const double alpha = name == "z-plus" ? 1.0 : settings.at("alpha").get<double>();
      const double beta = name == "z-plus" ? 0.0 : settings.at("beta").get<double>();
      std::vector<double> positiveBias(bias), negativeBias(bias);
      for (double& v : positiveBias) v = pos(v);
      for (double& v : negativeBias) v = neg(v);
      const auto p = redistribute([&](auto i, auto j) { return pos(x(i) * W(i, j)); }, positiveBias, kStab, r);
      const auto q = redistribute([&](auto i, auto j) { return neg(x(i) * W(i, j)); }, negativeBias, kStab, r);
      for (std::int64_t i = 0; i < kIn; ++i)
        expected.push_back(alpha * p[static_cast<std::size_t>(i)] - (beta == 0.0 ? 0.0 : beta * q[static_cast<std::size_t>(i)]));
    } else if (name == "z-box") {
      const bool fixed = settings.at("bounds") == "fixed";
      auto low = [&](auto i) { return fixed ? settings.at("low").get<double>() : static_cast<double>(bounds.low.at(i)); };
      auto high = [&](auto i) { return fixed ? settings.at("high").get<double>() : static_cast<double>(bounds.high.at(i)); };
      expected = redistribute(
          [&](auto i, auto j) { return x(i) * W(i, j) - low(i) * pos(W(i, j)) - high(i) * neg(W(i, j)); }, noBias,
          kStab, r);
    } else if (name == "w-square") {
      expected = redistribute([&](auto i, auto j) { return W(i, j) * W(i, j); }, noBias, kStab, r);
    } else if (name == "flat") {
      double total = 0.0;
      for (std::int64_t j = 0; j < kOut; ++j) total += r[j];
      expected.assign(kIn, total / kIn);  // R_i = sum_j R_j / n_in
    } else {
      QFAIL(("no reference for " + name).c_str());
    }
    for (std::int64_t i = 0; i < kIn; ++i) {
      const double got = rIn.at(n * kIn + i), want = expected[static_cast<std::size_t>(i)];
      QVERIFY2(std::abs(got - want) <= 1e-4 * std::max(1.0, std::abs(want)),
               qPrintable(QString("sample %1 input %2: %3 vs closed form %4").arg(n).arg(i).arg(got).arg(want)));
    }
  }
}

void LrpRules::refusesBadSettings() {
  auto unbalanced = createLrpRule(Json::parse(R"({"rule": "alpha-beta", "alpha": 2, "beta": 0.5})"), "node 'd1'");
  QVERIFY(!unbalanced.ok());
  QVERIFY2(unbalanced.message().find("alpha - beta must be 1") != std::string::npos, unbalanced.message().c_str());
  auto unknown = createLrpRule("sigma", "node 'd1'");
  QVERIFY(!unknown.ok());
  QVERIFY2(unknown.message().find("unknown LRP rule 'sigma'") != std::string::npos, unknown.message().c_str());
  auto extra = createLrpRule(Json::parse(R"({"rule": "epsilon", "gamma": 1})"), "node 'd1'");
  QVERIFY(!extra.ok());
  auto negative = createLrpRule(Json::parse(R"({"rule": "epsilon", "epsilon": -1})"), "node 'd1'");
  QVERIFY(!negative.ok());
}

QTEST_APPLESS_MAIN(LrpRules)
#include "tst_lrp_rules.moc"

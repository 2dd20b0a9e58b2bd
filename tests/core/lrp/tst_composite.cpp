// Composites: the role each layer gets by kind and position (an MLP's feature layers are the dense layers below
// the top; a convolutional network's are its convolutions), the rule every preset gives each role, and per-node
// overrides from the project file winning over the preset - checked on the rules the Explainer actually runs and
// on the relevance they produce (an override to LRP-0 must give what a uniform LRP-0 composite gives).
#include <QtTest>

#include "core/lrp/Explainer.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

using Roles = std::vector<LayerRole>;

std::string ruleOf(const Explainer& e, const std::string& node) {
  for (const std::string& line : e.describe())
    if (line.find("'" + node + "'") != std::string::npos) return line.substr(line.find(": ") + 2);
  return "";
}

}  // namespace

class CompositeTest : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend{1};

 private Q_SLOTS:
  void rolesByKindAndPosition();
  void presetsGiveEachRoleItsRule();
  void overridesWin();
};

void CompositeTest::rolesByKindAndPosition() {
  QCOMPARE(Composite::roles({"Dense", "ReLU", "Dense", "ReLU", "Dense", "Softmax"}),
           (Roles{LayerRole::First, LayerRole::Elementwise, LayerRole::Lower, LayerRole::Elementwise, LayerRole::Top,
                  LayerRole::Unsupported}));
  QCOMPARE(Composite::roles({"Conv2d", "ReLU", "MaxPool2d", "Conv2d", "AvgPool2d", "Flatten", "Dense", "Dense"}),
           (Roles{LayerRole::First, LayerRole::Elementwise, LayerRole::MaxPool, LayerRole::Lower, LayerRole::AvgPool,
                  LayerRole::Elementwise, LayerRole::Upper, LayerRole::Top}));
  QCOMPARE(Composite::roles({"LowRank", "GELU", "BlockDiagonal", "LayerNorm", "Dense", "Head"}),
           (Roles{LayerRole::First, LayerRole::Elementwise, LayerRole::Lower, LayerRole::Elementwise, LayerRole::Lower,
                  LayerRole::Top}));
}

void CompositeTest::presetsGiveEachRoleItsRule() {
  QStringList names;
  for (const CompositeInfo& info : Composite::presets()) names << QString::fromStdString(info.name);
  for (const char* required : {"epsilon-plus", "epsilon-gamma-box", "epsilon-alpha2-beta1"})
    QVERIFY2(names.contains(required), required);
  const Json epsilon = {{"rule", "epsilon"}, {"epsilon", 1e-6}};
  struct Expected {
    const char* preset;
    Json first, lower, top;
  };
  const std::vector<Expected> table{
      {"epsilon-plus", "z-plus", "z-plus", epsilon},
      {"epsilon-gamma-box", {{"rule", "z-box"}, {"bounds", "data"}}, {{"rule", "gamma"}, {"gamma", 0.25}}, epsilon},
      {"epsilon-alpha2-beta1", {{"rule", "alpha-beta"}, {"alpha", 2.0}, {"beta", 1.0}},
       {{"rule", "alpha-beta"}, {"alpha", 2.0}, {"beta", 1.0}}, epsilon},
  };
  for (const Expected& row : table) {
    auto c = Composite::preset(row.preset);
    QVERIFY(c.ok());
    QCOMPARE(c->ruleFor("n1", LayerRole::First), row.first);
    QCOMPARE(c->ruleFor("n3", LayerRole::Lower), row.lower);
    QCOMPARE(c->ruleFor("n5", LayerRole::Top), row.top);
    QCOMPARE(c->ruleFor("n2", LayerRole::Elementwise), Json("pass"));
    QCOMPARE(c->ruleFor("n4", LayerRole::MaxPool), Json("winner-takes-all"));
  }
}

void CompositeTest::overridesWin() {
  auto compiled = Network::compile(chainGraph(Shape{10}, {{"Dense", {{"units", 7}, {"bias", false}}}, {"ReLU"},
                                                          {"Dense", {{"units", 5}, {"bias", false}}}, {"ReLU"},
                                                          {"Dense", {{"units", 3}, {"bias", false}}}}),
                                   m_backend);
  QVERIFY(compiled.ok());
  Network& net = **compiled;
  net.initializeWeights(4);
  // As a project file stores them: a name, or a rule with its settings.
  const Json overrides = Json::parse(R"({"n1": "lrp-0", "n3": "lrp-0", "n5": {"rule": "gamma", "gamma": 0.5}})");
  auto overridden = Composite::fromSettings("epsilon-plus", overrides);
  QVERIFY(overridden.ok());
  auto e = Explainer::create(net, *overridden, ExplanationTarget::logits());
  QVERIFY2(e.ok(), e.ok() ? "" : e.message().c_str());
  QCOMPARE(ruleOf(**e, "n1"), std::string("lrp-0"));
  QCOMPARE(ruleOf(**e, "n3"), std::string("lrp-0"));
  QCOMPARE(ruleOf(**e, "n5"), std::string("gamma (gamma=0.5)"));
  QCOMPARE(ruleOf(**e, "n2"), std::string("pass"));

  // The same rules from a composite without overrides give the same relevance.
  Composite plain = *Composite::preset("lrp-0");
  plain.top = {{"rule", "gamma"}, {"gamma", 0.5}};
  auto reference = Explainer::create(net, plain, ExplanationTarget::logits());
  QVERIFY(reference.ok());
  const Tensor x = randomTensor(Shape{4, 10}, 8);
  auto a = (*e)->explain(x), b = (*reference)->explain(x);
  QVERIFY(a.ok() && b.ok());
  for (std::int64_t i = 0; i < a->relevance.size(); ++i) QCOMPARE(a->relevance.at(i), b->relevance.at(i));
  // And differ from the preset's own rules (z+ below the top).
  auto preset = Explainer::create(net, *Composite::preset("epsilon-plus"), ExplanationTarget::logits());
  QVERIFY(preset.ok());
  QCOMPARE(ruleOf(**preset, "n3"), std::string("z-plus"));
  auto c = (*preset)->explain(x);
  QVERIFY(c.ok());
  double difference = 0.0;
  for (std::int64_t i = 0; i < a->relevance.size(); ++i) difference += std::abs(a->relevance.at(i) - c->relevance.at(i));
  QVERIFY(difference > 1e-3);
}

QTEST_APPLESS_MAIN(CompositeTest)
#include "tst_composite.moc"

// The built-in LRP rules (SPECS.md, "Layer-wise Relevance Propagation"). Where the spec is silent the passes
// follow zennit's rules.py: alpha-beta and z+ split the input into its positive and negative parts, so that
// every contribution x_i w_ij lands in the group of its own sign even for negative inputs (standardised pixels);
// the positive bias joins the positive group and the negative bias the negative one.
#include "core/lrp/LrpRuleRegistry.h"

#include <cmath>

namespace ffn {
namespace {

class EpsilonRule final : public LrpRule {
 public:
  EpsilonRule(std::string name, float epsilon) : m_name(std::move(name)), m_epsilon(epsilon) {}
  std::string name() const override { return m_name; }
  Json spec() const override {
    return m_name == "lrp-0" ? Json{{"rule", m_name}} : Json{{"rule", m_name}, {"epsilon", m_epsilon}};
  }
  float stabilizer() const override { return m_epsilon; }

 private:
  std::string m_name;
  float m_epsilon;
};

class GammaRule final : public LrpRule {
 public:
  explicit GammaRule(float gamma) : m_gamma(gamma) {}
  std::string name() const override { return "gamma"; }
  Json spec() const override { return {{"rule", "gamma"}, {"gamma", m_gamma}}; }
  // rho(w) = w + gamma w+, rho(b) = b + gamma b+ (the spec's form, for non-negative inputs as after a ReLU)
  std::vector<LrpPass> passes() const override {
    return {{.params = ParamChange::GammaBoost, .gamma = m_gamma}};
  }

 private:
  float m_gamma;
};

class AlphaBetaRule final : public LrpRule {
 public:
  AlphaBetaRule(std::string name, float alpha, float beta) : m_name(std::move(name)), m_alpha(alpha), m_beta(beta) {}
  std::string name() const override { return m_name; }
  Json spec() const override {
    return m_name == "z-plus" ? Json{{"rule", m_name}} : Json{{"rule", m_name}, {"alpha", m_alpha}, {"beta", m_beta}};
  }
  std::vector<LrpPass> passes() const override {
    // Group 0 holds the positive contributions x+ w+ (+ b+) and x- w-; group 1 the negative ones x+ w- (+ b-)
    // and x- w+. R_in = alpha * (positive share) - beta * (negative share).
    std::vector<LrpPass> all{
        {.input = InputChange::Positive, .params = ParamChange::Positive, .withBias = true, .group = 0, .share = m_alpha},
        {.input = InputChange::Negative, .params = ParamChange::Negative, .withBias = false, .group = 0, .share = m_alpha}};
    if (m_beta != 0.0f) {
      all.push_back({.input = InputChange::Positive, .params = ParamChange::Negative, .withBias = true, .group = 1,
                     .share = -m_beta});
      all.push_back({.input = InputChange::Negative, .params = ParamChange::Positive, .withBias = false, .group = 1,
                     .share = -m_beta});
    }
    return all;
  }

 private:
  std::string m_name;
  float m_alpha, m_beta;
};

class ZBoxRule final : public LrpRule {
 public:
  explicit ZBoxRule(BoundsSetting bounds) : m_bounds(bounds) {}
  std::string name() const override { return "z-box"; }
  Json spec() const override {
    return m_bounds.fromData ? Json{{"rule", "z-box"}, {"bounds", "data"}}
                             : Json{{"rule", "z-box"}, {"bounds", "fixed"}, {"low", m_bounds.low}, {"high", m_bounds.high}};
  }
  // z_j = sum_i x_i w_ij - l_i w_ij+ - h_i w_ij-; the biases cancel out of it (as in zennit's ZBox).
  std::vector<LrpPass> passes() const override {
    return {{.input = InputChange::Same, .params = ParamChange::Same, .withBias = false, .sign = 1.0f, .share = 1.0f},
            {.input = InputChange::LowBound, .params = ParamChange::Positive, .withBias = false, .sign = -1.0f,
             .share = -1.0f},
            {.input = InputChange::HighBound, .params = ParamChange::Negative, .withBias = false, .sign = -1.0f,
             .share = -1.0f}};
  }
  std::optional<BoundsSetting> bounds() const override { return m_bounds; }

 private:
  BoundsSetting m_bounds;
};

// w^2 and flat: R_i = sum_j rho(w_ij) / sum_i' rho(w_i'j) R_j, independent of the input and without the bias.
class InputFreeRule final : public LrpRule {
 public:
  InputFreeRule(std::string name, ParamChange change) : m_name(std::move(name)), m_change(change) {}
  std::string name() const override { return m_name; }
  std::vector<LrpPass> passes() const override {
    return {{.input = InputChange::Ones, .params = m_change, .withBias = false}};
  }

 private:
  std::string m_name;
  ParamChange m_change;
};

// Rules that are not linear-layer rules: what a pooling or element-wise layer does with relevance.
class MarkerRule final : public LrpRule {
 public:
  MarkerRule(std::string name, RuleTarget target) : m_name(std::move(name)), m_target(target) {}
  std::string name() const override { return m_name; }
  RuleTarget target() const override { return m_target; }

 private:
  std::string m_name;
  RuleTarget m_target;
};

template <typename Rule, typename... Args>
Result<std::unique_ptr<LrpRule>> make(Args&&... args) {
  return std::unique_ptr<LrpRule>(std::make_unique<Rule>(std::forward<Args>(args)...));
}

float floatOf(const Json& params, const char* key) { return params.at(key).get<float>(); }

}  // namespace

const std::vector<LrpRuleInfo>& lrpRules() {
  static const std::vector<LrpRuleInfo> rules = [] {
    std::vector<LrpRuleInfo> r;
    const auto linear = RuleTarget::Linear;
    r.push_back({"lrp-0", "LRP-0", "Redistributes each output's relevance in proportion to the contributions "
                 "a_i w_ij (+ bias) that formed it. Exact but noisy; meant for the top layer.",
                 linear, {}, [](const Json&) { return make<EpsilonRule>("lrp-0", 0.0f); }});
    r.push_back({"epsilon", "LRP-epsilon", "LRP-0 with epsilon added to every denominator (away from zero): weak or "
                 "contradictory contributions absorb relevance, which makes the maps sparser and less noisy. For "
                 "middle and upper layers.",
                 linear,
                 {floatParam("epsilon", "Epsilon", 1e-6, 0.0, 1e6, "Added to |z| in each denominator.", true)},
                 [](const Json& p) { return make<EpsilonRule>("epsilon", floatOf(p, "epsilon")); }});
    r.push_back({"gamma", "LRP-gamma", "Favours positive contributions: weights become w + gamma w+ (and the bias "
                 "b + gamma b+). Meant for lower layers that read non-negative inputs (after a ReLU).",
                 linear, {floatParam("gamma", "Gamma", 0.25, 0.0, 1000.0, "How much the positive weights are boosted.")},
                 [](const Json& p) { return make<GammaRule>(floatOf(p, "gamma")); }});
    r.push_back({"alpha-beta", "LRP-alpha-beta", "Positive and negative contributions are normalised separately; "
                 "alpha times the positive share minus beta times the negative share (alpha - beta = 1). For lower "
                 "layers; (2, 1) is the common choice.",
                 linear,
                 {floatParam("alpha", "Alpha", 2.0, 1.0, 1000.0, "Weight of the positive contributions."),
                  floatParam("beta", "Beta", 1.0, 0.0, 999.0, "Weight of the negative contributions (alpha - 1).")},
                 [](const Json& p) -> Result<std::unique_ptr<LrpRule>> {
                   const float alpha = floatOf(p, "alpha"), beta = floatOf(p, "beta");
                   if (std::abs(alpha - beta - 1.0f) > 1e-5f)
                     return fail("alpha - beta must be 1 (conservation), but alpha = ", std::to_string(alpha),
                                 " and beta = ", std::to_string(beta));
                   return make<AlphaBetaRule>("alpha-beta", alpha, beta);
                 }});
    r.push_back({"z-plus", "LRP-z+", "Only positive contributions count (alpha-beta with alpha 1, beta 0). For lower "
                 "layers.", linear, {}, [](const Json&) { return make<AlphaBetaRule>("z-plus", 1.0f, 0.0f); }});
    r.push_back({"z-box", "LRP-z^B", "For the first layer when inputs are bounded, l <= x <= h: contributions "
                 "x_i w_ij - l_i w_ij+ - h_i w_ij-. Bounds come from the data (per feature) or are fixed.",
                 linear,
                 {choiceParam("bounds", "Bounds", "data", {"data", "fixed"},
                              "data: each input feature's range over the training data; fixed: low and high below."),
                  floatParam("low", "Low", 0.0, -1e6, 1e6, "Lowest input value (fixed bounds)."),
                  floatParam("high", "High", 1.0, -1e6, 1e6, "Highest input value (fixed bounds).")},
                 [](const Json& p) -> Result<std::unique_ptr<LrpRule>> {
                   const BoundsSetting b{p.at("bounds").get<std::string>() == "data", floatOf(p, "low"),
                                         floatOf(p, "high")};
                   if (!b.fromData && b.low > b.high) return fail("z-box needs low <= high");
                   return make<ZBoxRule>(b);
                 }});
    r.push_back({"w-square", "LRP-w^2", "Relevance spread by squared weights, ignoring the input: for a first layer "
                 "whose inputs are unbounded.", linear, {},
                 [](const Json&) { return make<InputFreeRule>("w-square", ParamChange::Square); }});
    r.push_back({"flat", "LRP-flat", "Relevance spread evenly over every input a unit reads (all weights 1, no "
                 "bias): a coarse map that ignores the input.", linear, {},
                 [](const Json&) { return make<InputFreeRule>("flat", ParamChange::Ones); }});
    r.push_back({"pass", "Pass-through", "Relevance passes an element-wise layer unchanged.", RuleTarget::Elementwise,
                 {}, [](const Json&) { return make<MarkerRule>("pass", RuleTarget::Elementwise); }});
    r.push_back({"winner-takes-all", "Winner takes all", "Max pooling gives each window's relevance to the input "
                 "that won it (the gradient's path).", RuleTarget::MaxPool, {},
                 [](const Json&) { return make<MarkerRule>("winner-takes-all", RuleTarget::MaxPool); }});
    r.push_back({"proportional", "Proportional", "Max pooling shares each window's relevance among its inputs in "
                 "proportion to their values, like sum pooling.", RuleTarget::MaxPool, {},
                 [](const Json&) { return make<MarkerRule>("proportional", RuleTarget::MaxPool); }});
    return r;
  }();
  return rules;
}

const LrpRuleInfo* findLrpRule(const std::string& name) {
  for (const auto& rule : lrpRules())
    if (rule.name == name) return &rule;
  return nullptr;
}

Result<std::unique_ptr<LrpRule>> createLrpRule(const Json& spec, const std::string& owner) {
  Json params = Json::object();
  std::string name;
  if (spec.is_string()) {
    name = spec.get<std::string>();
  } else if (spec.is_object() && spec.contains("rule") && spec.at("rule").is_string()) {
    name = spec.at("rule").get<std::string>();
    params = spec;
    params.erase("rule");
  } else {
    return fail(owner, ": a rule is a name or an object with a \"rule\" name, not ", spec.dump());
  }
  const LrpRuleInfo* info = findLrpRule(name);
  if (!info) {
    std::string known;
    for (const auto& rule : lrpRules()) known += (known.empty() ? "" : ", ") + rule.name;
    return fail(owner, ": unknown LRP rule '", name, "' (known: ", known, ")");
  }
  auto complete = completeParams(info->params, params, owner + " (" + name + ")");
  if (!complete) return complete.error();
  auto rule = info->create(*complete);
  if (!rule) return fail(owner, ": ", rule.message());
  return rule;
}

}  // namespace ffn

#pragma once
// LrpRule: how relevance crosses one linear map z = L(a; W) + b (a Dense layer, a LowRank factor, a
// BlockDiagonal layer, a Conv2d layer, sum pooling). Modelled on zennit's BasicHook, written as descriptions the
// engine (LinearStage) runs with Backend ops over the whole batch:
//   passes()     - zennit's input and parameter modifier lists: pass p feeds the layer a changed input x_p and
//                  changed weights rho_p(W) (and bias), giving z_p = L(x_p; rho_p(W)) (+ rho_p(b));
//   group/sign   - zennit's gradient mapper: the passes of a group share the denominator d_g = sum sign_p z_p,
//                  and s_g = R / (d_g + stabilizer() * sign(d_g)) (the stabiliser: zennit's output modifier);
//   share        - zennit's reducer: R_in = sum_p share_p * x_p * L^T(s_{g(p)}; rho_p(W)).
// The defaults are LRP-0: one pass of the unchanged layer. Each rule overrides a few of these hooks.
#include <optional>
#include <string>
#include <vector>

#include "core/graph/ParamSpec.h"

namespace ffn {

// What one pass of a rule feeds the layer in place of its input a.
enum class InputChange {
  Same,
  Positive,   // max(a, 0)
  Negative,   // min(a, 0)
  Ones,       // 1 (w^2 and flat: relevance independent of the input)
  LowBound,   // the input's lower bound l (z^B)
  HighBound,  // the input's upper bound h (z^B)
};

// What one pass does to every weight (and to the bias, when the pass keeps it), element-wise.
enum class ParamChange {
  Same,
  Positive,    // w+ = max(w, 0)
  Negative,    // w- = min(w, 0)
  GammaBoost,  // w + gamma * w+
  Square,      // w^2
  Ones,        // 1
};

struct LrpPass {
  InputChange input = InputChange::Same;
  ParamChange params = ParamChange::Same;
  float gamma = 0.0f;     // for ParamChange::GammaBoost
  bool withBias = true;   // the (changed) bias takes part in z_p
  int group = 0;          // passes of one group share one denominator
  float sign = 1.0f;      // z_p's sign in its group's denominator
  float share = 1.0f;     // its weight in the reduction
};

// Where z^B takes the bounds l <= a <= h of its input from.
struct BoundsSetting {
  bool fromData = true;  // the per-feature range of the training data (first layer only)
  float low = 0.0f, high = 1.0f;  // otherwise: the same bounds for every feature
};

// Which layers a rule can be given to.
enum class RuleTarget { Linear, Pooling, MaxPool, Elementwise };

class LrpRule {
 public:
  // zennit's default stabiliser for rules whose epsilon is not a setting.
  static constexpr float kDefaultStabilizer = 1e-6f;

  virtual ~LrpRule() = default;
  virtual std::string name() const = 0;
  // The rule and its complete settings, as a project file stores an override ({"rule": "gamma", "gamma": 0.25}).
  virtual Json spec() const { return Json{{"rule", name()}}; }
  virtual RuleTarget target() const { return RuleTarget::Linear; }

  virtual std::vector<LrpPass> passes() const { return {LrpPass{}}; }
  virtual float stabilizer() const { return kDefaultStabilizer; }
  virtual std::optional<BoundsSetting> bounds() const { return std::nullopt; }
  // True when the rule only reads the layer's own output and weights (LRP-0, epsilon): the engine then reuses
  // the forward pass's z instead of computing it again.
  bool usesPlainForward() const;
  // The rule's form, for reports: "epsilon (epsilon=1e-06)".
  std::string describe() const;
};

}  // namespace ffn

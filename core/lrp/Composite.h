#pragma once
// Composite: which LRP rule each layer of a network gets, by the layer's kind and position (zennit's
// composites), plus per-node overrides from the project file (LrpSettings.overrides: node id -> rule), so a
// person can assign a rule by clicking a node.
//
// Positions of the linear layers (Dense, LowRank, BlockDiagonal, Conv2d, and a rule's projection head):
//   first - the first one (it reads the input: z^B, flat, w^2 live here);
//   lower - the feature layers: every Conv2d when the network has convolutions (zennit's presets give their
//           rule to convolutions), otherwise every dense-like layer below the top;
//   upper - the dense-like layers above the convolutions, and the top one when no `top` rule is set;
//   top   - the last one (the logits).
// Average pooling takes the stabilised rule (zennit's Norm: epsilon 1e-6), max pooling the composite's choice
// (winner-takes-all, or proportional: sum pooling over the window), element-wise layers pass relevance through.
#include <map>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/graph/Graph.h"
#include "core/graph/ParamSpec.h"

namespace ffn {

enum class LayerRole { First, Lower, Upper, Top, AvgPool, MaxPool, Elementwise, Unsupported };

struct CompositeInfo {
  std::string name;
  std::string description;
};

class Composite {
 public:
  // A preset by name: epsilon-plus, epsilon-gamma-box, epsilon-alpha2-beta1, epsilon-plus-flat, epsilon, lrp-0.
  static Result<Composite> preset(const std::string& name);
  static const std::vector<CompositeInfo>& presets();
  // A preset with a project's overrides (node id -> rule name or {"rule": ..., settings}).
  static Result<Composite> fromSettings(const std::string& name, const Json& overrides);

  const std::string& name() const { return m_name; }
  // Rule specs by position (null: not set, the next role's rule applies).
  Json first, lower, upper, top;
  // Sum pooling (average pooling, and max pooling shared proportionally): epsilon or lrp-0.
  Json avgPool = {{"rule", "epsilon"}, {"epsilon", 1e-6}};
  std::string maxPool = "winner-takes-all";

  // Per-node overrides; each spec is checked when the composite is applied to a network.
  Status setOverrides(const Json& overrides);
  const std::map<NodeId, Json>& overrides() const { return m_overrides; }

  // The role of each layer, from the layer kinds in chain order ("Head" for a rule's projection head).
  static std::vector<LayerRole> roles(const std::vector<std::string>& kinds);
  // The rule spec a layer gets: its override, else its role's rule.
  Json ruleFor(const NodeId& node, LayerRole role) const;

 private:
  std::string m_name;
  std::map<NodeId, Json> m_overrides;
};

}  // namespace ffn

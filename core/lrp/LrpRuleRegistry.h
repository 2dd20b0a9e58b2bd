#pragma once
// The LRP rules a composite or a per-node override can name, with their settings (ParamSpecs, so the GUI can
// build an editor for an override) and the layers each applies to. An override in a project file is either a
// name ("epsilon") or an object ({"rule": "gamma", "gamma": 0.25}).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/lrp/LrpRule.h"

namespace ffn {

struct LrpRuleInfo {
  std::string name;         // "epsilon", used in project files and composites
  std::string title;        // "LRP-epsilon"
  std::string description;  // one paragraph: what it does, where it is used
  RuleTarget target = RuleTarget::Linear;
  std::vector<ParamSpec> params;
  std::function<Result<std::unique_ptr<LrpRule>>(const Json& completeParams)> create;
};

const std::vector<LrpRuleInfo>& lrpRules();
const LrpRuleInfo* findLrpRule(const std::string& name);
// Builds a rule from its spec, filling defaults and refusing unknown settings; `owner` names the place in
// messages ("LRP override for node 'dense1'").
Result<std::unique_ptr<LrpRule>> createLrpRule(const Json& spec, const std::string& owner);

}  // namespace ffn

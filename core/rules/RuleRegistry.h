#pragma once
// The training rules a project can name, with the text the GUI shows and the settings each one offers.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/graph/ParamSpec.h"
#include "core/rules/TrainingRule.h"

namespace ffn {

struct RuleInfo {
  std::string name;         // "backprop", used in project files and `--rule`
  std::string title;        // "Backpropagation"
  std::string description;  // one paragraph for the run panel
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<TrainingRule>(const Json& completeParams)> create;
};

const std::vector<RuleInfo>& trainingRules();
const RuleInfo* findRule(const std::string& name);
// Validates params against the rule's specs (filling defaults) and builds the rule.
Result<std::unique_ptr<TrainingRule>> createRule(const std::string& name, const Json& params);

}  // namespace ffn

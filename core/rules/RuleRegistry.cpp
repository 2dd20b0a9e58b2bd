#include "core/rules/RuleRegistry.h"

#include "core/rules/Backprop.h"

namespace ffn {

const std::vector<RuleInfo>& trainingRules() {
  static const std::vector<RuleInfo> rules = [] {
    std::vector<RuleInfo> r;
    r.push_back({"backprop", "Backpropagation",
                 "The standard way networks learn: the error at the output is sent backwards through every layer "
                 "(the chain rule), and every weight moves a little in the direction that lowers the loss. All "
                 "layers learn together from one global objective.",
                 {},
                 [](const Json&) { return std::make_unique<Backprop>(); }});
    return r;
  }();
  return rules;
}

const RuleInfo* findRule(const std::string& name) {
  for (const auto& rule : trainingRules())
    if (rule.name == name) return &rule;
  return nullptr;
}

Result<std::unique_ptr<TrainingRule>> createRule(const std::string& name, const Json& params) {
  const RuleInfo* info = findRule(name);
  if (!info) {
    std::string known;
    for (const auto& rule : trainingRules()) known += (known.empty() ? "" : ", ") + rule.name;
    return fail("unknown training rule '", name, "' (known: ", known, ")");
  }
  auto complete = completeParams(info->params, params, "rule '" + name + "'");
  if (!complete) return complete.error();
  return info->create(*complete);
}

}  // namespace ffn

#include "core/rules/RuleRegistry.h"

#include "core/rules/Backprop.h"
#include "core/rules/NtkEnsemble.h"

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
    r.push_back({"ntk-ensemble", "NTK ensemble (exact permutations)",
                 "Many wide two-layer networks, each trained alone by gradient descent on the k basis vectors of a "
                 "permutation task, vote with their mean output: once there are enough of them (about k log k for "
                 "one input, k^2 for all at once) the ensemble reproduces the permutation exactly on inputs it "
                 "never saw. Members train in parallel, one per core; only their outputs are kept.",
                 NtkEnsemble::paramSpecs(),
                 [](const Json& params) { return std::make_unique<NtkEnsemble>(params); }});
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

#include "core/lrp/LrpRule.h"

namespace ffn {

bool LrpRule::usesPlainForward() const {
  const auto all = passes();
  return target() == RuleTarget::Linear && all.size() == 1 && all[0].input == InputChange::Same &&
         all[0].params == ParamChange::Same && all[0].withBias && all[0].sign == 1.0f && all[0].share == 1.0f;
}

std::string LrpRule::describe() const {
  std::string settings;
  const Json all = spec();  // items() must not outlive the object it iterates
  for (const auto& [key, value] : all.items()) {
    if (key == "rule") continue;
    settings += (settings.empty() ? "" : ", ") + key + "=" + value.dump();
  }
  return settings.empty() ? name() : name() + " (" + settings + ")";
}

}  // namespace ffn

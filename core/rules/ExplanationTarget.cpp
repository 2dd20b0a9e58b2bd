#include "core/rules/ExplanationTarget.h"

namespace ffn {

ExplanationTarget ExplanationTarget::logits() {
  ExplanationTarget target;
  target.kind = Kind::Logits;
  target.description = "the output logit of the explained class";
  return target;
}

}  // namespace ffn

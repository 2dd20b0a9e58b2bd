#pragma once
#include "core/graph/NodeKind.h"

namespace ffn {

// Adds every built-in node kind, in palette order.
void registerBuiltinKinds(NodeKindRegistry& registry);

}  // namespace ffn

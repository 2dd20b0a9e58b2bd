#include <algorithm>

#include "core/graph/NodeKind.h"
#include "core/layers/BuiltinLayers.h"

namespace ffn {

const NodeKindRegistry& NodeKindRegistry::builtin() {
  // Built explicitly (not by static self-registration, which a static library's linker may drop).
  static const NodeKindRegistry registry = [] {
    NodeKindRegistry r;
    registerBuiltinKinds(r);
    return r;
  }();
  return registry;
}

void NodeKindRegistry::add(NodeKind kind) { m_kinds.push_back(std::move(kind)); }

const NodeKind* NodeKindRegistry::find(const std::string& name) const {
  auto it = std::find_if(m_kinds.begin(), m_kinds.end(), [&](const NodeKind& k) { return k.name == name; });
  return it == m_kinds.end() ? nullptr : &*it;
}

}  // namespace ffn

#pragma once
// The graph's JSON form, as stored in project files and on the clipboard:
//   {"nodes": [{"id", "kind", "label", "params": {...}, "position": [x, y]}], "edges": [{"from", "to", "port"}]}
// Loading refuses structural damage (a duplicate id, an edge to a missing node, an unknown kind, wrong JSON
// types, a port fed twice, a cycle) with a message naming the node or edge, but accepts a graph that is merely
// unfinished — dangling nodes, no Output, settings out of range — because people save work in progress; the
// GraphValidator reports those when the graph is to be trained.
#include "core/base/Result.h"
#include "core/graph/Graph.h"
#include "core/graph/NodeKind.h"

namespace ffn {

Json graphToJson(const Graph& graph);
Result<Graph> graphFromJson(const Json& json, const NodeKindRegistry& kinds = NodeKindRegistry::builtin());

}  // namespace ffn

#pragma once
// Checks a Graph against the node kinds: settings in range, every input port connected, no cycle, shapes that
// fit, exactly one Input and one Output joined by a chain of layers. Results are kept per node, so the canvas
// can draw each invalid node with its own message, and the first message serves as the reason a network does
// not compile.
#include <map>
#include <string>
#include <vector>

#include "core/graph/Graph.h"
#include "core/graph/NodeKind.h"

namespace ffn {

// Limits that keep a graph from a damaged or hostile project file from asking for more memory than any machine
// has: a sample of more than 2^28 values (1 GB of floats; a 3x224x224 image is 150 528) or a network of more than
// 2^30 trainable values (4 GB, twice that with gradients) is refused before anything is allocated.
inline constexpr std::int64_t kMaxSampleValues = std::int64_t{1} << 28;
inline constexpr std::int64_t kMaxNetworkWeights = std::int64_t{1} << 30;

struct NodeCheck {
  Shape outputShape;                // per sample; empty when unknown
  std::int64_t weightCount = 0;     // trainable values
  std::int64_t flopsPerSample = 0;  // forward multiply-adds
  std::string error;                // empty when the node is fine
  Json params;                      // complete params (defaults filled in)
};

struct GraphCheck {
  std::map<NodeId, NodeCheck> nodes;
  std::vector<std::string> graphErrors;  // problems of the whole graph (no Input, two Outputs, ...)
  std::vector<NodeId> chain;             // Input, layers..., Output when the graph is valid

  bool ok() const;
  // The first problem, for a one-line error ("Dense 'fc2': input has 100 features, ...").
  std::string firstError() const;
};

// `describe(node)` in messages: "Dense 'fc1'".
std::string describeNode(const Node& node);

GraphCheck checkGraph(const Graph& graph, const NodeKindRegistry& kinds = NodeKindRegistry::builtin());
Status validateGraph(const Graph& graph, const NodeKindRegistry& kinds = NodeKindRegistry::builtin());

}  // namespace ffn

#include "core/graph/GraphValidator.h"

#include <algorithm>

#include "core/layers/Layer.h"

namespace ffn {

bool GraphCheck::ok() const {
  if (!graphErrors.empty()) return false;
  return std::all_of(nodes.begin(), nodes.end(), [](const auto& entry) { return entry.second.error.empty(); });
}

std::string GraphCheck::firstError() const {
  if (!graphErrors.empty()) return graphErrors.front();
  for (const auto& [id, check] : nodes)
    if (!check.error.empty()) return check.error;
  return {};
}

std::string describeNode(const Node& node) { return node.kind + " '" + node.label + "'"; }

namespace {

// Shapes, settings and weight counts, node by node in topological order.
void checkNodes(const Graph& graph, const NodeKindRegistry& kinds, const std::vector<NodeId>& order, GraphCheck& check) {
  std::int64_t total = 0;  // weights so far (each layer's count fits: its shapes are within the sample limit)
  for (const auto& id : order) {
    const Node& node = *graph.node(id);
    NodeCheck& result = check.nodes[id];
    const NodeKind* kind = kinds.find(node.kind);
    if (!kind) {
      result.error = describeNode(node) + ": unknown node kind";
      continue;
    }
    auto params = completeParams(kind->params, node.params, describeNode(node));
    if (!params) {
      result.error = params.message();
      continue;
    }
    result.params = *params;
    std::vector<Shape> inputs;
    bool inputsKnown = true;
    for (int port = 0; port < kind->inputPorts; ++port) {
      auto edge = graph.inputEdge(id, port);
      if (!edge) {
        result.error = describeNode(node) + ": nothing is connected to its input";
        inputsKnown = false;
        break;
      }
      const NodeCheck& source = check.nodes[edge->from];
      if (source.outputShape.empty()) {
        result.error = describeNode(node) + ": its input is invalid (see '" + graph.node(edge->from)->label + "')";
        inputsKnown = false;
        break;
      }
      inputs.push_back(source.outputShape);
    }
    if (!inputsKnown) continue;
    auto shape = kind->inferShape(inputs, result.params);
    if (!shape) {
      result.error = describeNode(node) + ": " + shape.message();
      continue;
    }
    if (!shape->elementCountWithin(kMaxSampleValues)) {
      result.error = describeNode(node) + ": its output " + shape->toString() + " has more than " +
                     std::to_string(kMaxSampleValues) + " values per sample";
      continue;
    }
    result.outputShape = *shape;
    if (kind->create) {
      Node complete = node;
      complete.params = result.params;
      auto layer = kind->create(LayerBuild{complete, inputs.empty() ? Shape{} : inputs.front(), *shape});
      for (const auto& w : layer->weightSpecs()) result.weightCount += w.shape.elementCount();
      result.flopsPerSample = layer->forwardFlopsPerSample();
      total += result.weightCount;
      if (result.weightCount > kMaxNetworkWeights || total > kMaxNetworkWeights)
        result.error = describeNode(node) + ": the network would have more than " + std::to_string(kMaxNetworkWeights) +
                       " weights";
    }
  }
}

// Exactly one Input and one Output, joined by a chain that every node belongs to.
void checkChain(const Graph& graph, const NodeKindRegistry& kinds, GraphCheck& check) {
  std::vector<NodeId> inputs, outputs;
  for (const auto& node : graph.nodes()) {
    const NodeKind* kind = kinds.find(node.kind);
    if (kind && kind->role == NodeRole::Input) inputs.push_back(node.id);
    if (kind && kind->role == NodeRole::Output) outputs.push_back(node.id);
  }
  if (inputs.size() != 1) {
    check.graphErrors.push_back(inputs.empty() ? "the network has no Input node"
                                               : "the network has more than one Input node");
    return;
  }
  if (outputs.size() != 1) {
    check.graphErrors.push_back(outputs.empty() ? "the network has no Output node"
                                                : "the network has more than one Output node");
    return;
  }
  NodeId current = inputs.front();
  std::vector<NodeId> chain{current};
  while (current != outputs.front()) {
    auto next = graph.outputEdges(current);
    const Node& node = *graph.node(current);
    if (next.empty()) {
      auto& error = check.nodes[current].error;
      if (error.empty()) error = describeNode(node) + ": its output is not connected to anything";
      return;
    }
    if (next.size() > 1) {
      auto& error = check.nodes[current].error;
      if (error.empty()) error = describeNode(node) + ": its output feeds " + std::to_string(next.size()) +
                                 " nodes; a network here is one chain from Input to Output";
      return;
    }
    current = next.front().to;
    chain.push_back(current);
  }
  if (chain.size() != graph.nodes().size()) {
    for (const auto& node : graph.nodes())
      if (std::find(chain.begin(), chain.end(), node.id) == chain.end()) {
        auto& error = check.nodes[node.id].error;
        if (error.empty()) error = describeNode(node) + ": not on the path from Input to Output";
      }
    return;
  }
  check.chain = std::move(chain);
}

}  // namespace

GraphCheck checkGraph(const Graph& graph, const NodeKindRegistry& kinds) {
  GraphCheck check;
  for (const auto& node : graph.nodes()) check.nodes[node.id];
  auto order = graph.topologicalOrder();
  if (!order) {
    check.graphErrors.push_back(order.message());
    return check;
  }
  checkNodes(graph, kinds, *order, check);
  checkChain(graph, kinds, check);
  if (!check.ok()) check.chain.clear();
  return check;
}

Status validateGraph(const Graph& graph, const NodeKindRegistry& kinds) {
  GraphCheck check = checkGraph(graph, kinds);
  if (!check.ok()) return Error{check.firstError()};
  return {};
}

}  // namespace ffn

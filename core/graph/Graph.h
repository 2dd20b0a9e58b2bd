#pragma once
// Graph: the network as a person draws it: nodes (a kind, settings, a position on the canvas) and edges from a
// node's output to an input port of another node. It holds structure only; what a kind means (its ports, shape
// rule and settings) comes from the NodeKindRegistry, and GraphValidator checks the whole.
#include <optional>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/graph/ParamSpec.h"

namespace ffn {

using NodeId = std::string;

struct Point {
  double x = 0.0, y = 0.0;
  bool operator==(const Point&) const = default;
};

struct Node {
  NodeId id;          // unique in the graph, stable: weights are saved as "<id>.<weight>"
  std::string kind;   // "Dense", "ReLU", "Input", ...
  std::string label;  // shown on the canvas; defaults to the id
  Json params = Json::object();
  Point position;
  bool operator==(const Node&) const = default;
};

// Every node has one output; an edge feeds it into input port `toPort` of node `to`.
struct Edge {
  NodeId from;
  NodeId to;
  int toPort = 0;
  bool operator==(const Edge&) const = default;
};

class Graph {
 public:
  const std::vector<Node>& nodes() const { return m_nodes; }
  const std::vector<Edge>& edges() const { return m_edges; }

  const Node* node(const NodeId& id) const;
  Node* node(const NodeId& id);
  bool contains(const NodeId& id) const { return node(id) != nullptr; }

  // Adds a node; its id must be new and non-empty.
  Status addNode(Node node);
  // Removes a node and every edge touching it; returns the removed edges (for undo).
  std::vector<Edge> removeNode(const NodeId& id);
  // Adds an edge between existing nodes; an input port takes one edge only, and no edge may close a cycle.
  Status connect(const Edge& edge);
  bool disconnect(const Edge& edge);

  // A fresh id "<prefix><n>" not used yet (prefix in lower case, e.g. "dense3").
  NodeId uniqueId(const std::string& prefix) const;

  // The edge feeding (node, port), if any.
  std::optional<Edge> inputEdge(const NodeId& id, int port) const;
  // Edges leaving a node.
  std::vector<Edge> outputEdges(const NodeId& id) const;
  // Nodes in an order where every node comes after those feeding it; fails naming a node on a cycle.
  Result<std::vector<NodeId>> topologicalOrder() const;
  // Whether adding `edge` would close a cycle.
  bool wouldCreateCycle(const Edge& edge) const;

  bool operator==(const Graph&) const = default;

 private:
  std::vector<Node> m_nodes;
  std::vector<Edge> m_edges;
};

}  // namespace ffn

#include "core/graph/Graph.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace ffn {

const Node* Graph::node(const NodeId& id) const {
  auto it = std::find_if(m_nodes.begin(), m_nodes.end(), [&](const Node& n) { return n.id == id; });
  return it == m_nodes.end() ? nullptr : &*it;
}

Node* Graph::node(const NodeId& id) {
  return const_cast<Node*>(static_cast<const Graph*>(this)->node(id));
}

Status Graph::addNode(Node node) {
  if (node.id.empty()) return fail("a node needs an id");
  if (contains(node.id)) return fail("there is already a node with id '", node.id, "'");
  if (node.label.empty()) node.label = node.id;
  m_nodes.push_back(std::move(node));
  return {};
}

std::vector<Edge> Graph::removeNode(const NodeId& id) {
  std::vector<Edge> removed;
  std::erase_if(m_edges, [&](const Edge& e) {
    const bool touches = e.from == id || e.to == id;
    if (touches) removed.push_back(e);
    return touches;
  });
  std::erase_if(m_nodes, [&](const Node& n) { return n.id == id; });
  return removed;
}

Status Graph::connect(const Edge& edge) {
  const Node* from = node(edge.from);
  const Node* to = node(edge.to);
  if (!from) return fail("no node '", edge.from, "' to connect from");
  if (!to) return fail("no node '", edge.to, "' to connect to");
  if (edge.from == edge.to) return fail("'", to->label, "' cannot feed itself");
  if (edge.toPort < 0) return fail("'", to->label, "' has no input port ", std::to_string(edge.toPort));
  if (inputEdge(edge.to, edge.toPort))
    return fail("input ", std::to_string(edge.toPort), " of '", to->label, "' is already connected");
  if (wouldCreateCycle(edge)) return fail("connecting '", from->label, "' to '", to->label, "' would create a cycle");
  m_edges.push_back(edge);
  return {};
}

bool Graph::disconnect(const Edge& edge) { return std::erase(m_edges, edge) > 0; }

NodeId Graph::uniqueId(const std::string& prefix) const {
  std::string base;
  for (char c : prefix)
    if (std::isalnum(static_cast<unsigned char>(c))) base += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (base.empty()) base = "node";
  for (int n = 1;; ++n) {
    NodeId candidate = base + std::to_string(n);
    if (!contains(candidate)) return candidate;
  }
}

std::optional<Edge> Graph::inputEdge(const NodeId& id, int port) const {
  auto it = std::find_if(m_edges.begin(), m_edges.end(), [&](const Edge& e) { return e.to == id && e.toPort == port; });
  if (it == m_edges.end()) return std::nullopt;
  return *it;
}

std::vector<Edge> Graph::outputEdges(const NodeId& id) const {
  std::vector<Edge> out;
  for (const auto& e : m_edges)
    if (e.from == id) out.push_back(e);
  return out;
}

Result<std::vector<NodeId>> Graph::topologicalOrder() const {
  // Kahn's algorithm, taking ready nodes in their order in m_nodes so the result is stable.
  std::unordered_map<NodeId, int> pending;
  for (const auto& n : m_nodes) pending[n.id] = 0;
  for (const auto& e : m_edges) ++pending[e.to];
  std::vector<NodeId> order;
  order.reserve(m_nodes.size());
  std::vector<bool> done(m_nodes.size(), false);
  bool progressed = true;
  while (order.size() < m_nodes.size() && progressed) {
    progressed = false;
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
      if (done[i] || pending[m_nodes[i].id] != 0) continue;
      done[i] = true;
      progressed = true;
      order.push_back(m_nodes[i].id);
      for (const auto& e : m_edges)
        if (e.from == m_nodes[i].id) --pending[e.to];
    }
  }
  if (order.size() < m_nodes.size()) {
    for (std::size_t i = 0; i < m_nodes.size(); ++i)
      if (!done[i]) return fail("'", m_nodes[i].label, "' is part of a cycle");
  }
  return order;
}

bool Graph::wouldCreateCycle(const Edge& edge) const {
  // A cycle appears iff edge.from is reachable from edge.to.
  std::vector<NodeId> stack{edge.to};
  std::vector<NodeId> seen;
  while (!stack.empty()) {
    NodeId current = stack.back();
    stack.pop_back();
    if (current == edge.from) return true;
    if (std::find(seen.begin(), seen.end(), current) != seen.end()) continue;
    seen.push_back(current);
    for (const auto& e : m_edges)
      if (e.from == current) stack.push_back(e.to);
  }
  return false;
}

}  // namespace ffn

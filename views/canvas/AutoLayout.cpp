#include "views/canvas/AutoLayout.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

namespace ffn::views {

std::vector<NodePosition> layeredLayout(const Graph& graph, std::vector<NodeId> ids) {
  if (ids.empty())
    for (const Node& node : graph.nodes()) ids.push_back(node.id);
  const std::set<NodeId> chosen(ids.begin(), ids.end());
  auto order = graph.topologicalOrder();
  if (!order) return {};

  // Depth in topological order: every node comes after the nodes feeding it.
  std::map<NodeId, int> depth;
  double left = std::numeric_limits<double>::max(), top = std::numeric_limits<double>::max();
  for (const NodeId& id : *order) {
    if (!chosen.count(id)) continue;
    int d = 0;
    for (const Edge& edge : graph.edges())
      if (edge.to == id && chosen.count(edge.from)) d = std::max(d, depth[edge.from] + 1);
    depth[id] = d;
    const Node* node = graph.node(id);
    left = std::min(left, node->position.x);
    top = std::min(top, node->position.y);
  }

  // Within a row, nodes keep their current left-to-right order.
  std::map<int, std::vector<const Node*>> rows;
  for (const NodeId& id : *order)
    if (chosen.count(id)) rows[depth[id]].push_back(graph.node(id));
  std::vector<NodePosition> positions;
  for (auto& [row, nodes] : rows) {
    std::stable_sort(nodes.begin(), nodes.end(),
                     [](const Node* a, const Node* b) { return a->position.x < b->position.x; });
    for (std::size_t column = 0; column < nodes.size(); ++column)
      positions.push_back(
          {nodes[column]->id, Point{left + static_cast<double>(column) * kLayoutColumn, top + row * kLayoutRow}});
  }
  return positions;
}

}  // namespace ffn::views

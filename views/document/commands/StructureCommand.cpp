#include "views/document/commands/StructureCommand.h"

#include <algorithm>

namespace ffn::views {

StructureCommand::StructureCommand(NetworkDocument* document, Direction direction, std::vector<Placed<Node>> nodes,
                                   std::vector<Placed<Edge>> edges, const QString& text)
    : DocumentCommand(document, text), m_direction(direction), m_nodes(std::move(nodes)), m_edges(std::move(edges)) {
  auto byIndex = [](const auto& a, const auto& b) { return a.index < b.index; };
  std::sort(m_nodes.begin(), m_nodes.end(), byIndex);
  std::sort(m_edges.begin(), m_edges.end(), byIndex);
}

StructureCommand* StructureCommand::insertion(NetworkDocument* document, const std::vector<Node>& nodes,
                                              const std::vector<Edge>& edges, const QString& text) {
  const Graph& graph = document->graph();
  std::vector<Placed<Node>> placedNodes;
  for (const Node& node : nodes)
    placedNodes.push_back({static_cast<int>(graph.nodes().size() + placedNodes.size()), node});
  std::vector<Placed<Edge>> placedEdges;
  for (const Edge& edge : edges)
    placedEdges.push_back({static_cast<int>(graph.edges().size() + placedEdges.size()), edge});
  return new StructureCommand(document, Direction::Insert, std::move(placedNodes), std::move(placedEdges), text);
}

StructureCommand* StructureCommand::removal(NetworkDocument* document, const std::vector<NodeId>& nodes,
                                            const std::vector<Edge>& edges, const QString& text) {
  const Graph& graph = document->graph();
  std::vector<Placed<Node>> placedNodes;
  for (std::size_t i = 0; i < graph.nodes().size(); ++i)
    if (std::find(nodes.begin(), nodes.end(), graph.nodes()[i].id) != nodes.end())
      placedNodes.push_back({static_cast<int>(i), graph.nodes()[i]});
  // A removed node takes its edges with it; they must come back with it on undo.
  std::vector<Placed<Edge>> placedEdges;
  for (std::size_t i = 0; i < graph.edges().size(); ++i) {
    const Edge& edge = graph.edges()[i];
    const bool touches = std::find(nodes.begin(), nodes.end(), edge.from) != nodes.end() ||
                         std::find(nodes.begin(), nodes.end(), edge.to) != nodes.end();
    if (touches || std::find(edges.begin(), edges.end(), edge) != edges.end())
      placedEdges.push_back({static_cast<int>(i), edge});
  }
  return new StructureCommand(document, Direction::Erase, std::move(placedNodes), std::move(placedEdges), text);
}

void StructureCommand::redo() { m_direction == Direction::Insert ? insert() : erase(); }
void StructureCommand::undo() { m_direction == Direction::Insert ? erase() : insert(); }

void StructureCommand::insert() { document().insertItems(key(), m_nodes, m_edges); }

void StructureCommand::erase() {
  std::vector<NodeId> ids;
  for (const auto& node : m_nodes) ids.push_back(node.item.id);
  std::vector<Edge> edges;
  for (const auto& edge : m_edges) edges.push_back(edge.item);
  document().eraseItems(key(), ids, edges);
}

}  // namespace ffn::views

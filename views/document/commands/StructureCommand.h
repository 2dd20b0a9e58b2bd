#pragma once
// StructureCommand: adds or removes a set of nodes and edges. One class serves add node, paste and duplicate
// (insert nodes with their edges), connect (insert one edge), and in reverse remove (nodes with every edge that
// touches them) and disconnect — each is the other's undo, so sharing the code keeps them exact mirrors.
// It stores the items by value with their list positions, as the project file would: nothing points into a scene.
#include <vector>

#include "views/document/commands/DocumentCommand.h"

namespace ffn::views {

class StructureCommand : public DocumentCommand {
 public:
  enum class Direction { Insert, Erase };

  // Appends `nodes` and `edges` to the graph.
  static StructureCommand* insertion(NetworkDocument* document, const std::vector<Node>& nodes,
                                     const std::vector<Edge>& edges, const QString& text);
  // Removes `nodes` (with every edge touching them) and `edges`.
  static StructureCommand* removal(NetworkDocument* document, const std::vector<NodeId>& nodes,
                                   const std::vector<Edge>& edges, const QString& text);

  void redo() override;
  void undo() override;

 private:
  StructureCommand(NetworkDocument* document, Direction direction, std::vector<Placed<Node>> nodes,
                   std::vector<Placed<Edge>> edges, const QString& text);
  void insert();
  void erase();

  Direction m_direction;
  std::vector<Placed<Node>> m_nodes;  // sorted by index
  std::vector<Placed<Edge>> m_edges;  // sorted by index
};

}  // namespace ffn::views

#pragma once
// MoveNodesCommand: new positions for some nodes. While a drag lasts, the canvas pushes one of these per mouse
// move with the drag's serial number; they merge (mergeWith), so the whole drag is one undo step.
#include <vector>

#include "views/document/commands/DocumentCommand.h"

namespace ffn::views {

class MoveNodesCommand : public DocumentCommand {
 public:
  struct Move {
    NodeId id;
    Point from, to;
  };

  // serial 0: never merges.
  MoveNodesCommand(NetworkDocument* document, std::vector<Move> moves, int serial, const QString& text);

  void redo() override;
  void undo() override;
  int id() const override { return m_serial != 0 ? kMoveCommandId : -1; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  void apply(bool forward);

  std::vector<Move> m_moves;
  int m_serial;
};

}  // namespace ffn::views

#include "views/document/commands/MoveNodesCommand.h"

#include <algorithm>

namespace ffn::views {

MoveNodesCommand::MoveNodesCommand(NetworkDocument* document, std::vector<Move> moves, int serial, const QString& text)
    : DocumentCommand(document, text), m_moves(std::move(moves)), m_serial(serial) {}

void MoveNodesCommand::redo() { apply(true); }
void MoveNodesCommand::undo() { apply(false); }

void MoveNodesCommand::apply(bool forward) {
  std::vector<NodePosition> positions;
  positions.reserve(m_moves.size());
  for (const Move& move : m_moves) positions.push_back({move.id, forward ? move.to : move.from});
  document().setPositions(key(), positions);
}

bool MoveNodesCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const MoveNodesCommand*>(other);  // same id() means same class
  if (next->m_serial != m_serial) return false;
  for (std::size_t i = 0; i < next->m_moves.size(); ++i) {
    const Move& move = next->m_moves[i];
    // A drag moves the same nodes in the same order every time: try the same slot before searching.
    if (i < m_moves.size() && m_moves[i].id == move.id) {
      m_moves[i].to = move.to;
      continue;
    }
    auto it = std::find_if(m_moves.begin(), m_moves.end(), [&](const Move& m) { return m.id == move.id; });
    if (it != m_moves.end())
      it->to = move.to;
    else
      m_moves.push_back(move);
  }
  // A drag that ends where it started changes nothing and leaves no undo step.
  setObsolete(std::all_of(m_moves.begin(), m_moves.end(), [](const Move& m) { return m.from == m.to; }));
  return true;
}

}  // namespace ffn::views

#include "views/document/commands/SetParamCommand.h"

namespace ffn::views {
namespace {
constexpr qint64 kMergeWindowMs = 1500;  // edits of one setting closer than this are one step
}

SetParamCommand::SetParamCommand(NetworkDocument* document, NodeId node, std::string name, Json before, Json after,
                                 const QString& text)
    : DocumentCommand(document, text),
      m_node(std::move(node)),
      m_name(std::move(name)),
      m_before(std::move(before)),
      m_after(std::move(after)) {
  m_lastEdit.start();
}

void SetParamCommand::redo() { document().setNodeParams(key(), m_node, m_after); }
void SetParamCommand::undo() { document().setNodeParams(key(), m_node, m_before); }

bool SetParamCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const SetParamCommand*>(other);
  if (next->m_node != m_node || next->m_name != m_name || m_lastEdit.elapsed() > kMergeWindowMs) return false;
  m_after = next->m_after;
  m_lastEdit.restart();
  setObsolete(m_after == m_before);
  return true;
}

}  // namespace ffn::views

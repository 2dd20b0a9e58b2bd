#include "views/document/commands/SetSettingsCommand.h"

namespace ffn::views {
namespace {
constexpr qint64 kMergeWindowMs = 1500;  // edits of one field closer than this are one step
}

SetSettingsCommand::SetSettingsCommand(NetworkDocument* document, RunSettings before, RunSettings after,
                                       QString field, const QString& text)
    : DocumentCommand(document, text), m_before(std::move(before)), m_after(std::move(after)), m_field(std::move(field)) {
  m_lastEdit.start();
}

void SetSettingsCommand::redo() { document().setRunSettings(key(), m_after); }
void SetSettingsCommand::undo() { document().setRunSettings(key(), m_before); }

bool SetSettingsCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const SetSettingsCommand*>(other);
  if (m_field.isEmpty() || next->m_field != m_field || m_lastEdit.elapsed() > kMergeWindowMs) return false;
  m_after = next->m_after;
  setText(next->text());
  m_lastEdit.restart();
  setObsolete(m_after == m_before);
  return true;
}

}  // namespace ffn::views

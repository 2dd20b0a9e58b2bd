#pragma once
// SetSettingsCommand: a change to how the project trains (rule, optimiser, data, seed, device, LRP composite).
// Stores the settings before and after; quick repeated edits of the same field (a slider being dragged, spin-box
// arrows) merge into one undo step.
#include <QElapsedTimer>

#include "views/document/RunSettings.h"
#include "views/document/commands/DocumentCommand.h"

namespace ffn::views {

class SetSettingsCommand : public DocumentCommand {
 public:
  SetSettingsCommand(NetworkDocument* document, RunSettings before, RunSettings after, QString field,
                     const QString& text);

  void redo() override;
  void undo() override;
  int id() const override { return kSetSettingsCommandId; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  RunSettings m_before, m_after;
  QString m_field;
  QElapsedTimer m_lastEdit;
};

}  // namespace ffn::views

#pragma once
// RemoveRunCommand: deletes a run kept with the project; undo puts it back at its place in the list. A run is
// found by its id, not its index, since new runs may have been appended since.
#include "views/document/commands/DocumentCommand.h"

namespace ffn::views {

class RemoveRunCommand : public DocumentCommand {
 public:
  RemoveRunCommand(NetworkDocument* document, int index, Json run, const QString& text)
      : DocumentCommand(document, text), m_index(index), m_run(std::move(run)) {}

  void redo() override { document().eraseRun(key(), m_run.value("id", std::string())); }
  void undo() override { document().insertRun(key(), m_index, m_run); }

 private:
  int m_index;
  Json m_run;
};

}  // namespace ffn::views

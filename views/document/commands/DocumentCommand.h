#pragma once
// Base of every undo command: holds the document it edits (never a scene item: items come and go with undo) and
// hands its subclasses the key to the document's primitive edits.
#include <QUndoCommand>

#include "views/document/NetworkDocument.h"

namespace ffn::views {

// Ids for QUndoCommand::id(), which decides what may merge.
enum CommandId { kMoveCommandId = 1, kSetParamCommandId = 2, kSetSettingsCommandId = 3 };

class DocumentCommand : public QUndoCommand {
 protected:
  DocumentCommand(NetworkDocument* document, const QString& text) : m_document(document) { setText(text); }
  NetworkDocument& document() const { return *m_document; }
  static EditKey key() { return EditKey(); }

 private:
  NetworkDocument* m_document;
};

}  // namespace ffn::views

#pragma once
// SetParamCommand: one setting of one node. Stores the node's settings before and after as JSON. Quick repeated
// edits of the same setting (spin-box arrows, the mouse wheel) merge into one undo step.
#include <QElapsedTimer>

#include "views/document/commands/DocumentCommand.h"

namespace ffn::views {

class SetParamCommand : public DocumentCommand {
 public:
  SetParamCommand(NetworkDocument* document, NodeId node, std::string name, Json before, Json after,
                  const QString& text);

  void redo() override;
  void undo() override;
  int id() const override { return kSetParamCommandId; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  NodeId m_node;
  std::string m_name;
  Json m_before, m_after;
  QElapsedTimer m_lastEdit;
};

}  // namespace ffn::views

#pragma once
// RenameNodeCommand: a node's label (what the canvas and messages show); its id stays, as saved weights use it.
#include "views/document/commands/DocumentCommand.h"

namespace ffn::views {

class RenameNodeCommand : public DocumentCommand {
 public:
  RenameNodeCommand(NetworkDocument* document, NodeId node, std::string before, std::string after, const QString& text)
      : DocumentCommand(document, text),
        m_node(std::move(node)),
        m_before(std::move(before)),
        m_after(std::move(after)) {}

  void redo() override { document().setNodeLabel(key(), m_node, m_after); }
  void undo() override { document().setNodeLabel(key(), m_node, m_before); }

 private:
  NodeId m_node;
  std::string m_before, m_after;
};

}  // namespace ffn::views

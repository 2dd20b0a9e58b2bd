#pragma once
// LrpSettingsBar: how the heatmaps are computed, edited where they are looked at — the LRP composite (a preset:
// which rule each layer gets by its position) and, for the node selected on the canvas, a rule of its own that
// overrides the composite's choice. Both are project settings ("lrp" in the project file), so they go through the
// document (undoable, saved, used by `ffnlab-cli explain`), and the heatmaps follow them.
#include <QWidget>

#include "core/graph/Graph.h"

class QComboBox;
class QLabel;

namespace ffn::views {

class NetworkDocument;

class LrpSettingsBar : public QWidget {
  Q_OBJECT

 public:
  explicit LrpSettingsBar(NetworkDocument* document, QWidget* parent = nullptr);

  QComboBox* compositeBox() const { return m_composite; }
  QComboBox* nodeRuleBox() const { return m_nodeRule; }
  // The node whose rule the second box edits ("" = none selected: the box is disabled).
  void setNode(const NodeId& node);
  const NodeId& node() const { return m_node; }
  // Whether a node of this kind takes an LRP rule of its own (the linear layers).
  static bool takesRule(const std::string& kind);

 Q_SIGNALS:
  void statusMessage(const QString& text);

 private:
  void syncFromProject();
  void chooseComposite(int index);
  void chooseNodeRule(int index);

  NetworkDocument* m_document;
  NodeId m_node;
  QComboBox* m_composite;
  QLabel* m_nodeLabel;
  QComboBox* m_nodeRule;
};

}  // namespace ffn::views

#pragma once
// NodeItem: one node on the canvas — its label, kind and category colour, and, updated live from the document's
// check, its output shape and weight count, or, when the node is invalid, a red frame and the message (tooltip).
// Data flows down the canvas, as in most network diagrams: inputs on the top edge, the output on the bottom.
// It knows its ports and the edges attached to them, so that moving it redraws those edges.
#include <QCoreApplication>
#include <QGraphicsItem>
#include <vector>

#include "core/graph/GraphValidator.h"

namespace ffn::views {

class EdgeItem;
class PortItem;

class NodeItem : public QGraphicsItem {
  Q_DECLARE_TR_FUNCTIONS(NodeItem)

 public:
  enum { Type = UserType + 1 };
  static constexpr double kWidth = 256.0;  // room for "[32, 14, 14] · 4,640 weights"
  static constexpr double kHeight = 58.0;

  NodeItem(const Node& node, const NodeKind* kind);

  int type() const override { return Type; }
  const NodeId& nodeId() const { return m_node.id; }

  // The node's label or settings changed.
  void setNode(const Node& node);
  // The node's validation result (nullptr: not checked yet).
  void setCheck(const NodeCheck* check);
  bool isInvalid() const { return !m_error.isEmpty(); }
  QString shapeText() const { return m_shapeText; }

  PortItem* inputPort(int index) const;
  PortItem* outputPort() const { return m_output; }
  const std::vector<PortItem*>& inputPorts() const { return m_inputs; }

  void attachEdge(EdgeItem* edge);
  void detachEdge(EdgeItem* edge);

  QRectF boundingRect() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 protected:
  QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

 private:
  void updateToolTip();

  Node m_node;
  QString m_category;
  QString m_summary;
  QString m_shapeText;
  QString m_error;
  std::vector<PortItem*> m_inputs;
  PortItem* m_output = nullptr;
  std::vector<EdgeItem*> m_edges;
};

}  // namespace ffn::views

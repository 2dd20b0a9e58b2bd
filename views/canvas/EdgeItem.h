#pragma once
// EdgeItem: a connection drawn as a smooth curve from a node's output port to another node's input port. The same
// item, with no target, is the live "rubber band" edge that follows the mouse while a connection is dragged.
#include <QCoreApplication>
#include <QGraphicsPathItem>

#include "core/graph/Graph.h"

namespace ffn::views {

class NodeItem;

class EdgeItem : public QGraphicsPathItem {
  Q_DECLARE_TR_FUNCTIONS(EdgeItem)

 public:
  enum { Type = UserType + 3 };

  // A connection between two nodes on the canvas.
  EdgeItem(const Edge& edge, NodeItem* from, NodeItem* to);
  // A dragged edge: from `anchor` to wherever setLooseEnd puts the other end; `fromOutput` says which end is fixed.
  EdgeItem(QPointF anchor, bool fromOutput);

  int type() const override { return Type; }
  const Edge& edge() const { return m_edge; }
  NodeItem* source() const { return m_from; }
  NodeItem* target() const { return m_to; }

  void updatePath();
  void setLooseEnd(QPointF scenePoint);
  void setRefused(bool refused);

  QPainterPath shape() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  void setEnds(QPointF start, QPointF end);

  Edge m_edge;
  NodeItem* m_from = nullptr;
  NodeItem* m_to = nullptr;
  QPointF m_anchor;
  bool m_fromOutput = true;
  bool m_refused = false;
};

}  // namespace ffn::views

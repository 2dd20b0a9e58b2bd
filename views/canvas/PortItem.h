#pragma once
// PortItem: one port of a node, a small circle on its edge — inputs on the left, the output on the right. While an
// edge is being dragged the canvas marks each port as one that can take it or one that refuses it, with the reason.
#include <QCoreApplication>
#include <QGraphicsItem>

#include "core/graph/Graph.h"

namespace ffn::views {

class PortItem : public QGraphicsItem {
  Q_DECLARE_TR_FUNCTIONS(PortItem)

 public:
  enum { Type = UserType + 2 };
  enum class State { Normal, Candidate, Accepting, Refused };
  static constexpr double kRadius = 6.0;

  // `port` is the input index, or -1 for the output.
  PortItem(const NodeId& node, int port, QGraphicsItem* parent);

  int type() const override { return Type; }
  const NodeId& nodeId() const { return m_node; }
  bool isOutput() const { return m_port < 0; }
  int port() const { return m_port; }

  void setConnected(bool connected);
  // Candidate: can take the dragged edge; Accepting: a candidate under the cursor; Refused: cannot take it.
  void setState(State state, const QString& reason = {});
  State state() const { return m_state; }
  const QString& refusal() const { return m_reason; }

  QRectF boundingRect() const override;
  QPainterPath shape() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 protected:
  void hoverEnterEvent(QGraphicsSceneHoverEvent* event) override;
  void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;

 private:
  NodeId m_node;
  int m_port;
  bool m_connected = false;
  bool m_hovered = false;
  State m_state = State::Normal;
  QString m_reason;
};

}  // namespace ffn::views

#include "views/canvas/PortItem.h"

#include <QCursor>
#include <QGraphicsScene>
#include <QPainter>
#include <QPalette>

#include "views/style/KindStyle.h"

namespace ffn::views {

PortItem::PortItem(const NodeId& node, int port, QGraphicsItem* parent)
    : QGraphicsItem(parent), m_node(node), m_port(port) {
  setAcceptHoverEvents(true);
  setCursor(Qt::CrossCursor);
  setZValue(1);
  setToolTip(port < 0 ? tr("Output: drag to an input to connect") : tr("Input: drag to an output to connect"));
}

void PortItem::setConnected(bool connected) {
  if (connected == m_connected) return;
  m_connected = connected;
  update();
}

void PortItem::setState(State state, const QString& reason) {
  m_state = state;
  m_reason = reason;
  update();
}

QRectF PortItem::boundingRect() const {
  // Room for the enlarged ring drawn while the port is a target.
  const double r = kRadius + 4;
  return QRectF(-r, -r, 2 * r, 2 * r);
}

QPainterPath PortItem::shape() const {
  // Easier to hit than it looks.
  QPainterPath path;
  path.addEllipse(QPointF(0, 0), kRadius + 3, kRadius + 3);
  return path;
}

void PortItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
  const QPalette palette = scene() ? scene()->palette() : QPalette();
  painter->setRenderHint(QPainter::Antialiasing);
  double radius = kRadius;
  // The colour of the edges: a connected port looks like the end of its edge, a free one like an open socket.
  QColor ink = palette.color(QPalette::Text);
  ink.setAlphaF(0.6f);
  QColor fill = m_connected ? ink : palette.color(QPalette::Base);
  QPen pen(ink, 1.5);
  if (m_connected) radius -= 1.5;
  switch (m_state) {
    case State::Normal:
      if (m_hovered) radius += 2;
      break;
    case State::Candidate:
      pen = QPen(palette.color(QPalette::Highlight), 2.5);
      fill = palette.color(QPalette::Base);
      radius += 1;
      break;
    case State::Accepting:
      pen = QPen(palette.color(QPalette::Highlight), 2.5);
      fill = palette.color(QPalette::Highlight);
      radius += 3;
      break;
    case State::Refused:
      pen = QPen(errorColor(), 2.0);
      fill = palette.color(QPalette::Base);
      break;
  }
  painter->setPen(pen);
  painter->setBrush(fill);
  painter->drawEllipse(QPointF(0, 0), radius, radius);
  if (m_state == State::Refused) {
    // A small cross: this port will not take the edge.
    const double d = radius * 0.5;
    painter->drawLine(QPointF(-d, -d), QPointF(d, d));
    painter->drawLine(QPointF(-d, d), QPointF(d, -d));
  }
}

void PortItem::hoverEnterEvent(QGraphicsSceneHoverEvent*) {
  m_hovered = true;
  update();
}

void PortItem::hoverLeaveEvent(QGraphicsSceneHoverEvent*) {
  m_hovered = false;
  update();
}

}  // namespace ffn::views

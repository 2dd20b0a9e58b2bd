#include "views/canvas/EdgeItem.h"

#include <QGraphicsScene>
#include <QPainter>
#include <QPainterPathStroker>
#include <QPalette>
#include <cmath>

#include "views/canvas/NodeItem.h"
#include "views/canvas/PortItem.h"
#include "views/style/KindStyle.h"

namespace ffn::views {

EdgeItem::EdgeItem(const Edge& edge, NodeItem* from, NodeItem* to) : m_edge(edge), m_from(from), m_to(to) {
  setFlag(ItemIsSelectable);
  setZValue(-1);  // under the nodes
  setToolTip(tr("%1 → %2 (select and press Delete to remove)")
                 .arg(QString::fromStdString(edge.from), QString::fromStdString(edge.to)));
  updatePath();
}

EdgeItem::EdgeItem(QPointF anchor, bool fromOutput) : m_anchor(anchor), m_fromOutput(fromOutput) {
  setZValue(2);  // above the nodes while dragged
  setLooseEnd(anchor);
}

void EdgeItem::updatePath() {
  if (!m_from || !m_to) return;
  PortItem* out = m_from->outputPort();
  PortItem* in = m_to->inputPort(m_edge.toPort);
  if (!out || !in) return;
  setEnds(out->scenePos(), in->scenePos());
}

void EdgeItem::setLooseEnd(QPointF scenePoint) {
  m_fromOutput ? setEnds(m_anchor, scenePoint) : setEnds(scenePoint, m_anchor);
}

void EdgeItem::setRefused(bool refused) {
  if (refused == m_refused) return;
  m_refused = refused;
  update();
}

void EdgeItem::setEnds(QPointF start, QPointF end) {
  // Leaves the output downwards and enters the input from above, even when the target lies higher up.
  const double reach = std::max(40.0, std::abs(end.y() - start.y()) * 0.5);
  QPainterPath path(start);
  path.cubicTo(start + QPointF(0, reach), end - QPointF(0, reach), end);
  setPath(path);
}

QPainterPath EdgeItem::shape() const {
  QPainterPathStroker stroker;
  stroker.setWidth(12);  // a thin line that is still easy to click
  return stroker.createStroke(path());
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
  const QPalette palette = scene() ? scene()->palette() : QPalette();
  QColor color = palette.color(QPalette::Text);
  color.setAlphaF(0.6f);
  double width = 2.0;
  Qt::PenStyle style = Qt::SolidLine;
  if (!m_from) style = Qt::DashLine;  // the dragged edge
  if (m_refused) color = errorColor();
  if (isSelected()) {
    color = palette.color(QPalette::Highlight);
    width = 3.0;
  }
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setPen(QPen(color, width, style, Qt::RoundCap));
  painter->setBrush(Qt::NoBrush);
  painter->drawPath(path());
}

}  // namespace ffn::views

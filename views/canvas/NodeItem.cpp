#include "views/canvas/NodeItem.h"

#include <QGraphicsScene>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>
#include <algorithm>

#include "views/canvas/EdgeItem.h"
#include "views/canvas/PortItem.h"
#include "views/style/KindStyle.h"

namespace ffn::views {
namespace {

constexpr double kRadius = 8.0;
constexpr double kAccent = 6.0;  // width of the category stripe
constexpr double kBadge = 30.0;

// "Dense 'dense1': nothing is connected to its input" -> "nothing is connected to its input": the node already
// shows its kind and label.
QString shortMessage(const QString& message) {
  const int colon = message.indexOf(QLatin1String("': "));
  return colon >= 0 ? message.mid(colon + 3) : message;
}

}  // namespace

NodeItem::NodeItem(const Node& node, const NodeKind* kind) : m_node(node) {
  setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
  setAcceptHoverEvents(true);
  setCacheMode(DeviceCoordinateCache);
  setPos(node.position.x, node.position.y);
  if (kind) {
    m_category = QString::fromStdString(kind->category);
    m_summary = QString::fromStdString(kind->summary);
    for (int i = 0; i < kind->inputPorts; ++i) {
      auto* port = new PortItem(node.id, i, this);
      port->setPos(kWidth * (i + 1) / (kind->inputPorts + 1), 0);
      m_inputs.push_back(port);
    }
    if (kind->role != NodeRole::Output) {
      m_output = new PortItem(node.id, -1, this);
      m_output->setPos(kWidth / 2, kHeight);
    }
  }
  updateToolTip();
}

void NodeItem::setNode(const Node& node) {
  m_node = node;
  updateToolTip();
  update();
}

void NodeItem::setCheck(const NodeCheck* check) {
  QString shape, error;
  if (check) {
    error = QString::fromStdString(check->error);
    if (!check->outputShape.empty()) {
      shape = QString::fromStdString(check->outputShape.toString());
      if (check->weightCount > 0)
        shape += QStringLiteral(" · ") + tr("%1 weights").arg(QLocale().toString(qlonglong(check->weightCount)));
    }
  }
  if (shape == m_shapeText && error == m_error) return;
  m_shapeText = shape;
  m_error = error;
  updateToolTip();
  update();
}

PortItem* NodeItem::inputPort(int index) const {
  return index >= 0 && index < static_cast<int>(m_inputs.size()) ? m_inputs[static_cast<std::size_t>(index)] : nullptr;
}

void NodeItem::attachEdge(EdgeItem* edge) { m_edges.push_back(edge); }
void NodeItem::detachEdge(EdgeItem* edge) { std::erase(m_edges, edge); }

QRectF NodeItem::boundingRect() const { return QRectF(-2, -2, kWidth + 4, kHeight + 4); }

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
  const QPalette palette = scene() ? scene()->palette() : QPalette();
  const QRectF body(0, 0, kWidth, kHeight);
  painter->setRenderHint(QPainter::Antialiasing);

  // Body, then the category stripe clipped to the rounded outline.
  QPainterPath outline;
  outline.addRoundedRect(body, kRadius, kRadius);
  painter->fillPath(outline, palette.color(QPalette::Base));
  painter->save();
  painter->setClipPath(outline);
  painter->fillRect(QRectF(0, 0, kAccent, kHeight), categoryColor(m_category));
  painter->restore();

  QPen frame(palette.color(QPalette::Mid), 1.0);
  if (isInvalid()) frame = QPen(errorColor(), 2.0);
  if (isSelected()) frame = QPen(palette.color(QPalette::Highlight), 2.5);
  painter->setPen(frame);
  painter->setBrush(Qt::NoBrush);
  painter->drawPath(outline);

  const double left = kAccent + 9;
  paintKindBadge(*painter, QRectF(left, (kHeight - kBadge) / 2, kBadge, kBadge), QString::fromStdString(m_node.kind));

  // First line: the label (bold) and, right-aligned and dimmed, the kind. Second line: the shape or the problem.
  const double textLeft = left + kBadge + 9;
  const double textWidth = kWidth - textLeft - 10;
  QFont font = painter->font();
  const QFontMetricsF plain(font);
  const QString kind = QString::fromStdString(m_node.kind);
  const double kindWidth = plain.horizontalAdvance(kind);
  painter->setPen(palette.color(QPalette::PlaceholderText));
  painter->drawText(QRectF(textLeft, 7, textWidth, 20), Qt::AlignRight | Qt::AlignVCenter, kind);
  font.setBold(true);
  painter->setFont(font);
  painter->setPen(palette.color(QPalette::Text));
  const double labelWidth = textWidth - kindWidth - 8;
  painter->drawText(QRectF(textLeft, 7, labelWidth, 20), Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetricsF(font).elidedText(QString::fromStdString(m_node.label), Qt::ElideRight, labelWidth));
  font.setBold(false);
  painter->setFont(font);

  const QRectF info(textLeft, 30, textWidth, 20);
  if (isInvalid()) {
    painter->setPen(errorColor());
    painter->drawText(info, Qt::AlignLeft | Qt::AlignVCenter,
                      plain.elidedText(QStringLiteral("⚠ ") + shortMessage(m_error), Qt::ElideRight, info.width()));
  } else {
    painter->setPen(palette.color(QPalette::Text));
    painter->drawText(info, Qt::AlignLeft | Qt::AlignVCenter,
                      plain.elidedText(QStringLiteral("→ ") + m_shapeText, Qt::ElideRight, info.width()));
  }
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
  if (change == ItemPositionHasChanged)
    for (EdgeItem* edge : m_edges) edge->updatePath();
  return QGraphicsItem::itemChange(change, value);
}

void NodeItem::updateToolTip() {
  QString tip = QStringLiteral("<b>%1</b> (%2)<br>%3")
                    .arg(QString::fromStdString(m_node.label).toHtmlEscaped(), QString::fromStdString(m_node.kind),
                         m_summary.toHtmlEscaped());
  if (!m_shapeText.isEmpty()) tip += QStringLiteral("<br>") + tr("Output: %1").arg(m_shapeText.toHtmlEscaped());
  if (!m_error.isEmpty())
    tip += QStringLiteral("<br><span style='color:%1'>⚠ %2</span>").arg(errorColor().name(), m_error.toHtmlEscaped());
  setToolTip(tip);
}

}  // namespace ffn::views

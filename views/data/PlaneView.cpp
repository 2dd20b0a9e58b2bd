#include "views/data/PlaneView.h"

#include <QPainter>
#include <QPainterPath>

#include "views/style/ColorMaps.h"

namespace ffn::views {

PlaneView::PlaneView(QWidget* parent) : QWidget(parent) {
  setMinimumSize(200, 200);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void PlaneView::setPlane(const PlaneData& plane, const QStringList& classNames) {
  m_plane = plane;
  m_classNames = classNames;
  m_boundary = QImage();
  update();
}

void PlaneView::setBoundary(const QImage& image) {
  m_boundary = image;
  ++m_updates;
  update();
}

void PlaneView::clear() {
  m_plane = PlaneData{};
  m_boundary = QImage();
  update();
}

void PlaneView::setPresenterMode(bool on) {
  m_presenter = on;
  update();
}

QRectF PlaneView::plotRect() const {
  const int legend = fontMetrics().height() + 8;
  const QRectF area = QRectF(rect()).adjusted(6, 6, -6, -6 - legend);
  const double side = std::max(0.0, std::min(area.width(), area.height()));
  return QRectF(area.left() + (area.width() - side) / 2, area.top(), side, side);
}

QPointF PlaneView::toWidget(QPointF p) const {
  const QRectF plot = plotRect();
  const QRectF& b = m_plane.bounds;
  return {plot.left() + (p.x() - b.left()) / b.width() * plot.width(),
          plot.bottom() - (p.y() - b.top()) / b.height() * plot.height()};
}

void PlaneView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  const QRectF plot = plotRect();
  if (!hasPlane()) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                     tr("Train a network on 2-D data (spiral, circles, xor, blobs, moons) to see its decision "
                        "boundary form here."));
    return;
  }
  painter.fillRect(plot, Qt::white);
  if (!m_boundary.isNull()) {
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(plot, m_boundary);
  }
  const double radius = (m_presenter ? 5.5 : 3.5) * std::max(0.6, std::min(1.4, plot.width() / 420.0));
  for (std::size_t i = 0; i < m_plane.points.size(); ++i) {
    const QPointF at = toWidget(m_plane.points[i]);
    const QColor color = classColor(m_plane.labels[i]);
    if (m_plane.test[i]) {  // held out: a ring, so one sees which points the network never trained on
      painter.setPen(QPen(color.darker(130), radius * 0.55));
      painter.setBrush(Qt::white);
    } else {
      painter.setPen(QPen(Qt::white, radius * 0.35));
      painter.setBrush(color);
    }
    painter.drawEllipse(at, radius, radius);
  }
  painter.setPen(QPen(palette().color(QPalette::Mid), 1));
  painter.setBrush(Qt::NoBrush);
  painter.drawRect(plot);

  // Legend: a swatch and a name per class, then the two point styles.
  double x = plot.left();
  const double y = plot.bottom() + 6;
  const int height = fontMetrics().height();
  painter.setPen(palette().color(QPalette::WindowText));
  auto item = [&](const QColor& fill, const QColor& ring, const QString& text) {
    painter.setPen(QPen(ring, 1.5));
    painter.setBrush(fill);
    painter.drawEllipse(QPointF(x + height / 2.0, y + height / 2.0), height / 3.0, height / 3.0);
    painter.setPen(palette().color(QPalette::WindowText));
    const int width = fontMetrics().horizontalAdvance(text);
    painter.drawText(QRectF(x + height, y, width + 4, height), Qt::AlignVCenter, text);
    x += height + width + 12;
  };
  for (int c = 0; c < m_classNames.size(); ++c) item(classColor(c), Qt::white, m_classNames[c]);
  item(palette().color(QPalette::Mid), Qt::white, tr("train"));
  item(Qt::white, palette().color(QPalette::Mid), tr("test"));
}

}  // namespace ffn::views

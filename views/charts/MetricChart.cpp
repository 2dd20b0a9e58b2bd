#include "views/charts/MetricChart.h"

#include <QApplication>
#include <QChart>
#include <QContextMenuEvent>
#include <QFile>
#include <QFileDialog>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMenu>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgGenerator>
#include <QToolTip>
#include <QValueAxis>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "views/style/PresenterScale.h"

namespace ffn::views {
namespace {

QString csvField(const QString& text) {
  if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"'))) return text;
  return QLatin1Char('"') + QString(text).replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
}

QString number(double value) { return QString::number(value, 'g', 5); }

}  // namespace

MetricChart::MetricChart(const QString& title, QWidget* parent)
    : QChartView(parent), m_chart(new QChart), m_x(new QValueAxis), m_y(new QValueAxis), m_axes(m_x, m_y) {
  m_chart->setTitle(title);
  m_chart->legend()->setAlignment(Qt::AlignBottom);
  m_chart->setMargins(QMargins(4, 4, 4, 4));
  m_chart->setBackgroundRoundness(0);
  m_chart->addAxis(m_x, Qt::AlignBottom);
  m_chart->addAxis(m_y, Qt::AlignLeft);
  // Ticks on nice values for whatever the axes show: following the data, zoomed (the rubber band's too), any size.
  for (QValueAxis* axis : {m_x, m_y}) connect(axis, &QValueAxis::rangeChanged, this, [this] { m_axes.applyTicks(); });
  m_x->setRange(0, 1);
  m_y->setRange(0, 1);
  setChart(m_chart);
  setRenderHint(QPainter::Antialiasing);
  setRubberBand(QChartView::RectangleRubberBand);
  setMinimumSize(kMinimumWidth, kMinimumHeight);
  setToolTip(tr("Drag a rectangle to zoom, the wheel zooms too; double-click to follow the data again. "
                "Right-click to export."));
  m_emptyText = tr("No points yet: press Train or Step.");
  updateRanges();
  applyTicks();
}

void MetricChart::applyTicks() { m_axes.setRoom(width(), height(), m_presenter ? kPresenterDrawnTextScale : 1.0); }

QString MetricChart::title() const { return m_chart->title(); }

void MetricChart::setAxisTitles(const QString& x, const QString& y) {
  m_x->setTitleText(x);
  m_y->setTitleText(y);
}

void MetricChart::setXPlan(double end) {
  if (end == m_axes.xPlan()) return;
  m_axes.setXPlan(end);
  updateRanges();
}

void MetricChart::setUnitYRange(bool on) {
  m_axes.setUnitY(on);
  updateRanges();
}

void MetricChart::clear() {
  m_chart->removeAllSeries();  // deletes them
  m_lines.clear();
  m_order.clear();
  updateRanges();
}

void MetricChart::applyPen(Line& line) {
  const double width = (line.style.faint ? 1.0 : 2.0) * (m_presenter ? 2.0 : 1.0);
  QColor color = line.style.color;
  if (line.style.faint) color.setAlpha(110);
  QPen pen(color, width, line.style.pen, Qt::RoundCap, Qt::RoundJoin);
  line.series->setPen(pen);
  line.series->setName(line.style.legendName.isEmpty() ? line.style.name : line.style.legendName);
  for (QLegendMarker* marker : m_chart->legend()->markers(line.series)) marker->setVisible(line.style.inLegend);
}

void MetricChart::appendPoints(const QString& key, const LineStyle& style, const QList<QPointF>& points) {
  auto it = m_lines.find(key);
  if (it == m_lines.end()) {
    Line line;
    line.series = new QLineSeries(m_chart);
    line.style = style;
    m_chart->addSeries(line.series);
    line.series->attachAxis(m_x);
    line.series->attachAxis(m_y);
    connect(line.series, &QLineSeries::hovered, this, [this, key](const QPointF& point, bool entered) {
      if (!entered) return QToolTip::hideText();
      m_hoverText = valueText(key, point);
      QToolTip::showText(QCursor::pos(), m_hoverText, this);
    });
    it = m_lines.insert(key, line);
    m_order << key;
  }
  Line& line = *it;
  if (line.style != style || !line.styled) {  // a pen or name set again re-renders the line and its legend
    line.style = style;
    line.styled = true;
    applyPen(line);
  }
  if (points.isEmpty()) return;

  // The whole line is rebuilt and handed over in one replace(): QXYSeries::append(list) redraws the line once per
  // point added, which made a batch of n points cost n redraws of up to kMaxPoints points each.
  QList<QPointF> all = line.series->points();
  if (line.provisionalTail) all.removeLast();
  line.provisionalTail = false;
  std::optional<QPointF> tail;
  for (const QPointF& p : points) {
    if (!std::isfinite(p.x()) || !std::isfinite(p.y())) continue;
    if (line.empty) {
      line.minX = line.maxX = p.x();
      line.minY = line.maxY = p.y();
      line.empty = false;
    }
    line.minX = std::min(line.minX, p.x());
    line.maxX = std::max(line.maxX, p.x());
    line.minY = std::min(line.minY, p.y());
    line.maxY = std::max(line.maxY, p.y());
    if (++line.skipped >= line.stride) {
      all << p;
      line.skipped = 0;
      tail.reset();
    } else {
      tail = p;
    }
    if (all.size() > kMaxPoints) {  // thin: every other point kept, and from now on every other new one
      QList<QPointF> thinned;
      thinned.reserve(all.size() / 2 + 1);
      for (qsizetype i = 0; i < all.size(); i += 2) thinned << all[i];
      all = std::move(thinned);
      line.stride *= 2;
    }
  }
  if (tail) {
    all << *tail;
    line.provisionalTail = true;
  }
  line.series->replace(all);
  updateRanges();
}

QList<QPointF> MetricChart::points(const QString& key) const {
  auto it = m_lines.find(key);
  return it == m_lines.end() ? QList<QPointF>{} : it->series->points();
}

void MetricChart::setReferenceLine(const QString& key, const LineStyle& style, double y) {
  auto it = m_lines.find(key);
  if (it == m_lines.end()) {
    appendPoints(key, style, {});
    it = m_lines.find(key);
  }
  it->reference = true;
  if (it->style != style) {
    it->style = style;
    applyPen(*it);
  }
  it->minY = it->maxY = y;
  it->empty = false;
  updateRanges();
}

void MetricChart::updateRanges() {
  double minX = std::numeric_limits<double>::max(), maxX = -minX, minY = minX, maxY = -minX;
  for (const Line& line : m_lines) {
    if (line.empty) continue;
    if (!line.reference || line.vertical) {
      minX = std::min(minX, line.minX);
      maxX = std::max(maxX, line.maxX);
    }
    if (!line.vertical) {
      minY = std::min(minY, line.minY);
      maxY = std::max(maxY, line.maxY);
    }
  }
  // No data yet: no axes (a frame of 0..1 ticks reads as data) and a line that says what will come.
  const bool empty = !hasData();
  for (QValueAxis* axis : {m_x, m_y}) axis->setVisible(!empty);
  if (minX > maxX) minX = 0, maxX = 1;
  if (minY > maxY) minY = 0, maxY = 1;
  if (maxX - minX < 1e-12) maxX = minX + 1;
  if (!m_zoomed && !empty) {
    const QRectF area = m_axes.follow(QRectF(QPointF(minX, minY), QPointF(maxX, maxY)), !m_hadData);
    minX = area.left(), maxX = area.right(), minY = area.top(), maxY = area.bottom();
  }
  // A reference line spans whatever the data spans (set again only when that changed: it is redrawn).
  for (Line& line : m_lines) {
    if (!line.reference) continue;
    const QList<QPointF> ends = line.vertical ? QList<QPointF>{{line.minX, minY}, {line.minX, maxY}}
                                              : QList<QPointF>{{minX, line.minY}, {maxX, line.minY}};
    if (line.series->points() != ends) line.series->replace(ends);
  }
  if (empty == m_hadData) viewport()->update();  // the empty text comes or goes (the scene repaints the rest)
  m_hadData = !empty;
  if (!m_zoomed) m_axes.show(empty ? QRectF(0, 0, 1, 1) : QRectF(QPointF(minX, minY), QPointF(maxX, maxY)));
}

void MetricChart::resizeEvent(QResizeEvent* event) {
  QChartView::resizeEvent(event);
  applyTicks();  // as many labels as the new size has room for
}

void MetricChart::setVerticalLine(const QString& key, const LineStyle& style, double x) {
  auto it = m_lines.find(key);
  if (it == m_lines.end()) {
    appendPoints(key, style, {});
    it = m_lines.find(key);
  }
  it->reference = it->vertical = true;
  if (it->style != style) {
    it->style = style;
    applyPen(*it);
  }
  it->minX = it->maxX = x;
  it->empty = false;
  updateRanges();
}

bool MetricChart::hasData() const {
  for (const Line& line : m_lines)
    if (!line.empty && !line.reference) return true;
  return false;
}

void MetricChart::setEmptyText(const QString& text) {
  m_emptyText = text;
  viewport()->update();
}

void MetricChart::drawForeground(QPainter* painter, const QRectF& rect) {
  QChartView::drawForeground(painter, rect);
  if (hasData() || m_emptyText.isEmpty()) return;
  painter->save();
  painter->setPen(palette().color(QPalette::PlaceholderText));
  QFont font = m_chart->legend()->font();
  painter->setFont(font);
  const QRectF area = m_chart->mapToScene(m_chart->plotArea()).boundingRect().adjusted(8, 8, -8, -8);
  painter->drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
  painter->restore();
}

void MetricChart::zoomTo(const QRectF& area) {
  const QRectF r = area.normalized();
  m_zoomed = true;
  m_axes.show(r);
}

void MetricChart::resetZoom() {
  m_zoomed = false;
  updateRanges();
}

QRectF MetricChart::visibleArea() const {
  return m_axes.shown();
}

QString MetricChart::valueText(const QString& key, QPointF chartPoint) const {
  auto it = m_lines.find(key);
  if (it == m_lines.end() || it->series->count() == 0) return {};
  const QList<QPointF> points = it->series->points();
  QPointF nearest = points.first();
  for (const QPointF& p : points)
    if (std::abs(p.x() - chartPoint.x()) < std::abs(nearest.x() - chartPoint.x())) nearest = p;
  if (it->reference) nearest.setX(chartPoint.x());
  const QString x = m_x->titleText().isEmpty() ? QStringLiteral("x") : m_x->titleText().toLower();
  return tr("%1\n%2 at %3 %4").arg(it->style.name, number(nearest.y()), x, number(nearest.x()));
}

void MetricChart::wheelEvent(QWheelEvent* event) {
  const double factor = event->angleDelta().y() > 0 ? 0.8 : 1.25;
  const QPointF centre = m_chart->mapToValue(m_chart->mapFromScene(mapToScene(event->position().toPoint())));
  const QRectF area = visibleArea();
  zoomTo(QRectF(QPointF(centre.x() - (centre.x() - area.left()) * factor, centre.y() - (centre.y() - area.top()) * factor),
                QPointF(centre.x() + (area.right() - centre.x()) * factor,
                        centre.y() + (area.bottom() - centre.y()) * factor)));
  event->accept();
}

void MetricChart::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() == Qt::RightButton) {  // the rubber band would zoom out; here it opens the menu instead
    event->accept();
    return;
  }
  const QRectF before = visibleArea();
  QChartView::mouseReleaseEvent(event);
  if (visibleArea() != before) m_zoomed = true;
}

void MetricChart::mouseDoubleClickEvent(QMouseEvent* event) {
  resetZoom();
  event->accept();
}

void MetricChart::contextMenuEvent(QContextMenuEvent* event) {
  QMenu* menu = createMenu(this);
  menu->setAttribute(Qt::WA_DeleteOnClose);
  menu->popup(event->globalPos());
}

QMenu* MetricChart::createMenu(QWidget* parent) {
  auto* menu = new QMenu(parent);
  QAction* reset = menu->addAction(tr("Reset Zoom"), this, &MetricChart::resetZoom);
  reset->setEnabled(m_zoomed);
  menu->addSeparator();
  menu->addAction(tr("Export PNG…"), this,
                  [this] { exportWithDialog(tr("PNG image (*.png)"), QStringLiteral("png"), &MetricChart::exportPng); });
  menu->addAction(tr("Export SVG…"), this,
                  [this] { exportWithDialog(tr("SVG drawing (*.svg)"), QStringLiteral("svg"), &MetricChart::exportSvg); });
  menu->addAction(tr("Export CSV…"), this,
                  [this] { exportWithDialog(tr("CSV table (*.csv)"), QStringLiteral("csv"), &MetricChart::writeCsv); });
  return menu;
}

void MetricChart::exportWithDialog(const QString& filter, const QString& suffix,
                                   bool (MetricChart::*write)(const QString&)) {
  QString name = title().toLower();
  name.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
  const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"), name + QLatin1Char('.') + suffix, filter);
  if (path.isEmpty()) return;
  if ((this->*write)(path)) Q_EMIT exported(path);
}

bool MetricChart::exportPng(const QString& path) { return grab().save(path, "PNG"); }

bool MetricChart::exportSvg(const QString& path) {
  QSvgGenerator generator;
  generator.setFileName(path);
  generator.setSize(size());
  generator.setViewBox(rect());
  generator.setTitle(title());
  QPainter painter;
  if (!painter.begin(&generator)) return false;
  render(&painter);
  return painter.end();
}

QString MetricChart::toCsv() const {
  QString text = QStringLiteral("series,%1,value\n").arg(m_x->titleText().isEmpty() ? QStringLiteral("x")
                                                                                     : csvField(m_x->titleText().toLower()));
  for (const QString& key : m_order) {
    const Line& line = m_lines[key];
    if (line.reference) continue;
    for (const QPointF& p : line.series->points())
      text += csvField(line.style.name) + QLatin1Char(',') + QString::number(p.x(), 'g', 9) + QLatin1Char(',') +
              QString::number(p.y(), 'g', 9) + QLatin1Char('\n');
  }
  return text;
}

bool MetricChart::exportCsv(const QString& path) const {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  return file.write(toCsv().toUtf8()) >= 0;
}

void MetricChart::setPresenterMode(bool on) {
  m_presenter = on;
  QFont font = QApplication::font();
  if (on) font.setPointSizeF(font.pointSizeF() * kPresenterDrawnTextScale);
  QFont titleFont = font;
  titleFont.setBold(true);
  m_chart->setTitleFont(titleFont);
  m_chart->legend()->setFont(font);
  for (QValueAxis* axis : {m_x, m_y}) {
    axis->setLabelsFont(font);
    axis->setTitleFont(font);
  }
  for (Line& line : m_lines) applyPen(line);
  applyTicks();
}

}  // namespace ffn::views

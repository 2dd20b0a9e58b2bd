#include "views/charts/ChartAxes.h"

#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace ffn::views {
namespace {

void setTicks(QValueAxis* axis, const AxisTicks& ticks) {
  axis->setTickAnchor(ticks.anchor);
  axis->setTickInterval(ticks.interval);
  axis->setLabelFormat(ticks.format);
}

}  // namespace

ChartAxes::ChartAxes(QValueAxis* x, QValueAxis* y) : m_x(x), m_y(y) {
  for (QValueAxis* axis : {m_x, m_y}) axis->setTickType(QValueAxis::TicksDynamic);
}

QRectF ChartAxes::follow(const QRectF& data, bool fresh) const {
  double minX = data.left(), maxX = data.right(), minY = data.top(), maxY = data.bottom();
  if (m_xPlan > 0) {  // the whole plan from the start; a run extended past it doubles it
    double end = m_xPlan;
    while (end < maxX) end *= 2;
    minX = std::min(minX, 0.0);
    maxX = end;
  }
  if (m_unitY && minY >= 0 && maxY <= 1) return QRectF(QPointF(minX, 0.0), QPointF(maxX, 1.0));
  // The y range shown stays while the data is inside it and fills a third of it or more.
  const double lo = m_y->min(), hi = m_y->max();
  if (!fresh && lo <= minY && maxY <= hi && (maxY - minY) * 3 >= hi - lo)
    return QRectF(QPointF(minX, lo), QPointF(maxX, hi));
  // Else a new one ending on labelled ticks, a quarter of the data's span above and below (a loss that starts at
  // 2.3 keeps its axis for the run); data that never goes below 0 starts at 0 when that is near.
  // Constant data gets room of its own size (all zeros: [0, 0.25]); Qt Charts hung on an axis a few 1e-13 long.
  double span = std::max(maxY - minY, std::max(std::abs(minY), std::abs(maxY)) * 0.25);
  if (span < 1e-9) span = 1.0;
  double low = minY - span * 0.25;
  const double high = maxY + span * 0.25;
  if (minY >= 0 && (low < 0 || minY <= 0.5 * maxY)) low = 0;
  const double interval = ticksFor(m_y, low, high).interval;
  return QRectF(QPointF(minX, std::floor(low / interval) * interval),
                QPointF(maxX, std::ceil(high / interval) * interval));
}

void ChartAxes::show(const QRectF& area) {
  setRange(m_x, area.left(), area.right());
  setRange(m_y, area.top(), area.bottom());
}

QRectF ChartAxes::shown() const { return QRectF(QPointF(m_x->min(), m_y->min()), QPointF(m_x->max(), m_y->max())); }

void ChartAxes::setRange(QValueAxis* axis, double min, double max) {
  if (axis->min() == min && axis->max() == max) return;  // a range set again still re-maps every line
  // Qt Charts makes a label item per tick in range at each of the two setters below, so a range set with the old
  // interval (or the old range with the new interval) can make thousands of labels for a moment: from [0, 1] in
  // steps of 0.2 to [0, 5000] was 25,000, seconds of UI. Of the two orders, the one with fewer ticks in between.
  const AxisTicks ticks = ticksFor(axis, min, max);
  const double oldInterval = std::max(axis->tickInterval(), 1e-300);
  const bool intervalFirst = (axis->max() - axis->min()) / ticks.interval <= (max - min) / oldInterval;
  if (intervalFirst) setTicks(axis, ticks);
  axis->setRange(min, max);
  if (!intervalFirst) setTicks(axis, ticks);
}

AxisTicks ChartAxes::ticksFor(const QValueAxis* axis, double min, double max) const {
  // About one x label per 110 px of chart and one y label per 50 px (less the title and the legend). From the
  // widget's size, not the plot area's: that one moves with the labels' widths and would make ticks flicker.
  // Larger labels (presenter mode) need proportionally more room each (else they are elided to "...").
  const double room = m_textScale;
  if (axis == m_x)  // x counts epochs, steps or ensemble members: integer ticks once it spans a few
    return niceTicks(min, max, std::clamp(static_cast<int>(m_width / (110 * room)), 2, 8), true);
  return niceTicks(min, max, std::clamp(static_cast<int>((m_height - 90 * room) / (50 * room)), 2, 6), false);
}

void ChartAxes::setRoom(int width, int height, double textScale) {
  m_width = width;
  m_height = height;
  m_textScale = textScale;
  applyTicks();
}

void ChartAxes::applyTicks() {
  for (QValueAxis* axis : {m_x, m_y}) setTicks(axis, ticksFor(axis, axis->min(), axis->max()));
}

}  // namespace ffn::views

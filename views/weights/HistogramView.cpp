#include "views/weights/HistogramView.h"

#include <QPainter>
#include <algorithm>

#include "views/style/ColorMaps.h"

namespace ffn::views {

HistogramView::HistogramView(const QString& title, QWidget* parent) : QWidget(parent), m_title(title) {
  setMinimumHeight(110);
}

void HistogramView::setHistograms(std::vector<Histogram> histograms) {
  m_histograms = std::move(histograms);
  update();
}

void HistogramView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  const int line = fontMetrics().height();
  QFont bold = font();
  bold.setBold(true);
  painter.setFont(bold);
  painter.drawText(QRect(4, 0, width() - 8, line), Qt::AlignLeft | Qt::AlignVCenter, m_title);
  painter.setFont(font());
  if (m_histograms.empty()) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(rect().adjusted(4, line, -4, 0), Qt::AlignCenter, tr("Start a run to see its spread"));
    return;
  }
  const int n = static_cast<int>(m_histograms.size());
  const int gap = 10;
  const int cellWidth = std::max(40, (width() - gap * (n - 1) - 8) / n);
  const QRect area(4, line + 2, width() - 8, height() - line - 4);
  for (int i = 0; i < n; ++i) {
    const Histogram& h = m_histograms[static_cast<std::size_t>(i)];
    const QRect cell(area.left() + i * (cellWidth + gap), area.top(), cellWidth, area.height());
    // Name on top, range below, bars between.
    const QRect bars = cell.adjusted(0, line, 0, -line);
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(cell.left(), cell.top(), cell.width(), line), Qt::AlignHCenter,
                     fontMetrics().elidedText(h.name, Qt::ElideMiddle, cell.width()));
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QRect(cell.left(), bars.bottom() + 1, cell.width(), line), Qt::AlignLeft,
                     QString::number(h.low, 'g', 2));
    painter.drawText(QRect(cell.left(), bars.bottom() + 1, cell.width(), line), Qt::AlignRight,
                     QString::number(h.high, 'g', 2));
    const int top = h.counts.empty() ? 1 : std::max(1, *std::max_element(h.counts.begin(), h.counts.end()));
    const double barWidth = static_cast<double>(bars.width()) / std::max<std::size_t>(1, h.counts.size());
    const QColor color = seriesColor(i);
    for (std::size_t b = 0; b < h.counts.size(); ++b) {
      const double height = static_cast<double>(h.counts[b]) / top * bars.height();
      painter.fillRect(QRectF(bars.left() + b * barWidth, bars.bottom() - height, std::max(1.0, barWidth - 0.5), height),
                       color);
    }
    // Where zero lies, when the range spans it.
    if (h.low < 0 && h.high > 0) {
      const double zero = bars.left() + (-h.low) / (h.high - h.low) * bars.width();
      painter.setPen(QPen(palette().color(QPalette::WindowText), 1, Qt::DotLine));
      painter.drawLine(QPointF(zero, bars.top()), QPointF(zero, bars.bottom()));
    }
  }
}

}  // namespace ffn::views

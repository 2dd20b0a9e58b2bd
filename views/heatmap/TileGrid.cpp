#include "views/heatmap/TileGrid.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <cmath>

namespace ffn::views {
namespace {
constexpr int kGap = 3;
}

TileGrid::TileGrid(QWidget* parent) : QWidget(parent) {
  setMinimumSize(120, 80);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void TileGrid::setTiles(std::vector<QImage> tiles, QStringList captions) {
  const bool resized = tiles.size() != m_tiles.size() || captions.isEmpty() != m_captions.isEmpty();
  m_tiles = std::move(tiles);
  m_captions = std::move(captions);
  if (resized && m_minimumTile > 0) updateGeometry();  // another height for the same width
  update();
}

void TileGrid::setMinimumTileSize(int pixels) {
  m_minimumTile = std::max(0, pixels);
  updateGeometry();
  update();
}

TileGrid::Layout TileGrid::wrappedLayout(int width) const {
  Layout layout;
  const int n = static_cast<int>(m_tiles.size());
  layout.caption = m_captions.isEmpty() ? 0 : 2 * fontMetrics().height();
  layout.columns = std::clamp((width + kGap) / (m_minimumTile + kGap), 1, std::max(n, 1));
  layout.cell = std::max(m_minimumTile, (width - kGap * (layout.columns - 1)) / layout.columns);
  return layout;
}

int TileGrid::heightForWidth(int width) const {
  const int n = static_cast<int>(m_tiles.size());
  if (m_minimumTile <= 0 || n == 0) return minimumHeight();
  const Layout layout = wrappedLayout(width);
  const int rows = (n + layout.columns - 1) / layout.columns;
  return rows * (layout.cell + layout.caption) + (rows - 1) * kGap;
}

void TileGrid::setEmptyText(const QString& text) {
  m_emptyText = text;
  update();
}

TileGrid::Layout TileGrid::layoutFor(QSize size) const {
  Layout layout;
  const int n = static_cast<int>(m_tiles.size());
  if (n == 0) return layout;
  layout.caption = m_captions.isEmpty() ? 0 : 2 * fontMetrics().height();
  // The column count that gives the largest square cells for n tiles in this area.
  for (int columns = 1; columns <= n; ++columns) {
    const int rows = (n + columns - 1) / columns;
    const int byWidth = (size.width() - kGap * (columns - 1)) / columns;
    const int byHeight = (size.height() - kGap * (rows - 1)) / rows - layout.caption;
    const int cell = std::min(byWidth, byHeight);
    if (cell > layout.cell) {
      layout.cell = cell;
      layout.columns = columns;
    }
  }
  if (layout.cell < m_minimumTile) return wrappedLayout(size.width());  // too small to read: wrap and scroll
  return layout;
}

QRect TileGrid::tileRect(int index) const {
  const Layout layout = layoutFor(size());
  if (index < 0 || index >= static_cast<int>(m_tiles.size()) || layout.cell <= 0) return {};
  const int row = index / layout.columns, column = index % layout.columns;
  return QRect(column * (layout.cell + kGap), row * (layout.cell + kGap + layout.caption), layout.cell, layout.cell);
}

int TileGrid::tileAt(QPoint position) const {
  for (int i = 0; i < static_cast<int>(m_tiles.size()); ++i)
    if (tileRect(i).contains(position)) return i;
  return -1;
}

void TileGrid::paintTiles(QPainter& painter, QSize size) const {
  const Layout layout = layoutFor(size);
  painter.setRenderHint(QPainter::SmoothPixmapTransform, m_smooth);
  for (int i = 0; i < static_cast<int>(m_tiles.size()); ++i) {
    const int row = i / layout.columns, column = i % layout.columns;
    const QRect cell(column * (layout.cell + kGap), row * (layout.cell + kGap + layout.caption), layout.cell,
                     layout.cell);
    const QImage& tile = m_tiles[static_cast<std::size_t>(i)];
    const QSize fitted = tile.size().scaled(cell.size(), Qt::KeepAspectRatio);
    painter.drawImage(QRect(cell.topLeft() + QPoint((cell.width() - fitted.width()) / 2, 0), fitted), tile);
    if (i < m_captions.size())
      painter.drawText(QRect(cell.left(), cell.bottom() + 1, cell.width(), layout.caption),
                       Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, fittedCaption(painter.fontMetrics(), i, cell.width()));
  }
}

QString TileGrid::fittedCaption(const QFontMetrics& metrics, int index, int width) const {
  // Two lines, broken at spaces ("Shirt ≠" over "T-shirt/top"); what still overflows is elided on its line.
  const QString& caption = m_captions[index];
  const QRect wrapped = metrics.boundingRect(QRect(0, 0, width, 1000), Qt::TextWordWrap, caption);
  if (wrapped.height() <= 2 * metrics.height() && wrapped.width() <= width) return caption;
  QStringList lines;
  for (const QString& word : caption.split(QLatin1Char(' ')))
    if (!lines.isEmpty() && lines.size() >= 2)
      lines.last() += QLatin1Char(' ') + word;
    else if (!lines.isEmpty() && metrics.horizontalAdvance(lines.last() + QLatin1Char(' ') + word) <= width)
      lines.last() += QLatin1Char(' ') + word;
    else
      lines << word;
  for (QString& line : lines) line = metrics.elidedText(line, Qt::ElideRight, width);
  return lines.mid(0, 2).join(QLatin1Char('\n'));
}

bool TileGrid::captionFits(int index) const {
  const Layout layout = layoutFor(size());
  if (index < 0 || index >= m_captions.size() || layout.cell <= 0) return true;
  return fittedCaption(fontMetrics(), index, layout.cell) == m_captions[index];
}

bool TileGrid::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int index = tileAt(help->pos());
    if (index >= 0 && index < m_captions.size())
      QToolTip::showText(help->globalPos(), m_captions[index], this, tileRect(index));
    else
      QToolTip::hideText();
    return true;
  }
  return QWidget::event(event);
}

void TileGrid::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  if (m_tiles.empty()) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
    return;
  }
  paintTiles(painter, size());
}

void TileGrid::mousePressEvent(QMouseEvent* event) {
  const int index = tileAt(event->position().toPoint());
  if (index >= 0) Q_EMIT tileClicked(index);
  QWidget::mousePressEvent(event);
}

QImage TileGrid::render() const {
  QImage image(size(), QImage::Format_ARGB32_Premultiplied);
  image.fill(palette().color(QPalette::Window));
  QPainter painter(&image);
  painter.setFont(font());
  painter.setPen(palette().color(QPalette::WindowText));
  paintTiles(painter, size());
  return image;
}

}  // namespace ffn::views

#include "views/heatmap/TileGrid.h"

#include <QMouseEvent>
#include <QPainter>
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
  m_tiles = std::move(tiles);
  m_captions = std::move(captions);
  update();
}

void TileGrid::setEmptyText(const QString& text) {
  m_emptyText = text;
  update();
}

TileGrid::Layout TileGrid::layoutFor(QSize size) const {
  Layout layout;
  const int n = static_cast<int>(m_tiles.size());
  if (n == 0) return layout;
  layout.caption = m_captions.isEmpty() ? 0 : fontMetrics().height();
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
                       Qt::AlignHCenter | Qt::AlignTop, painter.fontMetrics().elidedText(m_captions[i], Qt::ElideRight, cell.width()));
  }
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

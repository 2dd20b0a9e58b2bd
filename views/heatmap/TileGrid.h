#pragma once
// TileGrid: many small pictures in a grid that fills the widget — a layer's activation maps, the first layer's
// weights, a page of heatmaps. Tiles keep their aspect and are scaled to the largest size that fits them all;
// small pictures (28 x 28 weights) stay crisp, smooth ones (maps over the plane) are interpolated. With a minimum
// tile size the grid never shrinks tiles below it: it wraps into as many columns as the width holds and asks for
// the height that takes (heightForWidth), for a scroll area around it. Captions take two lines, wrapped at spaces;
// one that still does not fit is elided, and hovering its tile shows it whole.
#include <QImage>
#include <QStringList>
#include <QWidget>
#include <vector>

namespace ffn::views {

class TileGrid : public QWidget {
  Q_OBJECT

 public:
  explicit TileGrid(QWidget* parent = nullptr);

  void setTiles(std::vector<QImage> tiles, QStringList captions = {});
  void clear() { setTiles({}); }
  const std::vector<QImage>& tiles() const { return m_tiles; }
  void setSmooth(bool smooth) { m_smooth = smooth; }
  void setMinimumTileSize(int pixels);
  int minimumTileSize() const { return m_minimumTile; }
  bool hasHeightForWidth() const override { return m_minimumTile > 0; }
  int heightForWidth(int width) const override;
  // Shown when there are no tiles.
  void setEmptyText(const QString& text);
  // The tile under a point of the widget, or -1.
  int tileAt(QPoint position) const;
  QRect tileRect(int index) const;
  // Whether tile `index`'s caption shows whole under it (else hovering the tile shows it).
  bool captionFits(int index) const;
  // The whole grid as one image (for export).
  QImage render() const;

 Q_SIGNALS:
  void tileClicked(int index);

 protected:
  bool event(QEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  struct Layout {
    int columns = 1, cell = 0, caption = 0;
  };
  Layout layoutFor(QSize size) const;
  Layout wrappedLayout(int width) const;  // minimum-size tiles, as many columns as fit
  void paintTiles(QPainter& painter, QSize size) const;
  QString fittedCaption(const QFontMetrics& metrics, int index, int width) const;

  std::vector<QImage> m_tiles;
  QStringList m_captions;
  QString m_emptyText;
  bool m_smooth = false;
  int m_minimumTile = 0;
};

}  // namespace ffn::views

#pragma once
// MetricChart: one live line chart (Qt Charts) of named series — loss and accuracy, or a rule's per-layer numbers.
// Points are appended as they arrive; a series that grows long is thinned (every other point kept, and from then
// on every other new one), so a long run costs a bounded number of points to draw. The axes follow the data until
// the user zooms (drag a rectangle, or the mouse wheel); a double-click or "Reset zoom" follows the data again.
// Following the data, the axes move rarely and in whole ticks (ChartAxes): a live run's x axis spans its whole
// plan from the start (setXPlan) and the curves grow into it; accuracies (setUnitYRange) keep [0, 1].
// Hovering a line shows the nearest value; the chart exports as PNG, SVG or CSV.
#include <QChartView>
#include <QHash>
#include <QList>
#include <QPointF>

#include "views/charts/ChartAxes.h"

class QLineSeries;
class QMenu;
class QValueAxis;

namespace ffn::views {

struct LineStyle {
  QString name;  // the legend's text and what hovering names
  QColor color;
  Qt::PenStyle pen = Qt::SolidLine;
  bool faint = false;  // thin and translucent: raw per-batch values under their epoch means
  bool inLegend = true;
  QString legendName;  // the legend's text when shorter than `name` (which hovering shows); empty: `name`
  bool operator==(const LineStyle&) const = default;
};

class MetricChart : public QChartView {
  Q_OBJECT

 public:
  // Per series, before thinning: 400 to 800 points, one or two per pixel of a chart. Every update rebuilds a
  // line whole (its path and its hover outline) and redraws it on the UI thread, at a cost that grows with this.
  static constexpr int kMaxPoints = 800;
  // The smallest size at which the title, both axes with their labels and a two-row legend stay readable.
  static constexpr int kMinimumWidth = 280;
  static constexpr int kMinimumHeight = 220;

  explicit MetricChart(const QString& title, QWidget* parent = nullptr);

  QString title() const;
  void setAxisTitles(const QString& x, const QString& y);
  // Removes every series.
  void clear();
  // While following the data, the x axis spans [0, end] (doubling when the data passes it); 0: the data's extent.
  void setXPlan(double end);
  double xPlan() const { return m_axes.xPlan(); }
  // While following data inside [0, 1], the y axis is [0, 1] (accuracies).
  void setUnitYRange(bool on);
  bool hasLine(const QString& key) const { return m_lines.contains(key); }
  QStringList lineKeys() const { return m_lines.keys(); }
  // Creates the series `key` (or restyles it) and appends `points`.
  void appendPoints(const QString& key, const LineStyle& style, const QList<QPointF>& points);
  // The points the series shows (after thinning).
  QList<QPointF> points(const QString& key) const;
  // A horizontal line across the chart at `y` (a threshold); replaced when set again.
  void setReferenceLine(const QString& key, const LineStyle& style, double y);
  // A vertical line at `x` (a reference size); the x axis always reaches it.
  void setVerticalLine(const QString& key, const LineStyle& style, double x);

  // Whether any line (reference lines aside) has a point; without, the chart shows no axes, only emptyText.
  bool hasData() const;
  void setEmptyText(const QString& text);
  QString emptyText() const { return m_emptyText; }

  // Zoom: a rectangle in chart coordinates; resetZoom follows the data again.
  void zoomTo(const QRectF& area);
  void resetZoom();
  bool isZoomed() const { return m_zoomed; }
  QRectF visibleArea() const;

  // The text shown for the point nearest to `chartPoint` on line `key` (what hovering shows).
  QString valueText(const QString& key, QPointF chartPoint) const;
  QString lastHoverText() const { return m_hoverText; }

  bool exportPng(const QString& path);
  bool exportSvg(const QString& path);
  QString toCsv() const;  // series,x,y — every point shown
  bool exportCsv(const QString& path) const;
  // The chart's menu: reset zoom and the exports (asks for file names).
  QMenu* createMenu(QWidget* parent);

  // Presenter mode: thicker lines and larger text.
  void setPresenterMode(bool on);

 Q_SIGNALS:
  void exported(const QString& path);

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;

 private:
  struct Line {
    QLineSeries* series = nullptr;
    LineStyle style;
    int stride = 1;     // keep every stride-th incoming point
    int skipped = 0;    // incoming points since the last kept one
    bool provisionalTail = false;  // the last point shown is the newest, not a kept one: it moves on
    double minX = 0, maxX = 0, minY = 0, maxY = 0;
    bool empty = true;
    bool reference = false;
    bool vertical = false;  // a reference line at x = minX, else at y = minY
    bool styled = false;    // its pen and name are set
  };
  void applyPen(Line& line);
  void updateRanges();
  void applyTicks();  // for the chart's size and text: nice tick positions and label formats
  void exportWithDialog(const QString& filter, const QString& suffix, bool (MetricChart::*write)(const QString&));
  bool writeCsv(const QString& path) { return exportCsv(path); }

  QChart* m_chart;
  QValueAxis* m_x;
  QValueAxis* m_y;
  ChartAxes m_axes;
  QHash<QString, Line> m_lines;
  QStringList m_order;  // keys in creation order (legend and CSV order)
  bool m_zoomed = false;
  bool m_hadData = false;
  bool m_presenter = false;
  QString m_hoverText;
  QString m_emptyText;
};

}  // namespace ffn::views

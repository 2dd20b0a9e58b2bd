#pragma once
// ChartAxes: a MetricChart's two value axes — which ranges they show while following the data, and nice ticks for
// whatever they show (following, zoomed, in any size). A range change re-maps every point of every line of the
// chart and re-lays it out (milliseconds on the UI thread), and an axis that jumps with every update is hard to
// read at a projector, so following the data the axes move rarely and in whole ticks: with a plan (a live run) the
// x axis spans [0, plan] from the first point and the curves grow into it (doubling if the run goes past it); the
// y axis ends on labelled ticks with headroom and changes only when the data leaves it or fills under a third of
// it; a unit axis (accuracies) keeps [0, 1]. Without a plan x fits the data (kept runs, ensemble sizes).
#include <QRectF>

#include "views/charts/AxisTicks.h"

class QValueAxis;

namespace ffn::views {

class ChartAxes {
 public:
  ChartAxes(QValueAxis* x, QValueAxis* y);

  void setXPlan(double end) { m_xPlan = end; }  // 0: no plan
  double xPlan() const { return m_xPlan; }
  void setUnitY(bool on) { m_unitY = on; }
  // The area to show for data in `data` (left/right: x extent, top/bottom: y's min/max); `fresh`: the axes show
  // no data yet, so nothing of their current ranges is kept.
  QRectF follow(const QRectF& data, bool fresh) const;
  // Shows exactly this area (the followed one, a zoom), setting only what changed.
  void show(const QRectF& area);
  QRectF shown() const;
  // Room for labels: the chart widget's size and the drawn text's scale (presenter mode's is larger); the ticks
  // are chosen again for it.
  void setRoom(int width, int height, double textScale);
  void applyTicks();

 private:
  AxisTicks ticksFor(const QValueAxis* axis, double min, double max) const;
  void setRange(QValueAxis* axis, double min, double max);

  QValueAxis* m_x;
  QValueAxis* m_y;
  double m_xPlan = 0;
  bool m_unitY = false;
  int m_width = 400, m_height = 300;
  double m_textScale = 1.0;
};

}  // namespace ffn::views

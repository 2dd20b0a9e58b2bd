#pragma once
// PlaneView: 2-D data and what the network makes of it — the decision boundary over the input plane (each class's
// region in its colour, paler where the network is unsure) with the data points on top (filled: training points;
// ringed: held-out test points) and a legend of the classes. The boundary arrives as an image rendered on the
// training thread; this view only scales and draws it.
#include <QImage>
#include <QStringList>
#include <QWidget>

#include "views/run/RunUpdate.h"

namespace ffn::views {

class PlaneView : public QWidget {
  Q_OBJECT

 public:
  explicit PlaneView(QWidget* parent = nullptr);

  void setPlane(const PlaneData& plane, const QStringList& classNames);
  void setBoundary(const QImage& image);
  void clear();
  bool hasPlane() const { return !m_plane.points.empty(); }
  const QImage& boundary() const { return m_boundary; }
  int boundaryUpdates() const { return m_updates; }
  // Where the plane is drawn in the widget.
  QRectF plotRect() const;
  QPointF toWidget(QPointF planePoint) const;
  void setPresenterMode(bool on);
  QSize sizeHint() const override { return {360, 360}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  PlaneData m_plane;
  QStringList m_classNames;
  QImage m_boundary;
  int m_updates = 0;
  bool m_presenter = false;
};

}  // namespace ffn::views

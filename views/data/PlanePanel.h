#pragma once
// PlanePanel: 2-D data while training — the decision boundary with the points (PlaneView) beside the activation
// maps of the node last clicked on the canvas: one small map per unit, showing where in the plane it fires.
#include <QWidget>

#include "views/run/RunUpdate.h"

class QLabel;

namespace ffn::views {

class PlaneView;
class TileGrid;

class PlanePanel : public QWidget {
  Q_OBJECT

 public:
  explicit PlanePanel(QWidget* parent = nullptr);

  PlaneView* plane() const { return m_plane; }
  TileGrid* maps() const { return m_maps; }
  QLabel* mapsCaption() const { return m_caption; }
  void showActivations(const ActivationMaps& maps);
  void clearActivations();

 private:
  PlaneView* m_plane;
  TileGrid* m_maps;
  QLabel* m_caption;
};

}  // namespace ffn::views

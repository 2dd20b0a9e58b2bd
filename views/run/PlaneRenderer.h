#pragma once
// PlaneRenderer: pictures of a network whose input is a point in the plane — its decision boundary (every point
// of a grid coloured by the predicted class, paler where the network is unsure) and the activation of each unit
// of one layer over the same plane. Runs on the training worker thread, between minibatches, on the network the
// worker owns; the pictures leave as QImages.
#include <QImage>
#include <optional>

#include "core/data/Dataset.h"
#include "core/model/Network.h"
#include "core/rules/TrainingRule.h"
#include "views/run/RunUpdate.h"

namespace ffn::views {

class PlaneRenderer {
 public:
  // The points of 2-D data (train and test splits, at most `maxPoints`) and the plane around them; nothing when
  // a sample is not two numbers.
  static std::optional<PlaneData> collect(const DataSplits& data, std::int64_t maxPoints = 4000);

  PlaneRenderer(QRectF bounds, int resolution = 112, int tileResolution = 40);

  // The predicted class at every grid point, through the rule's own prediction (a local rule predicts its way).
  QImage boundary(Network& net, TrainingRule& rule);
  // One tile per unit of one layer (at most maxTiles), coloured on one scale shared by all units.
  ActivationMaps activations(Network& net, std::size_t layerIndex, const NodeId& node, const QString& title,
                             int maxTiles = 64);

 private:
  static Tensor grid(const QRectF& bounds, int resolution);

  QRectF m_bounds;
  int m_resolution, m_tileResolution;
  Tensor m_grid, m_tileGrid;  // [resolution^2, 2]: kept alive, the network remembers its last input
};

}  // namespace ffn::views

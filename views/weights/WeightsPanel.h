#pragma once
// WeightsPanel: what the network's weights look like while it learns — for image networks the first layer's
// weights drawn as images (each unit's template over the input pixels: blue negative, red positive), and for any
// network the histograms of each layer's weights and of its activations on a fixed batch of training samples.
#include <QWidget>

#include "views/run/RunUpdate.h"

class QLabel;

namespace ffn::views {

class HistogramView;
class TileGrid;

class WeightsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit WeightsPanel(QWidget* parent = nullptr);

  void showTiles(const WeightTiles& tiles);
  void showHistograms(const std::vector<Histogram>& weights, const std::vector<Histogram>& activations);
  void clear();
  TileGrid* tiles() const { return m_tiles; }
  HistogramView* weightHistograms() const { return m_weights; }
  HistogramView* activationHistograms() const { return m_activations; }

 private:
  QLabel* m_caption;
  TileGrid* m_tiles;
  HistogramView* m_weights;
  HistogramView* m_activations;
};

}  // namespace ffn::views

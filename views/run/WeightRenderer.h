#pragma once
// WeightRenderer: what a network's weights and activations look like. For an image network, the first layer's
// weights drawn as images (each unit's weights over the input pixels; or each convolution kernel), and for any
// network the spread of each layer's weights and of its activations on a fixed probe batch, as histograms.
// Runs on the training worker thread; the results leave as plain values.
#include <span>
#include <vector>

#include "core/model/Network.h"
#include "views/run/RunUpdate.h"

namespace ffn::views {

class WeightRenderer {
 public:
  explicit WeightRenderer(const Network& net);

  // Whether the first weighted layer's weights can be drawn over the input image.
  bool hasTiles() const { return m_entry >= 0; }
  WeightTiles tiles(const Network& net, int maxTiles = 64) const;

  static Histogram histogram(const QString& name, std::span<const float> values, int bins = 40);
  // One histogram per weight matrix ("dense1.weight").
  static std::vector<Histogram> weightHistograms(const Network& net, int bins = 40);
  // One histogram per layer output, for the samples of `probe` ([N, sample...]).
  static std::vector<Histogram> activationHistograms(Network& net, const Tensor& probe, int bins = 40,
                                                     std::size_t maxLayers = 8);

 private:
  int m_entry = -1;   // index into weightEntries()
  int m_height = 0, m_width = 0, m_channels = 1;  // one tile's picture
  bool m_kernels = false;  // convolution kernels [out, C, k, k] rather than unit weights [units, C*H*W]
};

}  // namespace ffn::views

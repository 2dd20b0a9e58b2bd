#pragma once
// SampleRenderer: image samples as pictures for the dataset browser, and one sample's prediction — the network's
// score for every class. Runs on the training worker thread, which owns the data and the network.
#include <vector>

#include "core/data/Dataset.h"
#include "core/model/Network.h"
#include "core/rules/TrainingRule.h"
#include "views/run/RunUpdate.h"

namespace ffn::views {

class SampleRenderer {
 public:
  // Whether samples are pictures: [1 or 3, H, W].
  static bool isImageData(const Dataset& data);
  // The first `count` samples of `split` as images (each stretched from its own min..max to black..white).
  static std::vector<ImageSample> images(const Dataset& split, std::int64_t count);
  static QImage image(const Tensor& inputs, std::int64_t row, const Shape& sampleShape);
  // The rule's class scores for sample `index` of `split`; probabilities (softmax) when the network is trained
  // with cross-entropy.
  static SamplePrediction predict(Network& net, TrainingRule& rule, const Dataset& split, std::int64_t index);
};

}  // namespace ffn::views

#include "views/run/SampleRenderer.h"

#include <algorithm>
#include <cmath>

namespace ffn::views {

bool SampleRenderer::isImageData(const Dataset& data) {
  const Shape shape = data.sampleShape();
  return shape.rank() == 3 && (shape[0] == 1 || shape[0] == 3) && shape[1] >= 4 && shape[2] >= 4;
}

QImage SampleRenderer::image(const Tensor& inputs, std::int64_t row, const Shape& sampleShape) {
  const int channels = static_cast<int>(sampleShape[0]);
  const int height = static_cast<int>(sampleShape[1]), width = static_cast<int>(sampleShape[2]);
  const std::int64_t size = sampleShape.elementCount(), plane = std::int64_t{height} * width;
  const float* x = inputs.data() + row * size;
  const auto [lowIt, highIt] = std::minmax_element(x, x + size);
  const float low = *lowIt, range = std::max(*highIt - low, 1e-6f);
  auto level = [&](std::int64_t i) { return static_cast<int>(std::lround(255.0f * (x[i] - low) / range)); };
  QImage picture(width, height, QImage::Format_RGB32);
  for (int y = 0; y < height; ++y) {
    auto* line = reinterpret_cast<QRgb*>(picture.scanLine(y));
    for (int col = 0; col < width; ++col) {
      const std::int64_t at = std::int64_t{y} * width + col;
      line[col] = channels == 1 ? qRgb(level(at), level(at), level(at))
                                : qRgb(level(at), level(plane + at), level(2 * plane + at));
    }
  }
  return picture;
}

std::vector<ImageSample> SampleRenderer::images(const Dataset& split, std::int64_t count) {
  std::vector<ImageSample> samples;
  if (!isImageData(split)) return samples;
  count = std::min(count, split.size());
  Batch batch;
  split.makeRangeBatch(0, count, batch);
  samples.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i)
    samples.push_back({i, batch.labels.empty() ? 0 : batch.label(i), image(batch.inputs, i, split.sampleShape())});
  return samples;
}

SamplePrediction SampleRenderer::predict(Network& net, TrainingRule& rule, const Dataset& split, std::int64_t index) {
  SamplePrediction result;
  if (index < 0 || index >= split.size()) return result;
  Batch batch;
  split.makeRangeBatch(index, 1, batch);
  const Tensor& scores = rule.predict(net, batch.inputs);  // [1, C]
  result.index = index;
  result.label = batch.labels.empty() ? 0 : batch.label(0);
  result.scores.assign(scores.data(), scores.data() + scores.cols());
  if (net.loss() == LossKind::CrossEntropy && !result.scores.empty()) {
    const float top = *std::max_element(result.scores.begin(), result.scores.end());
    double total = 0.0;
    for (float& s : result.scores) total += (s = std::exp(s - top));
    for (float& s : result.scores) s = static_cast<float>(s / total);
    result.probabilities = true;
  }
  result.predicted = result.scores.empty() ? -1
                         : static_cast<int>(std::max_element(result.scores.begin(), result.scores.end()) -
                                            result.scores.begin());
  return result;
}

}  // namespace ffn::views

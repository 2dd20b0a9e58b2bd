#include "core/data/ImageDataset.h"

#include <algorithm>
#include <cmath>

namespace ffn {

Result<std::unique_ptr<ImageDataset>> ImageDataset::create(Shape sampleShape, std::vector<std::uint8_t> pixels,
                                                           std::vector<std::int32_t> labels,
                                                           std::vector<std::string> classNames) {
  if (sampleShape.rank() != 3 || !sampleShape.allPositive())
    return fail("image dataset: sample shape must be [channels, height, width] with positive sizes, got ",
                sampleShape.toString());
  const auto sampleSize = static_cast<std::size_t>(sampleShape.elementCount());
  if (pixels.size() != labels.size() * sampleSize)
    return fail("image dataset: ", std::to_string(labels.size()), " labels need ",
                std::to_string(labels.size() * sampleSize), " pixels of ", sampleShape.toString(), " images, got ",
                std::to_string(pixels.size()));
  if (classNames.empty()) return fail("image dataset: no classes");
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= classNames.size())
      return fail("image dataset: label ", std::to_string(labels[i]), " of sample ", std::to_string(i),
                  " is outside 0..", std::to_string(classNames.size() - 1));
  std::unique_ptr<ImageDataset> data(new ImageDataset());
  data->m_sampleShape = std::move(sampleShape);
  data->m_sampleSize = sampleSize;
  data->m_pixels = std::move(pixels);
  data->m_labels = std::move(labels);
  data->m_classNames = std::move(classNames);
  data->rebuildLookup();
  return data;
}

void ImageDataset::makeBatch(std::span<const std::int64_t> indices, Batch& batch) const {
  const auto n = static_cast<std::int64_t>(indices.size());
  batch.inputs.resize(m_sampleShape.withBatch(n));  // [n, C, H, W]
  batch.labels.resize(Shape{n});                    // [n]
  if (!batch.targets.empty()) batch.targets = Tensor();
  float* out = batch.inputs.mutableData();
  float* labels = batch.labels.mutableData();
  const bool perPixel = !m_normalization.isIdentity() && !m_normalization.isGlobal();
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint8_t* in = m_pixels.data() + static_cast<std::size_t>(indices[i]) * m_sampleSize;
    float* row = out + static_cast<std::size_t>(i) * m_sampleSize;
    if (perPixel) {
      for (std::size_t j = 0; j < m_sampleSize; ++j)
        row[j] = m_normalization.apply(static_cast<float>(in[j]) / 255.0f, static_cast<std::int64_t>(j));
    } else {
      for (std::size_t j = 0; j < m_sampleSize; ++j) row[j] = m_lookup[in[j]];
    }
    labels[i] = static_cast<float>(m_labels[static_cast<std::size_t>(indices[i])]);
  }
}

Status ImageDataset::setNormalization(Normalization normalization) {
  const std::int64_t entries = normalization.entryCount();
  if (entries > 1 && entries != static_cast<std::int64_t>(m_sampleSize))
    return fail("image dataset: a normalization with ", std::to_string(entries), " entries does not fit ",
                m_sampleShape.toString(), " images");
  m_normalization = std::move(normalization);
  rebuildLookup();
  return {};
}

Normalization ImageDataset::fitStandardize(std::span<const std::int64_t> indices) const {
  // A histogram of byte values gives the exact mean and variance with 256 multiplications instead of N x 784.
  std::array<std::uint64_t, 256> histogram{};
  for (std::int64_t index : indices) {
    const std::uint8_t* in = m_pixels.data() + static_cast<std::size_t>(index) * m_sampleSize;
    for (std::size_t j = 0; j < m_sampleSize; ++j) ++histogram[in[j]];
  }
  double count = 0.0, sum = 0.0, sumSquares = 0.0;
  for (int v = 0; v < 256; ++v) {
    const double x = v / 255.0;
    const auto c = static_cast<double>(histogram[static_cast<std::size_t>(v)]);
    count += c;
    sum += c * x;
    sumSquares += c * x * x;
  }
  if (count == 0.0) return Normalization::global(0.0f, 1.0f);
  const double mean = sum / count;
  const double stddev = std::sqrt(std::max(0.0, sumSquares / count - mean * mean));
  return Normalization::global(static_cast<float>(mean), stddev > 1e-12 ? static_cast<float>(stddev) : 1.0f);
}

std::span<const std::uint8_t> ImageDataset::pixels(std::int64_t index) const {
  return {m_pixels.data() + static_cast<std::size_t>(index) * m_sampleSize, m_sampleSize};
}

std::size_t ImageDataset::storageBytes() const {
  return m_pixels.capacity() * sizeof(std::uint8_t) + m_labels.capacity() * sizeof(std::int32_t);
}

void ImageDataset::rebuildLookup() {
  // v / 255.0f (a division, not a multiplication by 1/255) so that the default batches hold exactly the
  // float nearest to v/255.
  for (int v = 0; v < 256; ++v)
    m_lookup[static_cast<std::size_t>(v)] = m_normalization.apply(static_cast<float>(v) / 255.0f, 0);
}

}  // namespace ffn

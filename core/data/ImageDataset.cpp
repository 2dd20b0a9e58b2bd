#include "core/data/ImageDataset.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ffn {

Result<std::unique_ptr<ImageDataset>> ImageDataset::create(Shape sampleShape, PixelBytes pixels,
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
  return data;
}

void ImageDataset::prefetchSample(std::int64_t index) const {
  // A shuffled batch reads samples scattered over tens of megabytes, each from memory the caches have not seen:
  // converting one sample while the next one's lines are already on their way hid most of that wait (makeBatch
  // was 4% of a Fashion-MNIST backprop epoch, nearly all of it stalled on these loads).
  constexpr std::size_t kLine = 64;
  const std::uint8_t* sample = m_pixels.data() + static_cast<std::size_t>(index) * m_sampleSize;
  for (std::size_t offset = 0; offset < m_sampleSize; offset += kLine) __builtin_prefetch(sample + offset);
}

void ImageDataset::shapeBatch(std::int64_t n, Batch& batch) const {
  batch.inputs.resize(m_sampleShape.withBatch(n));  // [n, C, H, W]
  batch.labels.resize(Shape{n});                    // [n]
  if (!batch.targets.empty()) batch.targets = Tensor();
}

void ImageDataset::makeBatch(std::span<const std::int64_t> indices, Batch& batch) const {
  shapeBatch(static_cast<std::int64_t>(indices.size()), batch);
  makeRows(indices, 0, static_cast<std::int64_t>(indices.size()), batch.inputs.mutableData(),
           batch.labels.mutableData());
}

void ImageDataset::makeBatchInPieces(std::span<const std::int64_t> indices, Batch& batch,
                                     const ParallelPieces& parallel) const {
  shapeBatch(static_cast<std::int64_t>(indices.size()), batch);
  // The host pointers are taken here, once: a Tensor hands out its host data on one thread at a time.
  float* inputs = batch.inputs.mutableData();
  float* labels = batch.labels.mutableData();
  parallel(static_cast<std::int64_t>(indices.size()),
           [&](std::int64_t begin, std::int64_t end) { makeRows(indices, begin, end, inputs, labels); });
}

void ImageDataset::makeRows(std::span<const std::int64_t> indices, std::int64_t begin, std::int64_t end,
                            float* out, float* labels) const {
  for (std::int64_t i = begin; i < end; ++i) {
    const std::uint8_t* in = m_pixels.data() + static_cast<std::size_t>(indices[i]) * m_sampleSize;
    if (i + 1 < end) prefetchSample(indices[i + 1]);
    m_normalization.applyToBytes(std::span<const std::uint8_t>(in, m_sampleSize),
                                 std::span<float>(out + static_cast<std::size_t>(i) * m_sampleSize, m_sampleSize));
    labels[i] = static_cast<float>(m_labels[static_cast<std::size_t>(indices[i])]);
  }
}

Status ImageDataset::setNormalization(Normalization normalization) {
  const std::int64_t entries = normalization.entryCount();
  if (entries > 1 && entries != static_cast<std::int64_t>(m_sampleSize))
    return fail("image dataset: a normalization with ", std::to_string(entries), " entries does not fit ",
                m_sampleShape.toString(), " images");
  m_normalization = std::move(normalization);
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

}  // namespace ffn

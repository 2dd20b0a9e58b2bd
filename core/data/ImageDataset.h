#pragma once
// ImageDataset: images kept as the uint8 pixels they came in (Fashion-MNIST's 60000 x 784 train set is ~47 MB,
// not the ~188 MB floats would take). Pixels become floats only in makeBatch: x/255 in [0, 1], then the
// dataset's Normalization (identity by default; a global mean/std fitted on the train split to standardize).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/base/LargePages.h"
#include "core/base/Result.h"
#include "core/data/Dataset.h"
#include "core/data/Normalization.h"

namespace ffn {

// Image bytes as datasets keep them: on huge pages when large (LargePages.h), since a batch reads them at random.
using PixelBytes = std::vector<std::uint8_t, LargePageAllocator<std::uint8_t>>;

class ImageDataset : public Dataset {
 public:
  // pixels: [N, C, H, W] row-major (N = pixels / sampleShape elements); labels: [N] in 0..classNames.size()-1.
  static Result<std::unique_ptr<ImageDataset>> create(Shape sampleShape, PixelBytes pixels,
                                                      std::vector<std::int32_t> labels,
                                                      std::vector<std::string> classNames);

  std::int64_t size() const override { return static_cast<std::int64_t>(m_labels.size()); }
  Shape sampleShape() const override { return m_sampleShape; }
  int classCount() const override { return static_cast<int>(m_classNames.size()); }
  int label(std::int64_t index) const override { return m_labels[static_cast<std::size_t>(index)]; }
  std::vector<std::string> classNames() const override { return m_classNames; }
  // indices -> batch.inputs [n, C, H, W] (normalised floats), batch.labels [n]; no targets.
  void makeBatch(std::span<const std::int64_t> indices, Batch& batch) const override;
  void makeBatchInPieces(std::span<const std::int64_t> indices, Batch& batch,
                         const ParallelPieces& parallel) const override;

  // Applied to x/255. Global (one entry), per pixel (one entry per sample element) or identity.
  Status setNormalization(Normalization normalization);
  const Normalization& normalization() const { return m_normalization; }
  // Global mean and standard deviation of x/255 over the samples `indices`.
  Normalization fitStandardize(std::span<const std::int64_t> indices) const;

  // One sample's raw pixels.
  std::span<const std::uint8_t> pixels(std::int64_t index) const;
  // Bytes held by the samples and labels (what a test asserts to keep storage compact).
  std::size_t storageBytes() const;

 private:
  ImageDataset() = default;
  // Starts fetching sample `index`'s pixels into the caches.
  void prefetchSample(std::int64_t index) const;
  // Sizes the batch for n samples (no targets).
  void shapeBatch(std::int64_t n, Batch& batch) const;
  // Rows [begin, end) of a batch shaped by shapeBatch, into its host inputs and labels.
  void makeRows(std::span<const std::int64_t> indices, std::int64_t begin, std::int64_t end, float* inputs,
                float* labels) const;

  Shape m_sampleShape;
  std::size_t m_sampleSize = 0;
  PixelBytes m_pixels;
  std::vector<std::int32_t> m_labels;
  std::vector<std::string> m_classNames;
  Normalization m_normalization;
};

}  // namespace ffn

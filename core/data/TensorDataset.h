#pragma once
// TensorDataset: float samples of any shape ([F] for tables and 2-D sets), integer class labels and, for tasks
// that learn vectors (the permutation task), optional float target vectors. A per-feature Normalization is applied
// as batches are made, so statistics fitted on the train split serve every split that views this dataset.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/data/Dataset.h"
#include "core/data/Normalization.h"

namespace ffn {

class TensorDataset : public Dataset {
 public:
  // features: [N, sample...] row-major. labels: [N] in 0..classNames.size()-1, or empty (with no class names)
  // for data that has only targets.
  static Result<std::unique_ptr<TensorDataset>> create(Shape sampleShape, std::vector<float> features,
                                                       std::vector<std::int32_t> labels,
                                                       std::vector<std::string> classNames);

  std::int64_t size() const override { return m_count; }
  Shape sampleShape() const override { return m_sampleShape; }
  int classCount() const override { return static_cast<int>(m_classNames.size()); }
  // -1 when the dataset has no labels.
  int label(std::int64_t index) const override;
  bool hasTargets() const override { return !m_targetShape.empty(); }
  Shape targetShape() const override { return m_targetShape; }
  std::vector<std::string> classNames() const override { return m_classNames; }
  // indices -> batch.inputs [n, sample...], batch.labels [n] (empty without labels), batch.targets [n, T...].
  void makeBatch(std::span<const std::int64_t> indices, Batch& batch) const override;

  // targets: [N, targetShape...] row-major.
  Status setTargets(Shape targetShape, std::vector<float> targets);
  // Identity, global (one entry) or one entry per sample element.
  Status setNormalization(Normalization normalization);
  const Normalization& normalization() const { return m_normalization; }

  // Raw (unnormalised) features: all of them, or one sample's.
  std::span<const float> features() const { return m_features; }
  std::span<const float> features(std::int64_t index) const;
  std::span<const float> targets(std::int64_t index) const;

 private:
  TensorDataset() = default;

  Shape m_sampleShape;
  std::int64_t m_count = 0;
  std::size_t m_sampleSize = 0;
  std::vector<float> m_features;
  std::vector<std::int32_t> m_labels;
  std::vector<std::string> m_classNames;
  Shape m_targetShape;
  std::size_t m_targetSize = 0;
  std::vector<float> m_targets;
  Normalization m_normalization;
};

}  // namespace ffn

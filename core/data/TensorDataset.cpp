#include "core/data/TensorDataset.h"

#include <algorithm>

namespace ffn {

Result<std::unique_ptr<TensorDataset>> TensorDataset::create(Shape sampleShape, std::vector<float> features,
                                                             std::vector<std::int32_t> labels,
                                                             std::vector<std::string> classNames) {
  if (!sampleShape.allPositive())
    return fail("tensor dataset: sample shape must have positive sizes, got ", sampleShape.toString());
  const auto sampleSize = static_cast<std::size_t>(sampleShape.elementCount());
  if (features.size() % sampleSize != 0)
    return fail("tensor dataset: ", std::to_string(features.size()), " values are not a whole number of ",
                sampleShape.toString(), " samples");
  const std::size_t count = features.size() / sampleSize;
  if (!labels.empty() && labels.size() != count)
    return fail("tensor dataset: ", std::to_string(count), " samples but ", std::to_string(labels.size()),
                " labels");
  if (!labels.empty() && classNames.empty()) return fail("tensor dataset: labels given without classes");
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= classNames.size())
      return fail("tensor dataset: label ", std::to_string(labels[i]), " of sample ", std::to_string(i),
                  " is outside 0..", std::to_string(classNames.size() - 1));
  std::unique_ptr<TensorDataset> data(new TensorDataset());
  data->m_sampleShape = std::move(sampleShape);
  data->m_count = static_cast<std::int64_t>(count);
  data->m_sampleSize = sampleSize;
  data->m_features = std::move(features);
  data->m_labels = std::move(labels);
  data->m_classNames = std::move(classNames);
  return data;
}

int TensorDataset::label(std::int64_t index) const {
  return m_labels.empty() ? -1 : m_labels[static_cast<std::size_t>(index)];
}

void TensorDataset::makeBatch(std::span<const std::int64_t> indices, Batch& batch) const {
  const auto n = static_cast<std::int64_t>(indices.size());
  batch.inputs.resize(m_sampleShape.withBatch(n));  // [n, sample...]
  float* out = batch.inputs.mutableData();
  for (std::int64_t i = 0; i < n; ++i) {
    std::span<float> row(out + static_cast<std::size_t>(i) * m_sampleSize, m_sampleSize);
    const auto in = features(indices[i]);
    std::copy(in.begin(), in.end(), row.begin());
    m_normalization.apply(row);
  }
  if (m_labels.empty()) {
    if (!batch.labels.empty()) batch.labels = Tensor();
  } else {
    batch.labels.resize(Shape{n});  // [n]
    float* labels = batch.labels.mutableData();
    for (std::int64_t i = 0; i < n; ++i) labels[i] = static_cast<float>(label(indices[i]));
  }
  if (!hasTargets()) {
    if (!batch.targets.empty()) batch.targets = Tensor();
    return;
  }
  batch.targets.resize(m_targetShape.withBatch(n));  // [n, T...]
  float* targets = batch.targets.mutableData();
  for (std::int64_t i = 0; i < n; ++i) {
    const auto in = this->targets(indices[i]);
    std::copy(in.begin(), in.end(), targets + static_cast<std::size_t>(i) * m_targetSize);
  }
}

Status TensorDataset::setTargets(Shape targetShape, std::vector<float> targets) {
  if (!targetShape.allPositive())
    return fail("tensor dataset: target shape must have positive sizes, got ", targetShape.toString());
  const auto targetSize = static_cast<std::size_t>(targetShape.elementCount());
  if (targets.size() != targetSize * static_cast<std::size_t>(m_count))
    return fail("tensor dataset: ", std::to_string(m_count), " samples need ",
                std::to_string(targetSize * static_cast<std::size_t>(m_count)), " target values of shape ",
                targetShape.toString(), ", got ", std::to_string(targets.size()));
  m_targetShape = std::move(targetShape);
  m_targetSize = targetSize;
  m_targets = std::move(targets);
  return {};
}

Status TensorDataset::setNormalization(Normalization normalization) {
  const std::int64_t entries = normalization.entryCount();
  if (entries > 1 && entries != static_cast<std::int64_t>(m_sampleSize))
    return fail("tensor dataset: a normalization with ", std::to_string(entries), " entries does not fit ",
                m_sampleShape.toString(), " samples");
  m_normalization = std::move(normalization);
  return {};
}

std::span<const float> TensorDataset::features(std::int64_t index) const {
  return {m_features.data() + static_cast<std::size_t>(index) * m_sampleSize, m_sampleSize};
}

std::span<const float> TensorDataset::targets(std::int64_t index) const {
  return {m_targets.data() + static_cast<std::size_t>(index) * m_targetSize, m_targetSize};
}

}  // namespace ffn

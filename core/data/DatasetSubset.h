#pragma once
// DatasetSubset: another dataset seen through a list of indices (a train or validation split). It copies no
// samples: batches are made by the base dataset, which must outlive the subset.
#include <memory>

#include "core/base/Result.h"
#include "core/data/Dataset.h"

namespace ffn {

class DatasetSubset : public Dataset {
 public:
  // Every index must lie in 0..base.size()-1; repeats are allowed (resampling).
  static Result<std::unique_ptr<DatasetSubset>> create(const Dataset& base, std::vector<std::int64_t> indices);

  std::int64_t size() const override { return static_cast<std::int64_t>(m_indices.size()); }
  Shape sampleShape() const override { return m_base->sampleShape(); }
  int classCount() const override { return m_base->classCount(); }
  int label(std::int64_t index) const override { return m_base->label(baseIndex(index)); }
  bool hasTargets() const override { return m_base->hasTargets(); }
  Shape targetShape() const override { return m_base->targetShape(); }
  std::vector<std::string> classNames() const override { return m_base->classNames(); }
  void makeBatch(std::span<const std::int64_t> indices, Batch& batch) const override;
  void makeBatchInPieces(std::span<const std::int64_t> indices, Batch& batch,
                         const ParallelPieces& parallel) const override;

  const Dataset& base() const { return *m_base; }
  std::span<const std::int64_t> indices() const { return m_indices; }
  std::int64_t baseIndex(std::int64_t index) const { return m_indices[static_cast<std::size_t>(index)]; }

 private:
  DatasetSubset(const Dataset& base, std::vector<std::int64_t> indices)
      : m_base(&base), m_indices(std::move(indices)) {}

  // indices -> the base's indices
  std::vector<std::int64_t> mapped(std::span<const std::int64_t> indices) const;

  const Dataset* m_base;
  std::vector<std::int64_t> m_indices;
};

}  // namespace ffn

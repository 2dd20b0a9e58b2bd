#include "core/data/DatasetSubset.h"

namespace ffn {

Result<std::unique_ptr<DatasetSubset>> DatasetSubset::create(const Dataset& base, std::vector<std::int64_t> indices) {
  const std::int64_t count = base.size();
  for (std::size_t i = 0; i < indices.size(); ++i)
    if (indices[i] < 0 || indices[i] >= count)
      return fail("dataset subset: index ", std::to_string(indices[i]), " (entry ", std::to_string(i),
                  ") is outside a dataset of ", std::to_string(count), " samples");
  return std::unique_ptr<DatasetSubset>(new DatasetSubset(base, std::move(indices)));
}

std::vector<std::int64_t> DatasetSubset::mapped(std::span<const std::int64_t> indices) const {
  // One small index vector per batch; the samples themselves are only ever read by the base.
  std::vector<std::int64_t> result(indices.size());
  for (std::size_t i = 0; i < indices.size(); ++i) result[i] = baseIndex(indices[i]);
  return result;
}

void DatasetSubset::makeBatch(std::span<const std::int64_t> indices, Batch& batch) const {
  m_base->makeBatch(mapped(indices), batch);
}

void DatasetSubset::makeBatchInPieces(std::span<const std::int64_t> indices, Batch& batch,
                                      const ParallelPieces& parallel) const {
  m_base->makeBatchInPieces(mapped(indices), batch, parallel);
}

}  // namespace ffn

#pragma once
// Packed copies of the B operands (weights) of products that reuse them over many calls, kept between calls and
// keyed by the tensor, the view (offset, shape, stride), the orientation and the tensor's generation: any write
// to the tensor changes its generation, so a stale copy is never used (it is re-packed in place). Least recently
// used copies go once the cache holds more than its byte budget.
#include <cstdint>
#include <vector>

#include "core/backend/cpu/PackedGemm.h"
#include "core/tensor/Tensor.h"

namespace ffn {

class PackedWeightsCache {
 public:
  // The default holds the Fashion-MNIST MLP's copies (4 MB with a rule's changed weights) many times over, and
  // bounds what copies of networks no longer explained (the lab recompiles on every edit) keep in memory.
  explicit PackedWeightsCache(std::size_t byteBudget = std::size_t{64} << 20) : m_budget(byteBudget) {}

  // op(b) packed: b as a [k, n] matrix (transposed = false) or its transpose (b stored [n, k]).
  const packed::PackedMatrix& get(const TensorView& b, bool transposed);

  // For tests and benchmarks: how often get() found a current copy, and how often it packed.
  std::int64_t hits() const { return m_hits; }
  std::int64_t packs() const { return m_packs; }
  std::size_t entries() const { return m_entries.size(); }

 private:
  struct Key {
    const Tensor* tensor;
    std::int64_t offset, rows, cols, rowStride;
    bool transposed;
    bool operator==(const Key&) const = default;
  };
  struct Entry {
    Key key;
    std::uint64_t generation = 0;
    std::uint64_t lastUse = 0;
    packed::PackedMatrix matrix;
  };
  void evictBeyondBudget(const Key& keep);

  std::vector<Entry> m_entries;  // a few per layer: a linear search is cheaper than hashing
  std::size_t m_budget;
  std::uint64_t m_clock = 0;
  std::int64_t m_hits = 0, m_packs = 0;
};

}  // namespace ffn

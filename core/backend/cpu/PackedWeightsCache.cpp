#include "core/backend/cpu/PackedWeightsCache.h"

#include <algorithm>
#include <iterator>

namespace ffn {

const packed::PackedMatrix& PackedWeightsCache::get(const TensorView& b, bool transposed) {
  const Key key{b.tensor(), b.offset(), b.rows(), b.cols(), b.rowStride(), transposed};
  const std::uint64_t generation = b.tensor()->generation();
  auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.key == key; });
  if (it == m_entries.end()) {
    m_entries.push_back(Entry{key, 0, 0, {}});
    it = std::prev(m_entries.end());
  } else if (it->generation == generation) {
    it->lastUse = ++m_clock;
    ++m_hits;
    return it->matrix;
  }
  // op(b) is [k, n]: b's rows are k unless transposed.
  const std::int64_t k = transposed ? b.cols() : b.rows(), n = transposed ? b.rows() : b.cols();
  it->matrix.pack(b.data(), b.rowStride(), transposed, k, n);
  it->generation = generation;
  it->lastUse = ++m_clock;
  ++m_packs;
  evictBeyondBudget(&*it);
  // Eviction may have moved entries: find ours again.
  return std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.key == key; })->matrix;
}

void PackedWeightsCache::evictBeyondBudget(const Entry* keep) {
  auto total = [&] {
    std::size_t bytes = 0;
    for (const Entry& e : m_entries) bytes += e.matrix.bytes();
    return bytes;
  };
  const Key kept = keep->key;
  while (total() > m_budget && m_entries.size() > 1) {
    auto oldest = std::min_element(m_entries.begin(), m_entries.end(), [&](const Entry& x, const Entry& y) {
      if (x.key == kept) return false;
      if (y.key == kept) return true;
      return x.lastUse < y.lastUse;
    });
    if (oldest->key == kept) break;
    m_entries.erase(oldest);
  }
}

}  // namespace ffn

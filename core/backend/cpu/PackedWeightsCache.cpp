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
  evictBeyondBudget(key);
  // Eviction may have moved entries: find ours again.
  return std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.key == key; })->matrix;
}

void PackedWeightsCache::evictBeyondBudget(const Key& keep) {
  auto total = [&] {
    std::size_t bytes = 0;
    for (const Entry& e : m_entries) bytes += e.matrix.bytes();
    return bytes;
  };
  while (total() > m_budget) {
    // The least recently used entry other than `keep` (which is never the only one left to go).
    auto oldest = m_entries.end();
    for (auto e = m_entries.begin(); e != m_entries.end(); ++e)
      if (!(e->key == keep) && (oldest == m_entries.end() || e->lastUse < oldest->lastUse)) oldest = e;
    if (oldest == m_entries.end()) break;
    m_entries.erase(oldest);
  }
}

}  // namespace ffn

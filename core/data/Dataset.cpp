#include "core/data/Dataset.h"

#include <numeric>

namespace ffn {

std::vector<std::string> Dataset::classNames() const {
  std::vector<std::string> names;
  for (int c = 0; c < classCount(); ++c) names.push_back(std::to_string(c));
  return names;
}

void Dataset::makeRangeBatch(std::int64_t first, std::int64_t count, Batch& batch) const {
  std::vector<std::int64_t> indices(static_cast<std::size_t>(count));
  std::iota(indices.begin(), indices.end(), first);
  makeBatch(indices, batch);
}

}  // namespace ffn

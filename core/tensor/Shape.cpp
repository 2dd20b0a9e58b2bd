#include "core/tensor/Shape.h"

namespace ffn {

std::int64_t Shape::elementCount() const {
  std::int64_t count = 1;
  for (auto d : m_dims) count *= d;
  return count;
}

std::int64_t Shape::innerCount() const {
  std::int64_t count = 1;
  for (std::size_t i = 1; i < m_dims.size(); ++i) count *= m_dims[i];
  return count;
}

bool Shape::elementCountWithin(std::int64_t limit) const {
  std::int64_t count = 1;
  for (std::int64_t d : m_dims) {
    if (d < 0) return false;
    if (d != 0 && count > limit / d) return false;
    count *= d;
  }
  return count <= limit;
}

Shape Shape::withBatch(std::int64_t batch) const {
  std::vector<std::int64_t> dims;
  dims.reserve(m_dims.size() + 1);
  dims.push_back(batch);
  dims.insert(dims.end(), m_dims.begin(), m_dims.end());
  return Shape(std::move(dims));
}

Shape Shape::withoutBatch() const {
  if (m_dims.empty()) return {};
  return Shape(std::vector<std::int64_t>(m_dims.begin() + 1, m_dims.end()));
}

bool Shape::allPositive() const {
  if (m_dims.empty()) return false;
  for (auto d : m_dims)
    if (d <= 0) return false;
  return true;
}

std::string Shape::toString() const {
  std::string text = "[";
  for (std::size_t i = 0; i < m_dims.size(); ++i) {
    if (i) text += ", ";
    text += std::to_string(m_dims[i]);
  }
  return text + "]";
}

}  // namespace ffn

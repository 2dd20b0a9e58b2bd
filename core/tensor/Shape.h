#pragma once
// A tensor's dimensions, outermost first. In a Graph, shapes describe one sample ([F] or [C, H, W]);
// in a Tensor the batch dimension comes first ([N, F] or [N, C, H, W]).
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace ffn {

class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<std::int64_t> dims) : m_dims(dims) {}
  explicit Shape(std::vector<std::int64_t> dims) : m_dims(std::move(dims)) {}

  int rank() const { return static_cast<int>(m_dims.size()); }
  bool empty() const { return m_dims.empty(); }
  std::int64_t operator[](int i) const { return m_dims[static_cast<std::size_t>(i)]; }
  std::int64_t& operator[](int i) { return m_dims[static_cast<std::size_t>(i)]; }
  const std::vector<std::int64_t>& dims() const { return m_dims; }

  // Product of all dimensions (1 for a scalar shape []).
  std::int64_t elementCount() const;
  // Product of all but the first dimension: the row length when the first dimension is the batch.
  std::int64_t innerCount() const;
  // Whether no dimension is negative and their product is at most `limit`, computed without overflowing whatever
  // the dimensions are: the check for shapes read from files, before elementCount() is safe to call.
  bool elementCountWithin(std::int64_t limit) const;
  // This shape with a batch dimension in front: [F] -> [N, F].
  Shape withBatch(std::int64_t batch) const;
  // This shape without its first dimension: [N, F] -> [F].
  Shape withoutBatch() const;
  bool allPositive() const;

  std::string toString() const;  // "[1, 28, 28]"
  bool operator==(const Shape&) const = default;

 private:
  std::vector<std::int64_t> m_dims;
};

}  // namespace ffn

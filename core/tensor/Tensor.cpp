#include "core/tensor/Tensor.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

namespace ffn {

namespace {

// Generations come from one process-wide counter, taken in blocks per thread: a stamp is a thread-local
// increment (mutableData() runs in every op, on every worker), and no two stamps are ever equal.
std::atomic<std::uint64_t> g_nextGenerationBlock{1};
constexpr std::uint64_t kGenerationBlock = 1 << 16;

std::uint64_t newGeneration() {
  thread_local std::uint64_t next = 0, end = 0;
  if (next == end) {
    next = g_nextGenerationBlock.fetch_add(kGenerationBlock, std::memory_order_relaxed);
    end = next + kGenerationBlock;
  }
  return next++;
}

}  // namespace

void Tensor::stampGeneration() const {
  std::atomic_ref<std::uint64_t>(m_generation).store(newGeneration(), std::memory_order_relaxed);
}

Tensor::Tensor(Shape shape, float fill) : m_shape(std::move(shape)) {
  m_size = static_cast<std::size_t>(m_shape.elementCount());
  m_host.assign(m_size, fill);
  stampGeneration();
}

Tensor::Tensor(Shape shape, std::span<const float> values) : m_shape(std::move(shape)) {
  m_size = static_cast<std::size_t>(m_shape.elementCount());
  assert(values.size() == m_size);
  m_host.assign(values.begin(), values.end());
  stampGeneration();
}

Tensor::Tensor(const Tensor& other) : m_shape(other.m_shape), m_size(other.m_size) {
  const float* source = other.data();
  m_host.assign(source, source + m_size);
  stampGeneration();
}

// Moves give the destination a new generation: its values changed, and a cache keyed by its address must not
// mistake them for what it held before.
Tensor::Tensor(Tensor&& other) noexcept
    : m_shape(std::exchange(other.m_shape, Shape{})),
      m_size(std::exchange(other.m_size, 0)),
      m_host(std::move(other.m_host)),
      m_device(std::move(other.m_device)),
      m_side(std::exchange(other.m_side, Side::Host)) {
  stampGeneration();
  other.stampGeneration();
}

Tensor& Tensor::operator=(Tensor&& other) noexcept {
  if (this == &other) return *this;
  m_shape = std::exchange(other.m_shape, Shape{});
  m_size = std::exchange(other.m_size, 0);
  m_host = std::move(other.m_host);
  m_device = std::move(other.m_device);
  m_side = std::exchange(other.m_side, Side::Host);
  stampGeneration();
  other.stampGeneration();
  return *this;
}

Tensor& Tensor::operator=(const Tensor& other) {
  if (this == &other) return *this;
  const float* source = other.data();
  resize(other.m_shape);
  std::copy(source, source + m_size, mutableData());
  return *this;
}

void Tensor::resize(const Shape& shape) {
  m_shape = shape;
  m_size = static_cast<std::size_t>(shape.elementCount());
  if (m_host.size() < m_size) {
    // Growing: whatever either side held is discarded (contents are unspecified after resize).
    m_host.resize(m_size);
    m_side = Side::Host;
  }
  stampGeneration();
}

void Tensor::reshape(const Shape& shape) {
  assert(static_cast<std::size_t>(shape.elementCount()) == m_size);
  m_shape = shape;
}

const float* Tensor::data() const {
  if (m_side == Side::Device) {
    m_device->download(m_host.data(), m_size);
    m_side = Side::Both;
  }
  return m_host.data();
}

float* Tensor::mutableData() {
  data();
  m_side = Side::Host;
  stampGeneration();
  return m_host.data();
}

void Tensor::fill(float value) { std::fill_n(mutableData(), m_size, value); }

void Tensor::attachDeviceStorage(std::unique_ptr<DeviceStorage> storage) {
  data();  // the host copy becomes the reference before the device copy is replaced
  m_device = std::move(storage);
  m_side = Side::Host;
  stampGeneration();
}

void Tensor::syncToDevice() const {
  assert(m_device);
  if (m_side == Side::Host) {
    m_device->upload(m_host.data(), m_size);
    m_side = Side::Both;
  }
}

TensorView TensorView::rowRange(std::int64_t first, std::int64_t count) const {
  Shape shape = m_shape;
  shape[0] = count;
  TensorView view{*m_tensor, m_offset + first * rowStride(), std::move(shape)};
  view.m_rowStride = m_rowStride;
  return view;
}

TensorView TensorView::columnRange(std::int64_t first, std::int64_t count) const {
  TensorView view{*m_tensor, m_offset + first, Shape{rows(), count}};
  view.m_rowStride = rowStride();
  return view;
}

}  // namespace ffn

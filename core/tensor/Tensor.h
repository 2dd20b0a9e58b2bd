#pragma once
// Tensor: row-major float32 with a shape. The host copy lives in an aligned std::vector; a device backend may
// attach a DeviceStorage mirror, and the tensor tracks which side holds the latest values (like Caffe's
// SyncedMemory), so reading on the host after a device op downloads once, and a device op after a host write
// uploads once. CPU-only code never sees the device side.
#include <Eigen/Core>
#include <atomic>
#include <cassert>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/tensor/Shape.h"

namespace ffn {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix, Eigen::Unaligned>;
using ConstMatrixMap = Eigen::Map<const RowMatrix, Eigen::Unaligned>;
using StridedMatrixMap = Eigen::Map<RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;
using ConstStridedMatrixMap = Eigen::Map<const RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;
using VectorMap = Eigen::Map<Eigen::VectorXf, Eigen::Unaligned>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXf, Eigen::Unaligned>;

// A device-side copy of a tensor's data, owned by the tensor, created and understood by one device backend.
class DeviceStorage {
 public:
  virtual ~DeviceStorage() = default;
  virtual void upload(const float* host, std::size_t count) = 0;
  virtual void download(float* host, std::size_t count) const = 0;
  virtual std::size_t capacity() const = 0;
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape, float fill = 0.0f);
  Tensor(Shape shape, std::span<const float> values);
  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&& other) noexcept;
  Tensor& operator=(Tensor&& other) noexcept;

  const Shape& shape() const { return m_shape; }
  std::int64_t size() const { return static_cast<std::int64_t>(m_size); }
  bool empty() const { return m_size == 0; }
  // The first dimension (the batch) and the product of the rest.
  std::int64_t rows() const { return m_shape.rank() ? m_shape[0] : 1; }
  std::int64_t cols() const { return m_shape.rank() > 1 ? m_shape.innerCount() : (m_shape.rank() ? 1 : 1); }

  // Changes the shape; keeps the allocation when it is large enough (no allocation in a training step once
  // every buffer has seen its largest batch). Contents are unspecified afterwards.
  void resize(const Shape& shape);
  // Same element count, new dimensions ([N, 784] <-> [N, 1, 28, 28]).
  void reshape(const Shape& shape);

  // Host access. data() downloads from the device if the device holds newer values; mutableData() also marks
  // the host copy as the newest.
  const float* data() const;
  float* mutableData();
  std::span<const float> values() const { return {data(), m_size}; }
  std::span<float> mutableValues() { return {mutableData(), m_size}; }
  float at(std::int64_t i) const { return data()[i]; }

  // [rows, cols] views (an image batch [N, C, H, W] is [N, C*H*W]).
  ConstMatrixMap matrix() const { return {data(), rows(), cols()}; }
  MatrixMap matrix() { return {mutableData(), rows(), cols()}; }
  ConstVectorMap vector() const { return {data(), size()}; }
  VectorMap vector() { return {mutableData(), size()}; }

  void fill(float value);
  void setZero() { fill(0.0f); }

  // A number that changes whenever the values may have changed (every mutableData(), resize, assignment and
  // device write), never the same for two writes of any tensors in the process: a backend keys data derived
  // from a tensor (a packed copy of weights) by (tensor, generation) and so never uses a stale copy. A writer
  // that keeps a pointer from mutableData() must not write through it after a backend has read the tensor.
  std::uint64_t generation() const {
    return std::atomic_ref<std::uint64_t>(m_generation).load(std::memory_order_relaxed);
  }

  // Device side, for device backends only.
  DeviceStorage* deviceStorage() const { return m_device.get(); }
  void attachDeviceStorage(std::unique_ptr<DeviceStorage> storage);
  bool deviceIsNewer() const { return m_side == Side::Device; }
  bool hostIsNewer() const { return m_side == Side::Host; }
  // A device op calls this before reading the device copy (uploads if the host is newer) ...
  void syncToDevice() const;
  // ... and this after writing it.
  void markDeviceNewer() {
    m_side = Side::Device;
    stampGeneration();
  }

 private:
  enum class Side { Host, Device, Both };
  // Gives the tensor a new generation (called from any thread: parallel ops write blocks of one tensor).
  void stampGeneration() const;
  Shape m_shape;
  std::size_t m_size = 0;
  mutable std::vector<float, Eigen::aligned_allocator<float>> m_host;
  std::unique_ptr<DeviceStorage> m_device;
  mutable Side m_side = Side::Host;
  alignas(std::atomic_ref<std::uint64_t>::required_alignment) mutable std::uint64_t m_generation = 0;
};

// A window into a tensor: a shape at an element offset. Layers see their parameters as views into the
// network's one flat parameter buffer. A view of a const tensor must only be read (ops take inputs by const&).
class TensorView {
 public:
  TensorView() = default;
  TensorView(const Tensor& tensor)  // NOLINT: a whole tensor is a view of itself
      : m_tensor(const_cast<Tensor*>(&tensor)), m_offset(0), m_shape(tensor.shape()) {}
  TensorView(const Tensor& tensor, std::int64_t offset, Shape shape)
      : m_tensor(const_cast<Tensor*>(&tensor)), m_offset(offset), m_shape(std::move(shape)) {}

  Tensor* tensor() const { return m_tensor; }
  std::int64_t offset() const { return m_offset; }
  const Shape& shape() const { return m_shape; }
  std::int64_t size() const { return m_shape.elementCount(); }
  std::int64_t rows() const { return m_shape.rank() ? m_shape[0] : 1; }
  std::int64_t cols() const { return m_shape.rank() > 1 ? m_shape.innerCount() : 1; }
  bool valid() const { return m_tensor != nullptr; }

  const float* data() const { return m_tensor->data() + m_offset; }
  float* mutableData() const { return m_tensor->mutableData() + m_offset; }
  ConstStridedMatrixMap matrix() const { return {data(), rows(), cols(), Eigen::OuterStride<>(rowStride())}; }
  StridedMatrixMap mutableMatrix() const {
    return {mutableData(), rows(), cols(), Eigen::OuterStride<>(rowStride())};
  }
  ConstVectorMap vector() const { assert(contiguous()); return {data(), size()}; }
  VectorMap mutableVector() const { assert(contiguous()); return {mutableData(), size()}; }
  std::span<const float> values() const { return {data(), static_cast<std::size_t>(size())}; }
  std::span<float> mutableValues() const { return {mutableData(), static_cast<std::size_t>(size())}; }

  // Rows [first, first + count) of this view.
  TensorView rowRange(std::int64_t first, std::int64_t count) const;
  // Columns [first, first + count) of a [rows, cols] view: a strided view (rowStride() > cols()). Only gemm
  // accepts strided views; every other op asserts contiguity.
  TensorView columnRange(std::int64_t first, std::int64_t count) const;
  TensorView reshaped(Shape shape) const { return {*m_tensor, m_offset, std::move(shape)}; }
  // Distance in elements between the starts of consecutive rows.
  std::int64_t rowStride() const { return m_rowStride ? m_rowStride : cols(); }
  bool contiguous() const { return m_rowStride == 0 || m_rowStride == cols(); }

 private:
  Tensor* m_tensor = nullptr;
  std::int64_t m_offset = 0;
  Shape m_shape;
  std::int64_t m_rowStride = 0;  // 0: contiguous
};

}  // namespace ffn

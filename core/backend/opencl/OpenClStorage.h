#pragma once
// OpenClStorage: a tensor's device copy — one cl::Buffer on a shared OpenClContext. Created by OpenClBackend when
// a tensor first meets the device, owned by the tensor from then on (Tensor::attachDeviceStorage). The buffer
// only grows: a tensor resized to a smaller batch keeps it, so a training loop allocates on its first step only.
#include <memory>

#include "core/backend/opencl/ClApi.h"
#include "core/backend/opencl/OpenClContext.h"
#include "core/tensor/Tensor.h"

namespace ffn::opencl {

class OpenClStorage final : public DeviceStorage {
 public:
  explicit OpenClStorage(std::shared_ptr<OpenClContext> context);
  ~OpenClStorage() override;

  // Called by Tensor::syncToDevice from inside a device op only; may throw (the op then runs on the CPU).
  void upload(const float* host, std::size_t count) override;
  // Called from Tensor::data() anywhere: never throws. On a device failure the host copy is filled with NaN (so
  // training stops on a NaN loss rather than going on with stale numbers) and the failure is reported to the
  // context, whence OpenClBackend::takeWarnings() passes it on.
  void download(float* host, std::size_t count) const override;
  std::size_t capacity() const override { return m_capacity; }

  // Makes room for `count` floats. keepContents copies the current values into a new, larger buffer. Throws
  // OpenClFailure when the context's memory in use would pass budgetBytes, cl::Error when the driver refuses.
  void reserve(std::size_t count, bool keepContents, std::uint64_t budgetBytes);
  const cl::Buffer& buffer() const { return m_buffer; }
  const OpenClContext* context() const { return m_context.get(); }

 private:
  std::shared_ptr<OpenClContext> m_context;
  cl::Buffer m_buffer;
  std::size_t m_capacity = 0;  // floats
};

}  // namespace ffn::opencl

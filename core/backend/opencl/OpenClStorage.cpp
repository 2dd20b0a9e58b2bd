#include "core/backend/opencl/OpenClStorage.h"

#include <algorithm>
#include <limits>

#include "core/backend/opencl/OpenClFailure.h"

namespace ffn::opencl {

OpenClStorage::OpenClStorage(std::shared_ptr<OpenClContext> context) : m_context(std::move(context)) {}

OpenClStorage::~OpenClStorage() { m_context->released(m_capacity * sizeof(float)); }

void OpenClStorage::reserve(std::size_t count, bool keepContents, std::uint64_t budgetBytes) {
  count = std::max<std::size_t>(count, 1);  // OpenCL has no empty buffers
  if (count <= m_capacity) return;
  const std::size_t bytes = count * sizeof(float);
  const std::uint64_t inUse = m_context->bytesInUse();
  if (budgetBytes && inUse + bytes > budgetBytes)
    throw OpenClFailure("out of device memory: " + std::to_string(bytes >> 10) + " KB more would pass the " +
                        std::to_string(budgetBytes >> 10) + " KB budget on " + m_context->info().name + " (" +
                        std::to_string(inUse >> 10) + " KB in use)");
  cl::Buffer fresh = m_context->allocate(bytes);
  if (keepContents && m_capacity > 0) {
    try {
      m_context->queue().enqueueCopyBuffer(m_buffer, fresh, 0, 0, m_capacity * sizeof(float));
    } catch (...) {
      m_context->released(bytes);
      throw;
    }
  }
  m_context->released(m_capacity * sizeof(float));
  m_buffer = std::move(fresh);
  m_capacity = count;
}

void OpenClStorage::upload(const float* host, std::size_t count) {
  if (count == 0) return;
  if (count > m_capacity) reserve(count, false, 0);
  m_context->queue().enqueueWriteBuffer(m_buffer, CL_TRUE, 0, count * sizeof(float), host);
  m_context->countUpload(count * sizeof(float));
}

void OpenClStorage::download(float* host, std::size_t count) const {
  count = std::min(count, m_capacity);
  if (count == 0) return;
  try {
    if (m_context->transfersFailForTesting()) throw cl::Error(CL_DEVICE_NOT_AVAILABLE, "clEnqueueReadBuffer");
    m_context->queue().enqueueReadBuffer(m_buffer, CL_TRUE, 0, count * sizeof(float), host);
    m_context->countDownload(count * sizeof(float));
  } catch (const cl::Error& error) {
    std::fill_n(host, count, std::numeric_limits<float>::quiet_NaN());
    m_context->reportProblem("reading results back from " + m_context->info().name + " failed (" +
                             statusName(error.err()) + "); they were replaced by NaN");
  }
}

}  // namespace ffn::opencl

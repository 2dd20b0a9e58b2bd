#pragma once
// OpenClContext: one OpenCL device as the backend uses it — its cl::Context, one in-order command queue, the
// programs built for it (in memory, keyed by source and build options) and the device memory in use. Every
// backend and every tensor buffer on a device shares one context (acquire() hands out the living one), so
// buffers move between backends of the same device freely, ops stay in order on one queue, and a program is
// compiled once per process — and, through ProgramCache, once per machine.
//
// Owners: the context is held by shared_ptr by each OpenClBackend and each OpenClStorage; the cl:: wrappers
// release their handles when the last holder goes.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/backend/DeviceInfo.h"
#include "core/backend/opencl/ClApi.h"
#include "core/backend/opencl/ProgramCache.h"
#include "core/base/Result.h"

namespace ffn::opencl {

// Where a backend's program came from: this process's memory, the disk cache, or the compiler.
enum class ProgramOrigin { Memory, Disk, Source };
const char* programOriginName(ProgramOrigin origin);

// Host <-> device traffic through tensors (what "data stays on the device" is measured by).
struct TransferStats {
  std::uint64_t uploads = 0, downloads = 0;
  std::uint64_t uploadedBytes = 0, downloadedBytes = 0;
};

class OpenClContext {
 public:
  // The living context of `device`, or a new one. Throws cl::Error when the driver refuses.
  static std::shared_ptr<OpenClContext> acquire(const cl::Device& device, const DeviceInfo& info);
  ~OpenClContext();
  OpenClContext(const OpenClContext&) = delete;
  OpenClContext& operator=(const OpenClContext&) = delete;

  const cl::Context& context() const { return m_context; }
  const cl::Device& device() const { return m_device; }
  const cl::CommandQueue& queue() const { return m_queue; }
  const DeviceInfo& info() const { return m_info; }

  struct BuiltProgram {
    cl::Program program;
    ProgramOrigin origin = ProgramOrigin::Source;
    std::string cacheKey;
  };
  // `source` built with `options`: from memory, else from `cache`, else compiled (and stored in both).
  // A compile error is an Error carrying the build log.
  Result<BuiltProgram> program(const std::string& source, const std::string& options, const ProgramCache& cache);
  // Forgets a program (memory and disk), e.g. when kernels could not be created from a cached binary.
  void forgetProgram(const std::string& cacheKey, const ProgramCache& cache);

  // Device memory: allocations are counted so a backend can keep within a budget. allocate() throws
  // OpenClFailure when the device cannot hold `bytes` in one buffer, cl::Error when the driver refuses.
  cl::Buffer allocate(std::size_t bytes);
  void released(std::size_t bytes) { m_bytesInUse -= bytes; }
  std::uint64_t bytesInUse() const { return m_bytesInUse; }

  TransferStats transferStats() const;
  void countUpload(std::size_t bytes);
  void countDownload(std::size_t bytes);

  // Failures met where no caller can be told (a download inside Tensor::data()); backends pass them on as
  // warnings.
  void reportProblem(const std::string& message);
  std::vector<std::string> takeProblems();

  // Test seam (OpenClOptions::failTransfersForTesting): while set, reading buffers back fails.
  void setTransfersFailForTesting(bool fail) { m_transfersFail = fail; }
  bool transfersFailForTesting() const { return m_transfersFail; }

 private:
  OpenClContext(const cl::Device& device, const DeviceInfo& info);

  cl::Device m_device;
  DeviceInfo m_info;
  cl::Context m_context;
  cl::CommandQueue m_queue;
  std::mutex m_programMutex;
  std::map<std::string, cl::Program> m_programs;  // cache key -> built program
  std::atomic<std::uint64_t> m_bytesInUse{0};
  std::atomic<std::uint64_t> m_uploads{0}, m_downloads{0}, m_uploadedBytes{0}, m_downloadedBytes{0};
  std::mutex m_problemMutex;
  std::vector<std::string> m_problems;
  std::atomic<bool> m_transfersFail{false};
};

}  // namespace ffn::opencl

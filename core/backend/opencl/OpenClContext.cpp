#include "core/backend/opencl/OpenClContext.h"

#include <clblast.h>

#include <utility>

#include "core/backend/opencl/OpenClFailure.h"

namespace ffn::opencl {
namespace {

// Living contexts by device. Weak: a context goes when its last backend and buffer go.
std::mutex& registryMutex() {
  static std::mutex mutex;
  return mutex;
}
std::map<cl_device_id, std::weak_ptr<OpenClContext>>& registry() {
  static std::map<cl_device_id, std::weak_ptr<OpenClContext>> contexts;
  return contexts;
}

std::string megabytes(std::uint64_t bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MB"; }

}  // namespace

const char* programOriginName(ProgramOrigin origin) {
  switch (origin) {
    case ProgramOrigin::Memory: return "memory";
    case ProgramOrigin::Disk: return "disk cache";
    case ProgramOrigin::Source: return "compiled";
  }
  return "?";
}

std::shared_ptr<OpenClContext> OpenClContext::acquire(const cl::Device& device, const DeviceInfo& info) {
  std::lock_guard lock(registryMutex());
  auto& slot = registry()[device()];
  if (auto living = slot.lock()) return living;
  std::shared_ptr<OpenClContext> context(new OpenClContext(device, info));
  slot = context;
  return context;
}

OpenClContext::OpenClContext(const cl::Device& device, const DeviceInfo& info)
    : m_device(device), m_info(info), m_context(device), m_queue(m_context, device) {}

OpenClContext::~OpenClContext() {
  // Let queued work end before the handles go (their destructors release them).
  try {
    m_queue.finish();
  } catch (const cl::Error&) {
  }
  // CLBlast keeps its compiled programs, and through them this cl_context, in a process-wide cache: without
  // this the context would outlive us. (Contexts of other devices in use recompile CLBlast's kernels on their
  // next GEMM; using two devices at once is rare, a context dying rarer.)
  clblast::ClearCache();
}

Result<OpenClContext::BuiltProgram> OpenClContext::program(const std::string& source, const std::string& options,
                                                            const ProgramCache& cache) {
  const std::string key = "ffnlab opencl program v1\nsource " + ProgramCache::hex(ProgramCache::fingerprint(source)) +
                          "\noptions " + options + "\ndevice " + m_info.name + "\nvendor " + m_info.vendor +
                          "\ndevice version " + m_info.deviceVersion + "\ndriver " + m_info.driverVersion +
                          "\nplatform " + m_info.platform + " " + m_info.platformVersion + "\n";
  std::lock_guard lock(m_programMutex);
  if (auto found = m_programs.find(key); found != m_programs.end())
    return BuiltProgram{found->second, ProgramOrigin::Memory, key};

  const std::vector<cl::Device> devices{m_device};
  if (auto binary = cache.load(key)) {
    try {
      cl::Program program(m_context, devices, cl::Program::Binaries{*binary});
      program.build(devices, options.c_str());
      std::vector<cl::Kernel> kernels;
      program.createKernels(&kernels);
      if (!kernels.empty()) {
        m_programs[key] = program;
        return BuiltProgram{program, ProgramOrigin::Disk, key};
      }
    } catch (const cl::Error&) {
    }
    cache.discard(key);  // the driver refused it: rebuild from source below
  }

  cl::Program program;
  try {
    program = cl::Program(m_context, source);
  } catch (const cl::Error& error) {
    return fail("OpenCL could not take the kernel source on ", m_info.name, ": ", statusName(error.err()));
  }
  try {
    program.build(devices, options.c_str());
  } catch (const cl::Error& error) {
    std::string log;
    try {
      log = program.getBuildInfo<CL_PROGRAM_BUILD_LOG>(m_device);
    } catch (const cl::Error&) {
    }
    constexpr std::size_t kMaxLog = 4000;
    if (log.size() > kMaxLog) log = log.substr(0, kMaxLog) + "\n[...]";
    return fail("the OpenCL kernels did not compile on ", m_info.name, " (", statusName(error.err()),
                ", options '", options, "'):\n", log);
  }
  // Only with a cache to fill: fetching the binary is not free (PoCL compiles every kernel for it, ~10 s cold).
  if (cache.enabled()) {
    try {
      const auto binaries = program.getInfo<CL_PROGRAM_BINARIES>();
      if (!binaries.empty()) cache.store(key, binaries.front());
    } catch (const cl::Error&) {
      // No binary from this driver: nothing to cache, the program works all the same.
    }
  }
  m_programs[key] = program;
  return BuiltProgram{program, ProgramOrigin::Source, key};
}

void OpenClContext::forgetProgram(const std::string& cacheKey, const ProgramCache& cache) {
  std::lock_guard lock(m_programMutex);
  m_programs.erase(cacheKey);
  cache.discard(cacheKey);
}

cl::Buffer OpenClContext::allocate(std::size_t bytes) {
  if (bytes > m_info.maxAllocationBytes)
    throw OpenClFailure("out of device memory: a buffer of " + megabytes(bytes) + " is more than " + m_info.name +
                        " allows in one allocation (" + megabytes(m_info.maxAllocationBytes) + ")");
  cl::Buffer buffer(m_context, CL_MEM_READ_WRITE, bytes);
  m_bytesInUse += bytes;
  return buffer;
}

TransferStats OpenClContext::transferStats() const {
  return {m_uploads.load(), m_downloads.load(), m_uploadedBytes.load(), m_downloadedBytes.load()};
}

void OpenClContext::countUpload(std::size_t bytes) {
  ++m_uploads;
  m_uploadedBytes += bytes;
}

void OpenClContext::countDownload(std::size_t bytes) {
  ++m_downloads;
  m_downloadedBytes += bytes;
}

void OpenClContext::reportProblem(const std::string& message) {
  std::lock_guard lock(m_problemMutex);
  m_problems.push_back(message);
}

std::vector<std::string> OpenClContext::takeProblems() {
  std::lock_guard lock(m_problemMutex);
  return std::exchange(m_problems, {});
}

}  // namespace ffn::opencl

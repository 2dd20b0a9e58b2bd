// OpenClBackend: creation (device, context, program, kernels), the host <-> device bookkeeping every op shares,
// and the CPU fallback. The ops themselves are in the neighbouring files by family, as in core/backend/cpu/.
#include "core/backend/opencl/OpenClBackend.h"

#include <algorithm>

#include "core/backend/opencl/EmbeddedKernels.h"
#include "core/backend/opencl/OpenClDeviceList.h"

namespace ffn {
namespace {

using opencl::OpenClFailure;

// Tensors the kernels can index with int.
constexpr std::int64_t kMaxElements = 0x7fffffff;

std::size_t powerOfTwoAtMost(std::size_t limit, std::size_t wanted) {
  std::size_t size = 1;
  while (size * 2 <= std::min(limit, wanted)) size *= 2;
  return size;
}

std::string programSource() {
  std::string source;
  for (const auto& file : opencl::kKernelSources) {
    source += "// ---- ";
    source += file.name;
    source += "\n";
    source += file.text;
    source += "\n";
  }
  return source;
}

}  // namespace

Result<std::unique_ptr<OpenClBackend>> OpenClBackend::create(int deviceIndex, const OpenClOptions& options) {
  std::string where = "opencl:" + std::to_string(deviceIndex);
  try {
    auto entries = opencl::OpenClDeviceList::enumerate();
    if (!entries) return entries.error();
    if (entries->empty()) return fail("no OpenCL device found: ", opencl::OpenClDeviceList::whyEmpty());
    if (deviceIndex < 0 || deviceIndex >= static_cast<int>(entries->size()))
      return fail("there is no OpenCL device ", std::to_string(deviceIndex), " (this machine has ",
                  std::to_string(entries->size()), ")");
    const auto& entry = (*entries)[static_cast<std::size_t>(deviceIndex)];
    where += " (" + entry.info.name + ")";

    std::unique_ptr<OpenClBackend> backend(new OpenClBackend());
    backend->m_info = entry.info;
    backend->m_options = options;
    backend->m_budget = options.memoryBudgetBytes ? options.memoryBudgetBytes : entry.info.globalMemoryBytes;
    std::filesystem::path cacheDirectory = options.cacheDirectory;
    if (options.cacheDirectory.empty()) cacheDirectory = opencl::ProgramCache::defaultDirectory();
    if (options.cacheDirectory == "-") cacheDirectory.clear();
    backend->m_cache = opencl::ProgramCache(cacheDirectory);
    backend->m_context = opencl::OpenClContext::acquire(entry.device, entry.info);

    const auto maxGroup = static_cast<std::size_t>(std::max<std::int64_t>(entry.info.maxWorkGroupSize, 1));
    // CPU devices (PoCL) run a work-group as a vectorised loop over its items, so big groups amortise the
    // per-group cost (axpy on PoCL: 4.5 GB/s with 256 items, 7.5 GB/s with 4096); GPUs want a few warps.
    const bool cpuDevice = entry.info.type == "CPU";
    backend->m_elementGroup = powerOfTwoAtMost(maxGroup, cpuDevice ? 4096 : 256);
    backend->m_matrixGroup = powerOfTwoAtMost(maxGroup, cpuDevice ? 256 : 64);
    backend->m_rowGroup = powerOfTwoAtMost(maxGroup, 64);
    backend->m_reduceGroup = powerOfTwoAtMost(maxGroup, 256);
    const bool fp64 = entry.info.doublePrecision && options.doubleAccumulation;
    backend->m_accBytes = fp64 ? sizeof(double) : sizeof(float);
    const auto fpConfig = entry.device.getInfo<CL_DEVICE_SINGLE_FP_CONFIG>();

    const std::string source = programSource();
    bool retriedCache = false;
    for (;;) {
      std::string buildOptions = "-cl-std=CL1.2 -DFFN_ROW_GROUP=" + std::to_string(backend->m_rowGroup) +
                                 " -DFFN_REDUCE_GROUP=" + std::to_string(backend->m_reduceGroup);
      if (fp64) buildOptions += " -DFFN_FP64";
      // Division and sqrt rounded as on the CPU (OpenCL otherwise allows 2.5 and 3 ulp).
      if (fpConfig & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) buildOptions += " -cl-fp32-correctly-rounded-divide-sqrt";
      if (!options.extraBuildOptions.empty()) buildOptions += " " + options.extraBuildOptions;
      auto built = backend->m_context->program(source, buildOptions, backend->m_cache);
      if (!built) return fail("OpenCL device ", where, ": ", built.message());
      auto kernels = opencl::OpenClKernels::create(built->program);
      if (!kernels) {
        if (built->origin != opencl::ProgramOrigin::Source && !retriedCache) {
          backend->m_context->forgetProgram(built->cacheKey, backend->m_cache);  // a bad cached binary: rebuild
          retriedCache = true;
          continue;
        }
        return fail("OpenCL device ", where, ": ", kernels.message());
      }
      // A kernel may allow smaller work-groups than the device (registers, local memory): build for that size.
      const std::size_t limit = kernels->maxGroupSize(entry.device);
      if (limit < std::max(backend->m_rowGroup, backend->m_reduceGroup)) {
        if (limit < 1) return fail("OpenCL device ", where, ": the kernels cannot run in any work-group size");
        backend->m_rowGroup = powerOfTwoAtMost(limit, backend->m_rowGroup);
        backend->m_reduceGroup = powerOfTwoAtMost(limit, backend->m_reduceGroup);
        continue;
      }
      backend->m_elementGroup = powerOfTwoAtMost(limit, backend->m_elementGroup);
      backend->m_matrixGroup = powerOfTwoAtMost(limit, backend->m_matrixGroup);
      backend->m_kernels = std::move(kernels).value();
      backend->m_programOrigin = built->origin;
      backend->m_programKey = built->cacheKey;
      break;
    }
    backend->m_dummy = backend->m_context->allocate(sizeof(double));
    return backend;
  } catch (const cl::Error& error) {
    return fail("OpenCL device ", where, " could not be set up: ", error.what(), " failed with ",
                opencl::statusName(error.err()));
  } catch (const std::exception& error) {
    return fail("OpenCL device ", where, " could not be set up: ", error.what());
  }
}

OpenClBackend::~OpenClBackend() {
  if (!m_context) return;
  if (m_options.failTransfersForTesting) m_context->setTransfersFailForTesting(false);
  std::size_t bytes = m_gemmTempBytes + (m_dummy() ? sizeof(double) : 0);
  for (const std::size_t slot : m_scratchBytes) bytes += slot;
  m_context->released(bytes);
}

bool OpenClBackend::supportsOp(Op op) const { return op != Op::Count; }

std::string OpenClBackend::programCacheFile() const {
  return m_cache.enabled() ? m_cache.fileFor(m_programKey).string() : std::string();
}

void OpenClBackend::finish() {
  try {
    m_context->queue().finish();
  } catch (const cl::Error& error) {
    m_context->reportProblem(std::string("waiting for the device failed: ") + opencl::statusName(error.err()));
  }
}

void OpenClBackend::warn(Op op, const std::string& reason) {
  // One warning per op and kind of problem (the text up to its first ':'), however often it happens.
  const std::string kind = std::string(opName(op)) + "|" + reason.substr(0, reason.find(':'));
  if (!m_warned.insert(kind).second) return;
  m_warnings += "OpenCL " + m_info.spec + " (" + m_info.name + "): " + opName(op) + " ran on the CPU instead: " +
                reason + "\n";
}

void OpenClBackend::injectFailure() {
  if (m_options.failTransfersForTesting) m_context->setTransfersFailForTesting(true);
  throw OpenClFailure("the device stopped answering (a failure injected by a test after " +
                      std::to_string(m_options.failAfterOpsForTesting) + " ops)");
}

std::string OpenClBackend::takeWarnings() {
  for (const auto& problem : m_context->takeProblems())
    m_warnings += "OpenCL " + m_info.spec + " (" + m_info.name + "): " + problem + "\n";
  if (!m_warnings.empty() && m_warnings.back() == '\n') m_warnings.pop_back();
  return std::exchange(m_warnings, {});
}

opencl::OpenClStorage& OpenClBackend::storageFor(Tensor& tensor) {
  if (tensor.size() > kMaxElements)
    throw OpenClFailure("a tensor of " + std::to_string(tensor.size()) +
                        " elements is too large for the OpenCL kernels (their indices are 32-bit)");
  auto* storage = dynamic_cast<opencl::OpenClStorage*>(tensor.deviceStorage());
  if (!storage || storage->context() != m_context.get()) {
    auto fresh = std::make_unique<opencl::OpenClStorage>(m_context);
    fresh->reserve(static_cast<std::size_t>(tensor.size()), false, m_budget);
    storage = fresh.get();
    tensor.attachDeviceStorage(std::move(fresh));  // downloads first if another device held newer values
  }
  return *storage;
}

cl::Buffer OpenClBackend::read(const TensorView& view) {
  Tensor& tensor = *view.tensor();
  auto& storage = storageFor(tensor);
  const auto size = static_cast<std::size_t>(tensor.size());
  if (storage.capacity() < size) storage.reserve(size, !tensor.hostIsNewer(), m_budget);
  tensor.syncToDevice();
  return storage.buffer();
}

cl::Buffer OpenClBackend::write(const TensorView& view, bool overwritesView) {
  Tensor& tensor = *view.tensor();
  auto& storage = storageFor(tensor);
  const auto size = static_cast<std::size_t>(tensor.size());
  const bool wholeTensor =
      overwritesView && view.offset() == 0 && view.size() == tensor.size() && view.contiguous();
  if (wholeTensor && tensor.hostIsNewer()) {
    // Every element is about to be overwritten: no upload.
    if (storage.capacity() < size) storage.reserve(size, false, m_budget);
    return storage.buffer();
  }
  if (storage.capacity() < size) storage.reserve(size, !tensor.hostIsNewer(), m_budget);
  tensor.syncToDevice();
  return storage.buffer();
}

cl::Buffer OpenClBackend::scratch(int slot, std::size_t bytes) {
  auto& buffer = m_scratch[slot];
  auto& capacity = m_scratchBytes[slot];
  if (capacity < bytes) {
    const std::size_t grown = std::max(bytes, 2 * capacity);
    cl::Buffer fresh = m_context->allocate(grown);
    m_context->released(capacity);
    buffer = std::move(fresh);
    capacity = grown;
  }
  return buffer;
}

OpenClBackend::WindowArgs OpenClBackend::windowArgs(const Window2d& w) {
  auto i32 = [](std::int64_t value) { return static_cast<int>(value); };
  return {{i32(w.channels), i32(w.height), i32(w.width), i32(w.kernelH), i32(w.kernelW), i32(w.strideH),
           i32(w.strideW), i32(w.padH), i32(w.padW), i32(w.outHeight()), i32(w.outWidth())}};
}

}  // namespace ffn

#pragma once
// OpenClBackend: every Backend op on an OpenCL device — GEMM through CLBlast, everything else through our own
// kernels (core/backend/opencl/kernels/*.cl, embedded at build time). Tensors get a device copy (OpenClStorage)
// the first time they meet the device and keep it: between ops data stays on the device, and the host copy is
// only refreshed when host code reads it (Tensor::data()).
//
// Failure never crashes and never reaches the caller as an exception: creation returns an Error (no device,
// kernels that do not compile), and an op that cannot run on the device (out of device memory, a driver error)
// runs on the CPU over the same tensors, with the reason kept for takeWarnings().
#include <algorithm>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <type_traits>

#include "core/backend/Backend.h"
#include "core/backend/DeviceInfo.h"
#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/opencl/ClApi.h"
#include "core/backend/opencl/OpenClContext.h"
#include "core/backend/opencl/OpenClFailure.h"
#include "core/backend/opencl/OpenClKernels.h"
#include "core/backend/opencl/OpenClStorage.h"
#include "core/base/Result.h"

namespace ffn {

struct OpenClOptions {
  // Folder of the compiled-program cache; empty = ProgramCache::defaultDirectory(). "-" disables it.
  std::string cacheDirectory;
  // Device memory this backend may fill (counted over its device's buffers); 0 = the device's global memory.
  // Past it, ops run on the CPU with a warning — as when the driver itself reports it is out of memory.
  std::uint64_t memoryBudgetBytes = 0;
  // Sums (reductions, losses, row norms) in double where the device has cl_khr_fp64, as on the CPU; in float
  // otherwise, or when this is false.
  bool doubleAccumulation = true;
  // Appended to the kernels' build options (experiments; the tests use it to make the build fail).
  std::string extraBuildOptions;
  // Test seam: after this many ops (negative: never) every op fails as a driver error would, and runs on the
  // CPU. With failTransfersForTesting reading results back fails as well — a lost device: what only the device
  // held comes back as NaN (OpenClStorage::download), which a training run stops on.
  std::int64_t failAfterOpsForTesting = -1;
  bool failTransfersForTesting = false;
};

class OpenClBackend final : public Backend {
 public:
  // OpenCL device `deviceIndex` of DeviceRegistry::openClDevices().
  static Result<std::unique_ptr<OpenClBackend>> create(int deviceIndex, const OpenClOptions& options = {});
  ~OpenClBackend() override;

  std::string name() const override { return m_info.spec; }  // "opencl:0": createBackend(name()) gives it back
  bool supportsOp(Op op) const override;
  std::string takeWarnings() override;

  const DeviceInfo& device() const { return m_info; }
  // Where this backend's kernels came from (memory, disk cache, compiler) and the cache file they live in.
  opencl::ProgramOrigin programOrigin() const { return m_programOrigin; }
  std::string programCacheFile() const;
  // Host <-> device traffic on this backend's device so far (all backends of the device together).
  opencl::TransferStats transferStats() const { return m_context->transferStats(); }
  std::uint64_t deviceBytesInUse() const { return m_context->bytesInUse(); }
  // Waits until every queued op has finished (for timing).
  void finish();

  void gemm(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b, float beta,
            const TensorView& c) override;
  void addRowVector(const TensorView& y, const TensorView& bias) override;
  void sumRows(const TensorView& x, float beta, const TensorView& out) override;

  void activationForward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y) override;
  void activationBackward(ActivationKind kind, float alpha, const TensorView& x, const TensorView& y,
                          const TensorView& dy, const TensorView& dx) override;
  void softmaxRows(const TensorView& x, const TensorView& y) override;
  void softmaxBackward(const TensorView& y, const TensorView& dy, const TensorView& dx) override;
  LossResult softmaxCrossEntropy(const TensorView& logits, const TensorView& labels, float scale,
                                 const TensorView& dlogits) override;
  LossResult meanSquaredError(const TensorView& out, const TensorView& target, float scale,
                              const TensorView& dout) override;

  void axpy(float alpha, const TensorView& x, const TensorView& y) override;
  void scale(float alpha, const TensorView& x) override;
  void multiply(const TensorView& a, const TensorView& b, const TensorView& out) override;
  void copy(const TensorView& from, const TensorView& to) override;
  void fill(float value, const TensorView& x) override;

  double sum(const TensorView& x) override;
  double sumOfSquares(const TensorView& x) override;
  bool allFinite(const TensorView& x) override;
  void rowSumOfSquares(const TensorView& x, const TensorView& out) override;
  void normalizeRows(const TensorView& x, float eps, const TensorView& y, const TensorView& norms) override;
  void normalizeRowsBackward(const TensorView& y, const TensorView& norms, float eps, const TensorView& dy,
                             const TensorView& dx) override;
  void stabilizedDivide(const TensorView& r, const TensorView& z, float eps, const TensorView& out) override;
  void scaleRows(const TensorView& x, const TensorView& factors, const TensorView& y) override;
  void gatherRows(const TensorView& x, const TensorView& index, const TensorView& y) override;

  void sgdUpdate(float learningRate, float weightDecay, const TensorView& grad, const TensorView& param) override;
  void momentumUpdate(float learningRate, float momentum, bool nesterov, float weightDecay, const TensorView& grad,
                      const TensorView& velocity, const TensorView& param) override;
  void adamUpdate(const AdamSettings& settings, const TensorView& grad, const TensorView& m, const TensorView& v,
                  const TensorView& param) override;

  void layerNormForward(const TensorView& x, float eps, const TensorView& gamma, const TensorView& beta,
                        const TensorView& y, const TensorView& mean, const TensorView& rstd) override;
  void layerNormBackward(const TensorView& x, const TensorView& gamma, const TensorView& mean,
                         const TensorView& rstd, const TensorView& dy, const TensorView& dx,
                         const TensorView& dgamma, const TensorView& dbeta) override;

  void im2col(const Window2d& w, const TensorView& x, const TensorView& cols) override;
  void col2im(const Window2d& w, const TensorView& cols, const TensorView& dx) override;
  void channelsLastToFirst(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                           const TensorView& to) override;
  void channelsFirstToLast(std::int64_t n, std::int64_t hw, std::int64_t c, const TensorView& from,
                           const TensorView& to) override;
  void maxPoolForward(const Window2d& w, const TensorView& x, const TensorView& y, const TensorView& argmax) override;
  void maxPoolBackward(const Window2d& w, const TensorView& argmax, const TensorView& dy,
                       const TensorView& dx) override;
  void avgPoolForward(const Window2d& w, const TensorView& x, const TensorView& y) override;
  void avgPoolBackward(const Window2d& w, const TensorView& dy, const TensorView& dx) override;

  void basisReluForward(const TensorView& index, const TensorView& w1t, const TensorView& b1, const TensorView& w2,
                        const TensorView& b2, const TensorView& out) override;
  void basisReluBackward(const TensorView& index, const TensorView& w1t, const TensorView& b1, const TensorView& w2,
                         const TensorView& gradOut, const TensorView& dw1t, const TensorView& db1,
                         const TensorView& dw2, const TensorView& db2) override;

 private:
  // Window2d plus its output size, as the kernels' FFN_WINDOW_ARGS.
  struct WindowArgs {
    int values[11];
  };
  // Kernel arguments are buffers, ints, floats or a window; anything else (an int64 by mistake) fails to compile.
  template <typename T>
  static constexpr bool kKernelArg = std::is_same_v<T, cl::Buffer> || std::is_same_v<T, int> ||
                                     std::is_same_v<T, float> || std::is_same_v<T, WindowArgs>;

  OpenClBackend() = default;

  // The CPU backend for fallbacks, created on first use (it owns a thread pool).
  CpuBackend& cpu() {
    if (!m_cpu) m_cpu = std::make_unique<CpuBackend>();
    return *m_cpu;
  }
  // Runs a CpuBackend op. Every tensor it touches is brought to the host here first, on this thread: the CPU
  // backend reads its views from pool threads, which must not each start a download.
  template <typename Method, typename... Args>
  auto onCpu(Method method, const Args&... args) {
    (toHost(args), ...);
    return (cpu().*method)(args...);
  }
  static void toHost(const TensorView& view) {
    if (view.valid()) view.tensor()->data();
  }
  template <typename T>
  static void toHost(const T&) {}

  // Runs `device`; if it throws (out of device memory, a driver error), runs `cpu` over the same tensors instead
  // and keeps the reason as a warning. Both must produce the same result type.
  template <typename Device, typename Cpu>
  auto run(Op op, Device&& device, Cpu&& cpu) -> decltype(cpu());

  // The device buffer of a view's tensor with its latest values (uploaded when the host copy is newer).
  cl::Buffer read(const TensorView& view);
  // The device buffer to write a view into. Values outside the view are kept; when the view is the whole tensor
  // and overwritten completely, nothing is uploaded first. Call wrote() after enqueueing the kernel.
  cl::Buffer write(const TensorView& view, bool overwritesView = true);
  static void wrote(const TensorView& view) { view.tensor()->markDeviceNewer(); }
  opencl::OpenClStorage& storageFor(Tensor& tensor);
  // A scratch buffer of at least `bytes` (grown on demand; `slot` 0..2 are independent).
  cl::Buffer scratch(int slot, std::size_t bytes);
  void warn(Op op, const std::string& reason);
  [[noreturn]] void injectFailure();
  static int offset(const TensorView& view) { return static_cast<int>(view.offset()); }
  static int stride(const TensorView& view) { return static_cast<int>(view.rowStride()); }

  template <typename... Args>
  void launch(opencl::KernelId id, const cl::NDRange& global, const cl::NDRange& local, const Args&... args);
  // Launch geometry: element-wise (1-D, m_elementGroup), matrices (2-D: columns x rows), rows (one work-group
  // of m_rowGroup items per row).
  void launchElements(opencl::KernelId id, std::int64_t n, const auto&... args) {
    const std::size_t group = elementGroupFor(n);
    launch(id, cl::NDRange(roundUp(n, group)), cl::NDRange(group), args...);
  }
  // m_elementGroup, halved while that leaves fewer than four work-groups per compute unit (a 1000-column
  // sum_rows must not run as one group on one core), but not below 32.
  std::size_t elementGroupFor(std::int64_t n) const {
    std::size_t group = m_elementGroup;
    const auto wanted = static_cast<std::size_t>(4 * std::max<std::int64_t>(m_info.computeUnits, 1));
    while (group > 32 && static_cast<std::size_t>(n) / group < wanted) group /= 2;
    return group;
  }
  void launchMatrix(opencl::KernelId id, std::int64_t rows, std::int64_t cols, const auto&... args) {
    launch(id, cl::NDRange(roundUp(cols, m_matrixGroup), static_cast<std::size_t>(rows)),
           cl::NDRange(m_matrixGroup, 1), args...);
  }
  void launchRows(opencl::KernelId id, std::int64_t rows, const auto&... args) {
    launch(id, cl::NDRange(static_cast<std::size_t>(rows) * m_rowGroup), cl::NDRange(m_rowGroup), args...);
  }
  static std::size_t roundUp(std::int64_t n, std::size_t group) {
    return (static_cast<std::size_t>(n) + group - 1) / group * group;
  }
  static WindowArgs windowArgs(const Window2d& w);
  double reduce(int mode, const TensorView& x);
  LossResult collectLoss(std::int64_t rows);

  DeviceInfo m_info;
  OpenClOptions m_options;
  std::shared_ptr<opencl::OpenClContext> m_context;
  opencl::ProgramCache m_cache;
  opencl::OpenClKernels m_kernels;
  opencl::ProgramOrigin m_programOrigin = opencl::ProgramOrigin::Source;
  std::string m_programKey;
  std::size_t m_elementGroup = 64;  // work-group sizes: element-wise, matrices, rows, whole-tensor reductions
  std::size_t m_matrixGroup = 64;
  std::size_t m_rowGroup = 64;
  std::size_t m_reduceGroup = 256;
  std::size_t m_accBytes = sizeof(float);  // sizeof(acc_t) in the kernels: 8 with FFN_FP64
  std::uint64_t m_budget = 0;
  cl::Buffer m_scratch[3];
  std::size_t m_scratchBytes[3] = {0, 0, 0};
  cl::Buffer m_dummy;  // bound where a kernel's optional tensor is absent
  cl::Buffer m_gemmTemp;
  std::size_t m_gemmTempBytes = 0;
  std::unique_ptr<CpuBackend> m_cpu;
  std::set<std::string> m_warned;  // each fallback reason is reported once
  std::string m_warnings;
  std::int64_t m_opsStarted = 0;  // for OpenClOptions::failAfterOpsForTesting
};

template <typename Device, typename Cpu>
auto OpenClBackend::run(Op op, Device&& device, Cpu&& cpu) -> decltype(cpu()) {
  std::string reason;
  try {
    if (m_options.failAfterOpsForTesting >= 0 && m_opsStarted++ >= m_options.failAfterOpsForTesting)
      injectFailure();
    return device();
  } catch (const opencl::OpenClFailure& failure) {
    reason = failure.what();
  } catch (const cl::Error& error) {
    reason = std::string(error.what()) + " failed with " + opencl::statusName(error.err());
  } catch (const std::bad_alloc&) {
    reason = "out of host memory";
  } catch (const std::exception& error) {
    reason = error.what();
  }
  warn(op, reason);
  return cpu();
}

template <typename... Args>
void OpenClBackend::launch(opencl::KernelId id, const cl::NDRange& global, const cl::NDRange& local,
                           const Args&... args) {
  static_assert((kKernelArg<Args> && ...), "kernel arguments are cl::Buffer, int, float or WindowArgs");
  cl::Kernel& kernel = m_kernels[id];
  cl_uint index = 0;
  auto set = [&](const auto& arg) {
    if constexpr (std::is_same_v<std::decay_t<decltype(arg)>, WindowArgs>) {
      for (const int value : arg.values) kernel.setArg(index++, value);
    } else {
      kernel.setArg(index++, arg);
    }
  };
  (set(args), ...);
  m_context->queue().enqueueNDRangeKernel(kernel, cl::NullRange, global, local);
}

}  // namespace ffn

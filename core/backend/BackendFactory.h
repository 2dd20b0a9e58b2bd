#pragma once
// Creating a compute backend from a spec string, as the project file, the CLI (--device) and the GUI's device
// menu name it:
//   "cpu"       the reference backend (Eigen + OpenBLAS)
//   "opencl"    the default OpenCL device (the first GPU, else the first device; see DeviceRegistry)
//   "opencl:N"  OpenCL device N of DeviceRegistry::openClDevices()
// Nothing here throws; every problem (no device, kernels that do not compile, an unknown spec) is an Error whose
// message can be shown as it is.
#include <memory>
#include <string>

#include "core/backend/Backend.h"
#include "core/base/Result.h"

namespace ffn {

Result<std::unique_ptr<Backend>> createBackend(const std::string& spec);

struct BackendChoice {
  std::unique_ptr<Backend> backend;  // never null
  std::string warning;               // why the CPU runs instead of what was asked for; empty when it was granted
};

// createBackend(spec), or — when that fails — the CPU backend and a warning to show ("OpenCL is not available
// (no OpenCL device found ...); computing on the CPU"). Never fails, never crashes.
BackendChoice createBackendWithFallback(const std::string& spec);

}  // namespace ffn

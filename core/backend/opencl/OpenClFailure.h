#pragma once
// OpenClFailure: why an op cannot run on the device (out of device memory, a tensor too large for the kernels'
// 32-bit indices). Thrown and caught inside the OpenCL backend only — the op then runs on the CPU and the reason
// becomes a warning (Backend::takeWarnings); it never leaves the backend.
#include <stdexcept>
#include <string>

namespace ffn::opencl {

class OpenClFailure : public std::runtime_error {
 public:
  explicit OpenClFailure(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace ffn::opencl

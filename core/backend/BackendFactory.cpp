#include "core/backend/BackendFactory.h"

#include <charconv>
#include <optional>

#include "core/backend/DeviceRegistry.h"
#include "core/backend/cpu/CpuBackend.h"

#ifdef FFN_HAVE_OPENCL
#include "core/backend/opencl/OpenClBackend.h"
#endif

namespace ffn {
namespace {

// "opencl" -> -1 (the default device), "opencl:3" -> 3; nothing for anything else.
std::optional<int> openClIndex(const std::string& spec) {
  if (spec == "opencl") return -1;
  const std::string prefix = "opencl:";
  if (spec.rfind(prefix, 0) != 0) return std::nullopt;
  int index = -1;
  const char* first = spec.data() + prefix.size();
  const char* last = spec.data() + spec.size();
  const auto [end, error] = std::from_chars(first, last, index);
  if (error != std::errc() || end != last || first == last || index < 0) return std::nullopt;
  return index;
}

}  // namespace

Result<std::unique_ptr<Backend>> createBackend(const std::string& spec) {
  if (spec == "cpu") return std::unique_ptr<Backend>(std::make_unique<CpuBackend>());
  const auto index = openClIndex(spec);
  if (!index) return fail("unknown compute device '", spec, "': use cpu, opencl or opencl:N");
  const DeviceList list = DeviceRegistry::openClDevices();
  if (!DeviceRegistry::openClBuiltIn()) return Error{list.problem};
  if (list.devices.empty()) return fail("no OpenCL device found: ", list.problem);
  int chosen = *index;
  if (chosen < 0) chosen = DeviceRegistry::defaultOpenClDevice(list.devices);
  if (chosen >= static_cast<int>(list.devices.size())) {
    std::string known;
    for (const auto& device : list.devices) known += "\n  " + device.summary();
    return fail("there is no OpenCL device ", std::to_string(chosen), "; this machine has ",
                std::to_string(list.devices.size()), ":", known);
  }
#ifdef FFN_HAVE_OPENCL
  auto backend = OpenClBackend::create(chosen);
  if (!backend) return backend.error();
  return std::unique_ptr<Backend>(std::move(backend).value());
#else
  return Error{list.problem};
#endif
}

BackendChoice createBackendWithFallback(const std::string& spec) {
  auto backend = createBackend(spec);
  if (backend) return {std::move(backend).value(), {}};
  return {std::make_unique<CpuBackend>(),
          "the compute device '" + spec + "' is not available (" + backend.message() + "); computing on the CPU"};
}

}  // namespace ffn

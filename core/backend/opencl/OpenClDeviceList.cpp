#include "core/backend/opencl/OpenClDeviceList.h"

#include <cstdlib>
#include <cstring>

namespace ffn::opencl {
namespace {

constexpr cl_int kPlatformNotFound = -1001;  // CL_PLATFORM_NOT_FOUND_KHR: the ICD loader found no driver

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string typeName(cl_device_type type) {
  if (type & CL_DEVICE_TYPE_GPU) return "GPU";
  if (type & CL_DEVICE_TYPE_ACCELERATOR) return "accelerator";
  if (type & CL_DEVICE_TYPE_CPU) return "CPU";
  return "other";
}

}  // namespace

bool OpenClDeviceList::disabledByEnvironment() {
  const char* value = std::getenv("FFN_OPENCL_DISABLE");
  return value && *value && std::strcmp(value, "0") != 0;
}

std::string OpenClDeviceList::whyEmpty() {
  if (disabledByEnvironment()) return "OpenCL is switched off (FFN_OPENCL_DISABLE is set)";
  return "no OpenCL driver is installed (for the CPU: pocl-opencl-icd; for a GPU: its vendor's OpenCL driver), "
         "or its devices are unavailable (PoCL hides its device when its kernel cache folder is not writable; "
         "POCL_CACHE_DIR moves it)";
}

Result<std::vector<OpenClDeviceList::Entry>> OpenClDeviceList::enumerate() {
  std::vector<Entry> entries;
  if (disabledByEnvironment()) return entries;
  try {
    std::vector<cl::Platform> platforms;
    cl_int status = CL_SUCCESS;
    try {
      status = cl::Platform::get(&platforms);
    } catch (const cl::Error& error) {
      status = error.err();
    }
    if (status == kPlatformNotFound || platforms.empty()) return entries;
    if (status != CL_SUCCESS) return fail("listing the OpenCL platforms failed: ", statusName(status));
    for (const auto& platform : platforms) {
      std::vector<cl::Device> devices;
      try {
        platform.getDevices(CL_DEVICE_TYPE_ALL, &devices);
      } catch (const cl::Error&) {
        continue;  // CL_DEVICE_NOT_FOUND: a platform without (usable) devices
      }
      for (const auto& device : devices) {
        if (!device.getInfo<CL_DEVICE_AVAILABLE>()) continue;
        const int index = static_cast<int>(entries.size());
        entries.push_back({device, describe(device, index)});
      }
    }
  } catch (const cl::Error& error) {
    return fail("listing the OpenCL devices failed: ", error.what(), " ", statusName(error.err()));
  } catch (const std::exception& error) {
    return fail("listing the OpenCL devices failed: ", error.what());
  }
  return entries;
}

DeviceInfo OpenClDeviceList::describe(const cl::Device& device, int index) {
  DeviceInfo info;
  info.index = index;
  info.spec = "opencl:" + std::to_string(index);
  info.name = trimmed(device.getInfo<CL_DEVICE_NAME>());
  info.vendor = trimmed(device.getInfo<CL_DEVICE_VENDOR>());
  const cl::Platform platform(device.getInfo<CL_DEVICE_PLATFORM>());
  info.platform = trimmed(platform.getInfo<CL_PLATFORM_NAME>());
  info.platformVersion = trimmed(platform.getInfo<CL_PLATFORM_VERSION>());
  info.type = typeName(device.getInfo<CL_DEVICE_TYPE>());
  info.openClCVersion = trimmed(device.getInfo<CL_DEVICE_OPENCL_C_VERSION>());
  info.deviceVersion = trimmed(device.getInfo<CL_DEVICE_VERSION>());
  info.driverVersion = trimmed(device.getInfo<CL_DRIVER_VERSION>());
  info.computeUnits = device.getInfo<CL_DEVICE_MAX_COMPUTE_UNITS>();
  info.globalMemoryBytes = device.getInfo<CL_DEVICE_GLOBAL_MEM_SIZE>();
  info.maxAllocationBytes = device.getInfo<CL_DEVICE_MAX_MEM_ALLOC_SIZE>();
  info.maxWorkGroupSize = static_cast<std::int64_t>(device.getInfo<CL_DEVICE_MAX_WORK_GROUP_SIZE>());
  info.doublePrecision = device.getInfo<CL_DEVICE_EXTENSIONS>().find("cl_khr_fp64") != std::string::npos;
  return info;
}

}  // namespace ffn::opencl

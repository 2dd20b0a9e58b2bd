#pragma once
// OpenClDeviceList: the OpenCL devices of every platform, in DeviceRegistry's order, with their descriptions.
#include <string>
#include <vector>

#include "core/backend/DeviceInfo.h"
#include "core/backend/opencl/ClApi.h"
#include "core/base/Result.h"

namespace ffn::opencl {

class OpenClDeviceList {
 public:
  struct Entry {
    cl::Device device;
    DeviceInfo info;
  };
  // Every device of every platform. No platform, or FFN_OPENCL_DISABLE=1, is an empty list, not an error.
  static Result<std::vector<Entry>> enumerate();
  // Why enumerate() found nothing, in words for the user.
  static std::string whyEmpty();
  static bool disabledByEnvironment();
  static DeviceInfo describe(const cl::Device& device, int index);
};

}  // namespace ffn::opencl

#include "core/backend/DeviceRegistry.h"

#ifdef FFN_HAVE_OPENCL
#include "core/backend/opencl/OpenClDeviceList.h"
#endif

namespace ffn {

bool DeviceRegistry::openClBuiltIn() {
#ifdef FFN_HAVE_OPENCL
  return true;
#else
  return false;
#endif
}

DeviceList DeviceRegistry::openClDevices() {
  DeviceList list;
#ifdef FFN_HAVE_OPENCL
  auto entries = opencl::OpenClDeviceList::enumerate();
  if (!entries) {
    list.problem = entries.message();
    return list;
  }
  for (const auto& entry : *entries) list.devices.push_back(entry.info);
  if (list.devices.empty()) list.problem = opencl::OpenClDeviceList::whyEmpty();
#else
  list.problem = "this build of FFN Lab has no OpenCL backend (it needs ocl-icd-opencl-dev, libclblast-dev and "
                 "opencl-clhpp-headers at configure time, and FFN_WITH_OPENCL=ON)";
#endif
  return list;
}

int DeviceRegistry::defaultOpenClDevice(const std::vector<DeviceInfo>& devices) {
  for (const char* type : {"GPU", "accelerator"})
    for (const auto& device : devices)
      if (device.type == type) return device.index;
  return devices.empty() ? -1 : devices.front().index;
}

std::vector<std::string> DeviceRegistry::availableSpecs() {
  std::vector<std::string> specs{"cpu"};
  for (const auto& device : openClDevices().devices) specs.push_back(device.spec);
  return specs;
}

}  // namespace ffn

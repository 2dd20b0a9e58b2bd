#pragma once
// DeviceRegistry: which compute devices this machine offers. OpenCL devices are listed platform by platform in
// the ICD loader's order, devices in each platform's order; a device's index there is the N of "opencl:N".
//
// Setting FFN_OPENCL_DISABLE=1 in the environment hides every OpenCL device, exactly as on a machine without an
// OpenCL driver — so the no-device path (createBackendWithFallback's CPU fallback) can be tried anywhere.
#include <string>
#include <vector>

#include "core/backend/DeviceInfo.h"

namespace ffn {

struct DeviceList {
  std::vector<DeviceInfo> devices;
  // Why the list is empty, for the user ("no OpenCL platform is installed ..."); empty when devices were found.
  std::string problem;
};

class DeviceRegistry {
 public:
  // Whether this build has the OpenCL backend at all (FFN_WITH_OPENCL and OpenCL + CLBlast found).
  static bool openClBuiltIn();
  // Every OpenCL device on every platform. Never fails: problems end up in DeviceList::problem.
  static DeviceList openClDevices();
  // The device plain "opencl" means: the first GPU, else the first accelerator, else the first device; -1 if none.
  static int defaultOpenClDevice(const std::vector<DeviceInfo>& devices);
  // Every spec createBackend() accepts here: "cpu", then "opencl:N" for each device.
  static std::vector<std::string> availableSpecs();
};

}  // namespace ffn

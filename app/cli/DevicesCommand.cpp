// ffnlab-cli devices: the compute devices this machine offers, as --device and the project's "device" name them.
#include <iostream>

#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "core/backend/DeviceRegistry.h"

namespace ffn::cli {
namespace {

Json deviceJson(const DeviceInfo& d) {
  return Json{{"spec", d.spec},
              {"name", d.name},
              {"vendor", d.vendor},
              {"type", d.type},
              {"platform", d.platform},
              {"compute_units", d.computeUnits},
              {"global_memory_bytes", d.globalMemoryBytes},
              {"max_allocation_bytes", d.maxAllocationBytes},
              {"opencl_c_version", d.openClCVersion},
              {"driver_version", d.driverVersion},
              {"double_precision", d.doublePrecision}};
}

int runDevices() {
  const DeviceList list = DeviceRegistry::openClDevices();
  const int chosen = DeviceRegistry::defaultOpenClDevice(list.devices);
  Json devices = Json::array();
  devices.push_back(Json{{"spec", "cpu"}, {"name", "CPU backend (Eigen, the lab's thread pool)"}, {"type", "CPU"}});
  std::cerr << "cpu        the CPU backend (the reference; the default)\n";
  for (const auto& device : list.devices) {
    devices.push_back(deviceJson(device));
    std::cerr << device.summary() << (device.index == chosen ? "   <- opencl" : "") << "\n";
  }
  if (list.devices.empty()) std::cerr << "no OpenCL device: " << list.problem << "\n";
  Json result{{"command", "devices"},
              {"devices", devices},
              {"opencl_built_in", DeviceRegistry::openClBuiltIn()},
              {"opencl_default", chosen >= 0 ? list.devices[static_cast<std::size_t>(chosen)].spec : std::string()}};
  if (!list.problem.empty()) result["opencl_problem"] = list.problem;
  printResult(result);
  return 0;
}

}  // namespace

CommandRunner addDevicesCommand(CLI::App& app) {
  app.add_subcommand("devices", "List the compute devices (cpu, opencl:N) that --device and projects can name");
  return [] { return runDevices(); };
}

}  // namespace ffn::cli

#pragma once
// What the lab knows about one compute device: enough to list it in a menu or on `ffnlab-cli devices`, and to
// choose it by spec ("opencl:0"). Plain values only: no OpenCL types, so any code may include this.
#include <cstdint>
#include <string>

namespace ffn {

struct DeviceInfo {
  int index = -1;                // position in DeviceRegistry's list; the spec is "opencl:<index>"
  std::string spec;              // "opencl:0"
  std::string name;              // "NVIDIA GeForce RTX 3060", "pthread-haswell-AMD EPYC"
  std::string vendor;
  std::string platform;          // "Portable Computing Language"
  std::string platformVersion;   // "OpenCL 3.0 PoCL 3.1+debian ..."
  std::string type;              // "GPU", "CPU", "accelerator" or "other"
  std::string openClCVersion;    // "OpenCL C 1.2 PoCL"
  std::string deviceVersion;     // "OpenCL 3.0 PoCL ..."
  std::string driverVersion;
  std::int64_t computeUnits = 0;
  std::uint64_t globalMemoryBytes = 0;
  std::uint64_t maxAllocationBytes = 0;  // largest single buffer
  std::int64_t maxWorkGroupSize = 0;
  bool doublePrecision = false;  // cl_khr_fp64: reductions accumulate in double

  // One line: "opencl:0  pthread-haswell-AMD EPYC (CPU, Portable Computing Language, 2 compute units, 4.1 GB,
  // OpenCL C 1.2 PoCL)"
  std::string summary() const;
};

}  // namespace ffn

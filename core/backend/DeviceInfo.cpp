#include "core/backend/DeviceInfo.h"

#include <cstdio>

namespace ffn {

std::string DeviceInfo::summary() const {
  char memory[32];
  std::snprintf(memory, sizeof memory, "%.1f GB", static_cast<double>(globalMemoryBytes) / 1e9);
  return spec + "  " + name + " (" + type + ", " + platform + ", " + std::to_string(computeUnits) +
         " compute units, " + memory + ", " + openClCVersion + ")";
}

}  // namespace ffn

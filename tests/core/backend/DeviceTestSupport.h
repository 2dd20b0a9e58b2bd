#pragma once
// Shared by the tests that compare compute devices with the CPU backend: the error measure, labels, and where
// the compiled OpenCL programs go.
#include <QtGlobal>

#include <cmath>
#include <span>

#include "core/base/Rng.h"
#include "core/tensor/Tensor.h"

namespace ffn::test {

// Normalised mean squared error: sum (got - want)^2 / sum want^2 (the plain sum of squares where want is all
// zeros). A NaN expected and got is a match (outputs that must stay NaN); any other NaN makes the error NaN.
inline double normalisedMse(std::span<const float> got, std::span<const float> want) {
  double error = 0.0, scale = 0.0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i]) && std::isnan(got[i])) continue;
    const double difference = static_cast<double>(got[i]) - static_cast<double>(want[i]);
    error += difference * difference;
    scale += static_cast<double>(want[i]) * want[i];
  }
  return scale > 0.0 ? error / scale : error;
}

// Compiled kernels go to the build folder, not the user's cache (unless FFN_OPENCL_CACHE_DIR says otherwise).
inline void useBuildFolderProgramCache() {
  if (qEnvironmentVariableIsEmpty("FFN_OPENCL_CACHE_DIR"))
    qputenv("FFN_OPENCL_CACHE_DIR", QByteArray(FFN_BINARY_DIR) + "/opencl-cache");
}

}  // namespace ffn::test

#pragma once
// The one place that configures and includes the OpenCL C++ bindings, so every file sees the same settings.
// We target OpenCL 1.2 (PoCL's CPU device is OpenCL C 1.2; every GPU driver in use speaks it) and let the
// bindings throw cl::Error: exceptions stay inside the OpenCL backend — every public entry point catches them
// and turns them into an Error, a warning or a CPU fallback.
#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#ifndef CL_HPP_TARGET_OPENCL_VERSION
#define CL_HPP_TARGET_OPENCL_VERSION 120
#endif
#ifndef CL_HPP_MINIMUM_OPENCL_VERSION
#define CL_HPP_MINIMUM_OPENCL_VERSION 120
#endif
#ifndef CL_HPP_ENABLE_EXCEPTIONS
#define CL_HPP_ENABLE_EXCEPTIONS
#endif

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
#include <CL/opencl.hpp>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include <string>

namespace ffn::opencl {

// "CL_OUT_OF_RESOURCES (-5)" for an OpenCL status code.
std::string statusName(cl_int status);

}  // namespace ffn::opencl

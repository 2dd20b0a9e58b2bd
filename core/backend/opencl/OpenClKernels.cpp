#include "core/backend/opencl/OpenClKernels.h"

#include <algorithm>

namespace ffn::opencl {

const char* OpenClKernels::name(KernelId id) {
  static constexpr const char* kNames[] = {
      "fill", "copy", "axpy", "scale", "multiply", "stabilized_divide", "fill_matrix", "scale_matrix",
      "add_row_vector", "activation_forward", "activation_backward", "reduce_partials", "sum_rows",
      "row_sum_of_squares", "softmax_rows", "softmax_backward", "normalize_rows", "normalize_rows_backward",
      "layer_norm_forward", "layer_norm_backward", "layer_norm_param_grads", "softmax_cross_entropy",
      "mean_squared_error", "sgd_update", "momentum_update", "adam_update", "im2col", "col2im",
      "channels_last_to_first", "channels_first_to_last", "max_pool_forward", "max_pool_backward",
      "avg_pool_forward", "avg_pool_backward", "scale_rows", "basis_relu_forward", "basis_relu_backward", "gather_rows"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<std::size_t>(KernelId::Count));
  return kNames[static_cast<std::size_t>(id)];
}

Result<OpenClKernels> OpenClKernels::create(const cl::Program& program) {
  OpenClKernels kernels;
  for (std::size_t i = 0; i < kernels.m_kernels.size(); ++i) {
    const auto id = static_cast<KernelId>(i);
    try {
      kernels.m_kernels[i] = cl::Kernel(program, name(id));
    } catch (const cl::Error& error) {
      return fail("the OpenCL kernel '", name(id), "' is missing from the program (", statusName(error.err()), ")");
    }
  }
  return kernels;
}

std::size_t OpenClKernels::maxGroupSize(const cl::Device& device) {
  std::size_t smallest = static_cast<std::size_t>(-1);
  for (auto& kernel : m_kernels) smallest = std::min(smallest, kernel.getWorkGroupInfo<CL_KERNEL_WORK_GROUP_SIZE>(device));
  return smallest;
}

}  // namespace ffn::opencl

#pragma once
// OpenClKernels: the kernels of our program (core/backend/opencl/kernels/*.cl), one cl::Kernel each, created per
// backend — a kernel's arguments are state, so two backends (or threads) must not share one.
#include <array>

#include "core/backend/opencl/ClApi.h"
#include "core/base/Result.h"

namespace ffn::opencl {

// Not ffn::Op again: an Op is what a caller asks of any backend; a KernelId is one compiled function of our
// program. Some ops take several kernels (e.g. LayerNormBackward + LayerNormParamGrads, reductions + their
// partials), GEMM takes none (CLBlast), and helpers such as Fill or Copy are no Op at all.
enum class KernelId {
  Fill,
  Copy,
  Axpy,
  Scale,
  Multiply,
  StabilizedDivide,
  FillMatrix,
  ScaleMatrix,
  AddRowVector,
  ActivationForward,
  ActivationBackward,
  ReducePartials,
  SumRows,
  RowSumOfSquares,
  SoftmaxRows,
  SoftmaxBackward,
  NormalizeRows,
  NormalizeRowsBackward,
  LayerNormForward,
  LayerNormBackward,
  LayerNormParamGrads,
  SoftmaxCrossEntropy,
  MeanSquaredError,
  SgdUpdate,
  MomentumUpdate,
  AdamUpdate,
  Im2Col,
  Col2Im,
  ChannelsLastToFirst,
  ChannelsFirstToLast,
  MaxPoolForward,
  MaxPoolBackward,
  AvgPoolForward,
  AvgPoolBackward,
  ScaleRows,
  BasisReluForward,
  BasisReluBackward,
  GatherRows,
  Count
};

class OpenClKernels {
 public:
  // Every kernel of `program`, by name; an Error names the one that is missing.
  static Result<OpenClKernels> create(const cl::Program& program);
  cl::Kernel& operator[](KernelId id) { return m_kernels[static_cast<std::size_t>(id)]; }
  // The smallest CL_KERNEL_WORK_GROUP_SIZE over all kernels (registers or local memory may keep it below the
  // device's maximum).
  std::size_t maxGroupSize(const cl::Device& device);
  static const char* name(KernelId id);

 private:
  std::array<cl::Kernel, static_cast<std::size_t>(KernelId::Count)> m_kernels;
};

}  // namespace ffn::opencl

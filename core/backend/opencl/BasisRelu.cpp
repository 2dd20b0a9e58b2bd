// The basis-input two-layer ReLU ops (the permutation task's member step) on the device. Kernels:
// core/backend/opencl/kernels/basis_relu.cl. Twin: core/backend/BasisRelu.cpp.
#include "core/backend/opencl/OpenClBackend.h"

namespace ffn {

using opencl::KernelId;

void OpenClBackend::basisReluForward(const TensorView& index, const TensorView& w1t, const TensorView& b1,
                                     const TensorView& w2, const TensorView& b2, const TensorView& out) {
  // index:[N] -> out:[N,out] = relu(W1 e_index + b1)^T W2^T + b2; one work-group per output element
  const std::int64_t rows = index.size(), outs = w2.rows(), units = w1t.cols();
  if (rows * outs == 0) return;
  run(
      Op::BasisReluForward,
      [&] {
        const cl::Buffer ib = read(index), w1b = read(w1t), b1b = read(b1), w2b = read(w2), b2b = read(b2);
        const cl::Buffer ob = write(out);
        launchRows(KernelId::BasisReluForward, rows * outs, static_cast<int>(rows), static_cast<int>(outs),
                   static_cast<int>(units), ib, offset(index), w1b, offset(w1t), stride(w1t), b1b, offset(b1), w2b,
                   offset(w2), stride(w2), b2b, offset(b2), ob, offset(out), stride(out));
        wrote(out);
      },
      [&] { onCpu(&CpuBackend::basisReluForward, index, w1t, b1, w2, b2, out); });
}

void OpenClBackend::basisReluBackward(const TensorView& index, const TensorView& w1t, const TensorView& b1,
                                      const TensorView& w2, const TensorView& gradOut, const TensorView& dw1t,
                                      const TensorView& db1, const TensorView& dw2, const TensorView& db2) {
  // gradOut:[N,out] -> dw1t:[in,m], db1:[m], dw2:[out,m], db2:[out]; one work item per hidden unit
  const std::int64_t rows = index.size(), outs = w2.rows(), inputs = w1t.rows(), units = w1t.cols();
  const std::int64_t items = std::max(units, outs);
  if (items == 0) return;
  run(
      Op::BasisReluBackward,
      [&] {
        const cl::Buffer ib = read(index), w1b = read(w1t), b1b = read(b1), w2b = read(w2), gb = read(gradOut);
        const cl::Buffer d1b = write(dw1t), db1b = write(db1), d2b = write(dw2), db2b = write(db2);
        launchElements(KernelId::BasisReluBackward, items, static_cast<int>(rows), static_cast<int>(outs),
                       static_cast<int>(inputs), static_cast<int>(units), ib, offset(index), w1b, offset(w1t),
                       stride(w1t), b1b, offset(b1), w2b, offset(w2), stride(w2), gb, offset(gradOut),
                       stride(gradOut), d1b, offset(dw1t), stride(dw1t), db1b, offset(db1), d2b, offset(dw2),
                       stride(dw2), db2b, offset(db2));
        wrote(dw1t);
        wrote(db1);
        wrote(dw2);
        wrote(db2);
      },
      [&] { onCpu(&CpuBackend::basisReluBackward, index, w1t, b1, w2, gradOut, dw1t, db1, dw2, db2); });
}

}  // namespace ffn

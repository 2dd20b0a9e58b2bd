// GEMM through CLBlast (row-major, any transposes, strided views through the leading dimensions, views through
// buffer offsets), and the bias / column-sum ops that sit beside it in a dense layer.
#include "core/backend/opencl/ClApi.h"  // before clblast.h: one OpenCL configuration for all

#include <clblast.h>

#include "core/backend/opencl/OpenClBackend.h"

namespace ffn {

using opencl::KernelId;

void OpenClBackend::gemm(Transpose ta, Transpose tb, float alpha, const TensorView& a, const TensorView& b,
                         float beta, const TensorView& c) {
  // op(a):[M,K] * op(b):[K,N] -> c:[M,N]
  const GemmShape shape = gemmShape(ta, tb, a, b, c);
  const auto m = shape.m, n = shape.n, k = shape.k;  // plain names: lambdas below capture them
  if (m == 0 || n == 0) return;
  run(
      Op::Gemm,
      [&] {
        if (k == 0) {
          // c = beta c; with beta = 0 written as zeros (c may hold NaN from an earlier use of the buffer)
          const cl::Buffer cb = write(c, beta == 0.0f);
          if (beta == 0.0f)
            launchMatrix(KernelId::FillMatrix, m, n, static_cast<int>(m), static_cast<int>(n), 0.0f, cb, offset(c),
                         stride(c));
          else
            launchMatrix(KernelId::ScaleMatrix, m, n, static_cast<int>(m), static_cast<int>(n), beta, cb, offset(c),
                         stride(c));
          wrote(c);
          return;
        }
        const cl::Buffer ab = read(a), bb = read(b);
        const cl::Buffer cb = write(c, beta == 0.0f);
        const auto transA = ta == Transpose::No ? clblast::Transpose::kNo : clblast::Transpose::kYes;
        const auto transB = tb == Transpose::No ? clblast::Transpose::kNo : clblast::Transpose::kYes;
        const auto size = [](std::int64_t value) { return static_cast<std::size_t>(value); };
        cl_command_queue queue = m_context->queue()();
        // CLBlast's large-matrix path pads its operands into a temporary buffer; we keep one and reuse it.
        std::size_t tempBytes = 0;
        auto status = clblast::GemmTempBufferSize<float>(
            clblast::Layout::kRowMajor, transA, transB, size(m), size(n), size(k), size(a.offset()),
            size(a.rowStride()), size(b.offset()), size(b.rowStride()), size(c.offset()), size(c.rowStride()), &queue,
            tempBytes);
        cl_mem temp = nullptr;
        if (status == clblast::StatusCode::kSuccess && tempBytes > 0) {
          if (m_gemmTempBytes < tempBytes) {
            cl::Buffer fresh = m_context->allocate(tempBytes);
            m_context->released(m_gemmTempBytes);
            m_gemmTemp = std::move(fresh);
            m_gemmTempBytes = tempBytes;
          }
          temp = m_gemmTemp();
        }
        status = clblast::Gemm<float>(clblast::Layout::kRowMajor, transA, transB, size(m), size(n), size(k), alpha,
                                      ab(), size(a.offset()), size(a.rowStride()), bb(), size(b.offset()),
                                      size(b.rowStride()), beta, cb(), size(c.offset()), size(c.rowStride()), &queue,
                                      nullptr, temp);
        if (status != clblast::StatusCode::kSuccess)
          throw opencl::OpenClFailure("CLBlast's GEMM failed with status " +
                                      std::to_string(static_cast<int>(status)) +
                                      (static_cast<int>(status) > -1000
                                           ? " (" + opencl::statusName(static_cast<cl_int>(status)) + ")"
                                           : std::string(" (see clblast.h)")));
        wrote(c);
      },
      [&] { onCpu(&CpuBackend::gemm, ta, tb, alpha, a, b, beta, c); });
}

void OpenClBackend::addRowVector(const TensorView& y, const TensorView& bias) {
  // y:[N,F] += bias:[F]
  if (y.size() == 0) return;
  run(
      Op::AddRowVector,
      [&] {
        const cl::Buffer biasBuffer = read(bias);
        const cl::Buffer yb = write(y, false);
        launchMatrix(KernelId::AddRowVector, y.rows(), y.cols(), static_cast<int>(y.rows()),
                     static_cast<int>(y.cols()), yb, offset(y), stride(y), biasBuffer, offset(bias));
        wrote(y);
      },
      [&] { onCpu(&CpuBackend::addRowVector, y, bias); });
}

void OpenClBackend::sumRows(const TensorView& x, float beta, const TensorView& out) {
  // x:[N,F] -> out:[F] = beta out + sum_n x[n, :]
  if (out.size() == 0) return;
  run(
      Op::SumRows,
      [&] {
        const cl::Buffer xb = read(x);
        const cl::Buffer ob = write(out, beta == 0.0f);
        launchElements(KernelId::SumRows, x.cols(), static_cast<int>(x.rows()), static_cast<int>(x.cols()), beta, xb,
                       offset(x), stride(x), ob, offset(out));
        wrote(out);
      },
      [&] { onCpu(&CpuBackend::sumRows, x, beta, out); });
}

}  // namespace ffn

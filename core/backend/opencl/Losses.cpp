// Loss ops on the device. The gradient stays on the device; the per-row losses and hits come back (2 x N
// numbers: the one download per step a loss needs) and are added up here in double. Twin: core/backend/cpu/Losses.cpp.
#include <vector>

#include "core/backend/opencl/OpenClBackend.h"

namespace ffn {

using opencl::KernelId;

LossResult OpenClBackend::collectLoss(std::int64_t rows) {
  // Scratch slot 1 holds the per-row losses (acc_t), slot 2 the per-row hits (int); written by the loss kernel.
  const auto n = static_cast<std::size_t>(rows);
  std::vector<int> correct(n);
  LossResult result;
  m_context->queue().enqueueReadBuffer(m_scratch[2], CL_FALSE, 0, n * sizeof(int), correct.data());
  if (m_accBytes == sizeof(double)) {
    std::vector<double> losses(n);
    m_context->queue().enqueueReadBuffer(m_scratch[1], CL_TRUE, 0, n * sizeof(double), losses.data());
    for (const double loss : losses) result.lossSum += loss;
  } else {
    std::vector<float> losses(n);
    m_context->queue().enqueueReadBuffer(m_scratch[1], CL_TRUE, 0, n * sizeof(float), losses.data());
    for (const float loss : losses) result.lossSum += loss;
  }
  // In-order queue: the blocking read above returned after the hits arrived too.
  for (const int hit : correct) result.correct += hit;
  m_context->countDownload(n * (m_accBytes + sizeof(int)));
  return result;
}

LossResult OpenClBackend::softmaxCrossEntropy(const TensorView& logits, const TensorView& labels, float scale,
                                              const TensorView& dlogits) {
  // logits:[N,C], labels:[N] -> dlogits:[N,C] = scale * (softmax - onehot); loss summed over the batch
  if (logits.rows() == 0) return {};
  return run(
      Op::SoftmaxCrossEntropy,
      [&] {
        const auto rows = logits.rows();
        const cl::Buffer zb = read(logits), lb = read(labels);
        const cl::Buffer gb = write(dlogits);
        const cl::Buffer losses = scratch(1, static_cast<std::size_t>(rows) * m_accBytes);
        const cl::Buffer hits = scratch(2, static_cast<std::size_t>(rows) * sizeof(int));
        launchRows(KernelId::SoftmaxCrossEntropy, rows, static_cast<int>(rows), static_cast<int>(logits.cols()), scale,
                   zb, offset(logits), stride(logits), lb, offset(labels), gb, offset(dlogits), stride(dlogits),
                   losses, hits);
        wrote(dlogits);
        return collectLoss(rows);
      },
      [&] { return onCpu(&CpuBackend::softmaxCrossEntropy, logits, labels, scale, dlogits); });
}

LossResult OpenClBackend::meanSquaredError(const TensorView& out, const TensorView& target, float scale,
                                           const TensorView& dout) {
  // out, target:[N,F] -> dout:[N,F] = scale * (out - target); 0.5 * sum of squares over the batch
  if (out.rows() == 0) return {};
  return run(
      Op::MeanSquaredError,
      [&] {
        const auto rows = out.rows();
        const cl::Buffer ob = read(out), tb = read(target);
        const cl::Buffer gb = write(dout);
        const cl::Buffer losses = scratch(1, static_cast<std::size_t>(rows) * m_accBytes);
        const cl::Buffer hits = scratch(2, static_cast<std::size_t>(rows) * sizeof(int));
        launchRows(KernelId::MeanSquaredError, rows, static_cast<int>(rows), static_cast<int>(out.cols()), scale, ob,
                   offset(out), stride(out), tb, offset(target), stride(target), gb, offset(dout), stride(dout),
                   losses, hits);
        wrote(dout);
        return collectLoss(rows);
      },
      [&] { return onCpu(&CpuBackend::meanSquaredError, out, target, scale, dout); });
}

}  // namespace ffn

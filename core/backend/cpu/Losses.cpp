// Loss ops on the host: softmax cross-entropy against class ids, and squared error against targets.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

#include "core/backend/cpu/CpuBackend.h"

namespace ffn {

LossResult CpuBackend::softmaxCrossEntropy(const TensorView& logits, const TensorView& labels, float scale,
                                           const TensorView& dlogits) {
  // logits:[N,C], labels:[N] -> dlogits:[N,C] = scale * (softmax - onehot)
  // Rows split over the threads (alone it was 8 us of a 700 us Fashion-MNIST step, 128 x 10 logits), each row's
  // loss kept apart and summed in row order after: the same bits at any thread count.
  auto z = logits.matrix();
  const float* label = labels.data();
  auto grad = dlogits.mutableMatrix();
  const std::int64_t rows = z.rows();
  thread_local std::vector<double> rowLosses;  // the calling thread's; pieces write their own rows
  rowLosses.resize(static_cast<std::size_t>(rows));
  double* rowLoss = rowLosses.data();
  std::atomic<std::int64_t> correct{0};
  constexpr std::int64_t kFewestRows = 32;  // ~2 us of 10-class rows: fewer are not worth a thread's wake-up
  const std::int64_t threads = threadCount();
  parallelRanges(rows, std::max((rows + threads - 1) / threads, kFewestRows), [&](std::int64_t begin, std::int64_t end) {
    std::int64_t hits = 0;
    for (Eigen::Index n = begin; n < end; ++n) {
      Eigen::Index best = 0;
      const float maxLogit = z.row(n).maxCoeff(&best);
      grad.row(n) = (z.row(n).array() - maxLogit).exp().matrix();
      const float total = grad.row(n).sum();
      const auto target = static_cast<Eigen::Index>(label[n]);
      rowLoss[n] = std::log(static_cast<double>(total)) - (z(n, target) - maxLogit);
      hits += best == target;
      grad.row(n) *= scale / total;
      grad(n, target) -= scale;
    }
    correct.fetch_add(hits, std::memory_order_relaxed);
  });
  LossResult result;
  for (std::int64_t n = 0; n < rows; ++n) result.lossSum += rowLoss[n];
  result.correct = correct.load();
  return result;
}

LossResult CpuBackend::meanSquaredError(const TensorView& out, const TensorView& target, float scale,
                                        const TensorView& dout) {
  // out, target:[N,F] -> dout:[N,F] = scale * (out - target)
  auto y = out.matrix();
  auto t = target.matrix();
  auto grad = dout.mutableMatrix();
  grad = y - t;
  LossResult result;
  result.lossSum = 0.5 * grad.cast<double>().squaredNorm();
  for (Eigen::Index n = 0; n < y.rows(); ++n) {
    Eigen::Index predicted = 0, expected = 0;
    y.row(n).maxCoeff(&predicted);
    t.row(n).maxCoeff(&expected);
    result.correct += predicted == expected;
  }
  grad *= scale;
  return result;
}

}  // namespace ffn

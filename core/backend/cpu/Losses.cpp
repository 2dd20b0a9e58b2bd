// Loss ops on the host: softmax cross-entropy against class ids, and squared error against targets.
#include <algorithm>

#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/cpu/CrossEntropyTally.h"

namespace ffn {

LossResult CpuBackend::softmaxCrossEntropy(const TensorView& logits, const TensorView& labels, float scale,
                                           const TensorView& dlogits) {
  // logits:[N,C], labels:[N] -> dlogits:[N,C] = scale * (softmax - onehot)
  // Rows split over the threads (alone it was 8 us of a 700 us Fashion-MNIST step, 128 x 10 logits), each row's
  // loss kept apart and summed in row order after: the same bits at any thread count.
  CrossEntropyTally tally(logits.matrix(), labels.data(), scale, dlogits.mutableMatrix());
  constexpr std::int64_t kFewestRows = 64;  // ~1.6 us of 10-class rows: fewer are not worth a thread's wake-up
  const std::int64_t rows = logits.rows(), threads = threadCount();
  parallelRanges(rows, std::max((rows + threads - 1) / threads, kFewestRows),
                 [&](std::int64_t begin, std::int64_t end) { tally.addRows(begin, end); });
  return tally.result();
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

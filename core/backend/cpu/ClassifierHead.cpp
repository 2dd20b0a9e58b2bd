// A classifier's head in one pass over rows (Backend::classifierHead): the output layer's product, softmax
// cross-entropy and the gradient back through the ReLU below, each thread taking its rows through all three.
// Run as three ops, these were three forks and joins over the pool for about 1.3 M multiply-adds in the
// Fashion-MNIST MLP's step (10 classes): 26 us of work per thread and 8 us of waiting and serial glue per
// 690 us step; in one pass, 24 us and 1.5 us. Epoch 1.012x, 1.023x and 1.012x (paired medians of 14-20 rounds,
// tests/bench/paired.py). Leaving the three out altogether made it 1.059x faster: most of their cost is the
// features, the ReLU's input and the gradient crossing between the cores, which no split removes (split by units
// instead, as the layer below splits its forward product, the logits' sums split in two and the epoch was 0.99x).
#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/cpu/CrossEntropyTally.h"
#include "core/backend/cpu/PackedGemm.h"

namespace ffn {

std::optional<LossResult> CpuBackend::classifierHead(const ClassifierHead& head) {
  // features:[N,in] W:[C,in] -> logits:[N,C] -> dlogits:[N,C] -> gradFeatures:[N,in]
  const std::int64_t rows = head.features.rows(), in = head.features.cols(), classes = head.weight.rows();
  // Only where linearForward and linearTransposeGated would take the packed kernel too: its bits do not depend on
  // how rows are split, so this pass gives theirs.
  if (!packsProduct(rows, classes, in) || !packsProduct(rows, in, classes)) return std::nullopt;
  // Host pointers taken here, once: a Tensor hands out its host data on one thread at a time.
  const float* features = head.features.data();
  const float* weight = head.weight.data();
  const float* bias = head.bias.valid() ? head.bias.data() : nullptr;
  const float* gate = head.gate.data();
  float* logits = head.logits.mutableData();
  float* dlogits = head.dlogits.mutableData();
  float* gradFeatures = head.gradFeatures.mutableData();
  const auto ldf = head.features.rowStride(), ldw = head.weight.rowStride(), ldg = head.gate.rowStride();
  const auto ldl = head.logits.rowStride(), ldd = head.dlogits.rowStride(), ldx = head.gradFeatures.rowStride();
  CrossEntropyTally tally(ConstStridedMatrixMap(logits, rows, classes, Eigen::OuterStride<>(ldl)),
                          head.labels.data(), head.scale, head.dlogits.mutableMatrix());
  auto piece = [&](std::int64_t begin, std::int64_t end) {
    // Each thread packs the weights both ways for itself (10 classes x 256 inputs: 10 KB each), into buffers of
    // its own that outlive the call.
    thread_local packed::PackedMatrix forwardWeights, backwardWeights;
    forwardWeights.pack(weight, ldw, /*transposed=*/true, in, classes);
    packed::multiply(features + begin * ldf, ldf, end - begin, forwardWeights, 0, forwardWeights.panels(),
                     logits + begin * ldl, ldl, {}, packed::FusedStore{.bias = bias});
    tally.addRows(begin, end);
    backwardWeights.pack(weight, ldw, /*transposed=*/false, classes, in);
    packed::multiply(dlogits + begin * ldd, ldd, end - begin, backwardWeights, 0, backwardWeights.panels(),
                     gradFeatures + begin * ldx, ldx, {},
                     packed::FusedStore{.gate = gate + begin * ldg, .gateStride = ldg});
  };
  if (threadCount() == 1 || rows * in * classes < kSplitWork)
    piece(0, rows);
  else
    parallelRanges(rows, rowsPerShare(rows), piece);
  return tally.result();
}

}  // namespace ffn

#include "core/lrp/InputStatistics.h"

#include <algorithm>
#include <limits>

namespace ffn {

Result<InputStatistics> inputStatistics(Backend& backend, const Dataset& data, std::int64_t maxSamples) {
  const std::int64_t total = std::min(data.size(), maxSamples);
  if (total <= 0) return fail("no samples to measure the input range on");
  const std::int64_t features = data.sampleShape().elementCount();
  InputStatistics stats;
  stats.bounds.low = Tensor(Shape{features}, std::numeric_limits<float>::infinity());
  stats.bounds.high = Tensor(Shape{features}, -std::numeric_limits<float>::infinity());
  stats.mean = Tensor(Shape{features}, 0.0f);
  float* low = stats.bounds.low.mutableData();
  float* high = stats.bounds.high.mutableData();
  constexpr std::int64_t kBatch = 1024;
  Batch batch;
  for (std::int64_t first = 0; first < total; first += kBatch) {
    const std::int64_t count = std::min(kBatch, total - first);
    data.makeRangeBatch(first, count, batch);
    // Sums through the backend; the running minimum and maximum on the host (no backend op for them).
    backend.sumRows(TensorView(batch.inputs, 0, Shape{count, features}), 1.0f, stats.mean);
    const float* x = batch.inputs.data();
    for (std::int64_t s = 0; s < count; ++s)
      for (std::int64_t f = 0; f < features; ++f) {
        low[f] = std::min(low[f], x[s * features + f]);
        high[f] = std::max(high[f], x[s * features + f]);
      }
  }
  backend.scale(1.0f / static_cast<float>(total), stats.mean);
  stats.samples = total;
  return stats;
}

}  // namespace ffn

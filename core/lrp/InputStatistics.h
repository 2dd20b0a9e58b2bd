#pragma once
// Per-feature statistics of a dataset's inputs, as the network sees them (after the data's normalisation): the
// range of each feature (z^B's bounds) and its mean (the perturbation baseline "mean").
#include "core/backend/Backend.h"
#include "core/base/Result.h"
#include "core/data/Dataset.h"
#include "core/lrp/LinearStage.h"

namespace ffn {

struct InputStatistics {
  InputBounds bounds;  // [features] observed minimum and maximum
  Tensor mean;         // [features]
  std::int64_t samples = 0;
};

// Over the first maxSamples samples of `data` (all when it has fewer), in batches.
Result<InputStatistics> inputStatistics(Backend& backend, const Dataset& data, std::int64_t maxSamples = 20000);

}  // namespace ffn

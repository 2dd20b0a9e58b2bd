#pragma once
// Deterministic train / validation / test splits: a seeded shuffle of 0..count-1 cut into parts. The same count,
// fractions and seed give the same parts on every machine (Rng is our own generator, not <random>).
#include <cstdint>
#include <vector>

#include "core/base/Result.h"

namespace ffn {

struct SplitIndices {
  // Each part sorted ascending, so a split reads its base in storage order; the parts are disjoint and cover
  // 0..count-1.
  std::vector<std::int64_t> train, validation, test;
};

// The number of samples a fraction of `count` takes: rounded, and at least one whenever the fraction is positive
// (a requested split never silently vanishes).
std::int64_t fractionCount(std::int64_t count, double fraction);

// test takes fractionCount(count, testFraction) indices, validation fractionCount(count, validationFraction),
// train the rest. Fails when a fraction lies outside [0, 1) or nothing would be left for training.
Result<SplitIndices> splitIndices(std::int64_t count, double validationFraction, double testFraction,
                                  std::uint64_t seed);

}  // namespace ffn

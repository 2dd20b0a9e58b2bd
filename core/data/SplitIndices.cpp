#include "core/data/SplitIndices.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include "core/base/Rng.h"

namespace ffn {

std::int64_t fractionCount(std::int64_t count, double fraction) {
  if (fraction <= 0.0 || count <= 0) return 0;
  const auto n = static_cast<std::int64_t>(std::llround(fraction * static_cast<double>(count)));
  return std::clamp<std::int64_t>(n, 1, count);
}

Result<SplitIndices> splitIndices(std::int64_t count, double validationFraction, double testFraction,
                                  std::uint64_t seed) {
  if (!(validationFraction >= 0.0 && validationFraction < 1.0))
    return fail("validation fraction must be in [0, 1), got ", std::to_string(validationFraction));
  if (!(testFraction >= 0.0 && testFraction < 1.0))
    return fail("test fraction must be in [0, 1), got ", std::to_string(testFraction));
  const std::int64_t testCount = fractionCount(count, testFraction);
  const std::int64_t validationCount = fractionCount(count, validationFraction);
  if (count <= 0 || testCount + validationCount >= count)
    return fail("splitting ", std::to_string(count), " samples into ", std::to_string(testCount), " test and ",
                std::to_string(validationCount), " validation leaves none for training");

  std::vector<std::int64_t> order(static_cast<std::size_t>(count));
  std::iota(order.begin(), order.end(), std::int64_t{0});
  Rng rng(seed);
  rng.shuffle(std::span<std::int64_t>(order));

  SplitIndices split;
  const auto testEnd = order.begin() + testCount;
  const auto validationEnd = testEnd + validationCount;
  split.test.assign(order.begin(), testEnd);
  split.validation.assign(testEnd, validationEnd);
  split.train.assign(validationEnd, order.end());
  std::sort(split.test.begin(), split.test.end());
  std::sort(split.validation.begin(), split.validation.end());
  std::sort(split.train.begin(), split.train.end());
  return split;
}

}  // namespace ffn

#pragma once
// Synthetic2d: the small 2-D classification sets that make a network's decision boundary visible. Coordinates lie
// roughly in [-1.5, 1.5]; classes are balanced (sample i has class i mod classes, so any prefix is balanced too);
// the same options and seed give the same bytes on every machine.
//   spiral  - `classes` interleaved arms, 1.5 turns each, radius 0..1
//   circles - inner ring (radius 0.5) vs outer ring (radius 1)
//   xor     - points in [-1, 1]^2: same-sign quadrants vs opposite-sign quadrants
//   blobs   - `classes` Gaussian clusters centred on the unit circle; `noise` is their standard deviation
//   moons   - two interleaving half circles
// `noise` is the standard deviation of Gaussian jitter added to each coordinate.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/data/TensorDataset.h"

namespace ffn {

struct Synthetic2dOptions {
  std::string kind = "spiral";
  std::int64_t samples = 600;
  double noise = 0.1;
  int classes = 3;  // spiral and blobs; circles, xor and moons always have 2
  std::uint64_t seed = 7;
};

class Synthetic2d {
 public:
  static constexpr std::int64_t kMaxSamples = 10'000'000;
  static constexpr int kMaxClasses = 100;

  static std::vector<std::string> kinds();
  // The number of classes `kind` makes with `requested` (2 for the fixed two-class sets).
  static int classCount(const std::string& kind, int requested);
  // samples -> TensorDataset with samples [2].
  static Result<std::unique_ptr<TensorDataset>> generate(const Synthetic2dOptions& options);
};

}  // namespace ffn

#pragma once
// The published permutation experiment as a project: Input(k) -> Dense(width, lecun-normal) -> ReLU ->
// Dense(k, lecun-normal) -> Output(mse), the permutation data, the ntk-ensemble rule and full-batch sgd.
// `ffnlab-cli perm` and the tests build their runs from it; resources/examples/permutation-k10.ffnlab is one.
#include <string>

#include "core/project/Project.h"

namespace ffn {

struct PermutationProjectOptions {
  int k = 10;
  int width = 50'000;
  int members = 100;
  int epochs = 10'000;
  double learningRate = 1e-3;
  std::uint64_t seed = 1;                 // the project seed and the permutation's
  std::string parameterization = "standard";  // standard | ntk
  std::string test = "two-hot";           // two-hot | all
  int testSamples = 1000;
  int threads = 0;                        // 0 = one member per core
  double tolerance = 0.0;                 // bit j is 1 iff mean_j > tolerance (published: 0)
};

Project permutationProject(const PermutationProjectOptions& options);

}  // namespace ffn

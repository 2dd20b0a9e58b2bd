#include "core/data/PermutationTask.h"

#include <cmath>
#include <algorithm>
#include <numeric>

#include "core/base/Rng.h"

namespace ffn {
namespace {

// Builds a dataset of 0/1 inputs (scaled to unit length) and their permuted 0/1 targets.
Result<std::unique_ptr<TensorDataset>> makeSet(const std::vector<int>& perm, std::vector<float> bits) {
  const auto k = static_cast<std::int64_t>(perm.size());
  const std::size_t rows = bits.size() / static_cast<std::size_t>(k);
  std::vector<float> targets(bits.size());
  for (std::size_t r = 0; r < rows; ++r) {
    float* x = bits.data() + r * static_cast<std::size_t>(k);
    const auto y = PermutationTask::apply(perm, x);
    std::copy(y.begin(), y.end(), targets.begin() + static_cast<std::ptrdiff_t>(r * static_cast<std::size_t>(k)));
    float ones = 0.0f;
    for (std::int64_t i = 0; i < k; ++i) ones += x[i];
    const float scale = 1.0f / std::sqrt(ones);
    for (std::int64_t i = 0; i < k; ++i) x[i] *= scale;
  }
  auto data = TensorDataset::create(Shape{k}, std::move(bits), {}, {});
  if (!data) return data.error();
  FFN_TRY((*data)->setTargets(Shape{k}, std::move(targets)));
  return data;
}

}  // namespace

std::vector<float> PermutationTask::apply(const std::vector<int>& permutation, const float* bits) {
  std::vector<float> y(permutation.size());
  for (std::size_t i = 0; i < permutation.size(); ++i) y[i] = bits[permutation[i]];
  return y;
}

Result<PermutationTask> PermutationTask::generate(const PermutationTaskOptions& options) {
  const int k = options.k;
  if (k < 2 || k > kPermutationMaxK)
    return fail("permutation: k must be between 2 and ", std::to_string(kPermutationMaxK), ", got ", std::to_string(k));
  if (options.test == PermutationTest::All && k > kPermutationMaxAllK)
    return fail("permutation: the test set of all 2^k - 1 inputs needs k <= ", std::to_string(kPermutationMaxAllK),
                ", got k = ", std::to_string(k));
  if (options.test == PermutationTest::TwoHot && options.testSamples < 1)
    return fail("permutation: the two-hot test set needs at least one sample");

  PermutationTask task;
  task.m_permutation.resize(static_cast<std::size_t>(k));
  std::iota(task.m_permutation.begin(), task.m_permutation.end(), 0);
  Rng permutationRng(options.seed);
  permutationRng.shuffle(std::span<int>(task.m_permutation));

  const auto ku = static_cast<std::size_t>(k);
  std::vector<float> basis(ku * ku, 0.0f);
  for (std::size_t i = 0; i < ku; ++i) basis[i * ku + i] = 1.0f;
  auto train = makeSet(task.m_permutation, std::move(basis));
  if (!train) return train.error();
  task.m_train = std::move(*train);

  std::vector<float> test;
  if (options.test == PermutationTest::All) {
    const std::size_t count = (std::size_t{1} << ku) - 1;
    test.assign(count * ku, 0.0f);
    for (std::size_t pattern = 1; pattern <= count; ++pattern)
      for (std::size_t i = 0; i < ku; ++i)
        if (pattern >> i & 1u) test[(pattern - 1) * ku + i] = 1.0f;
  } else {
    // Two distinct positions per sample, uniformly over the k(k-1)/2 pairs (torch.randperm(k)[:2] in the paper).
    const auto count = static_cast<std::size_t>(options.testSamples);
    test.assign(count * ku, 0.0f);
    Rng rng(deriveSeed(options.seed, 1));
    for (std::size_t s = 0; s < count; ++s) {
      const std::uint64_t a = rng.below(ku);
      std::uint64_t b = rng.below(ku - 1);
      if (b >= a) ++b;
      test[s * ku + a] = test[s * ku + b] = 1.0f;
    }
  }
  auto testSet = makeSet(task.m_permutation, std::move(test));
  if (!testSet) return testSet.error();
  task.m_test = std::move(*testSet);
  return task;
}

}  // namespace ffn

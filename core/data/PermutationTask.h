#pragma once
// The permutation task of "Exact learning of permutations" (arXiv 2502.16763): a random permutation P of k bit
// positions is to be learned from the k basis vectors alone, (e_i, P e_i), and tested on inputs with several
// ones. y = P x means y[i] = x[perm[i]] (the paper's code builds P as the identity's rows in a random order).
// Every input is divided by its L2 norm, as the paper does for its test inputs (basis vectors are unchanged);
// targets stay 0/1 bit vectors. Datasets have no class labels, only targets.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/data/TensorDataset.h"

namespace ffn {

enum class PermutationTest {
  TwoHot,  // `testSamples` random inputs with two ones (the published setup: 1000), repeats allowed
  All,     // all 2^k - 1 nonzero inputs, in the order of their bit patterns (k <= kPermutationMaxAllK)
};

inline constexpr int kPermutationMaxK = 4096;
inline constexpr int kPermutationMaxAllK = 20;

struct PermutationTaskOptions {
  int k = 10;
  PermutationTest test = PermutationTest::TwoHot;
  std::int64_t testSamples = 1000;
  std::uint64_t seed = 7;  // the permutation; the two-hot draws use a stream derived from it
};

class PermutationTask {
 public:
  static Result<PermutationTask> generate(const PermutationTaskOptions& options);

  int k() const { return static_cast<int>(m_permutation.size()); }
  // perm[i]: the input position that output bit i copies.
  const std::vector<int>& permutation() const { return m_permutation; }
  // The k pairs (e_i, P e_i), in the order i = 0..k-1.
  std::unique_ptr<TensorDataset> takeTrainSet() { return std::move(m_train); }
  std::unique_ptr<TensorDataset> takeTestSet() { return std::move(m_test); }

  // P applied to a 0/1 vector.
  static std::vector<float> apply(const std::vector<int>& permutation, const float* bits);

 private:
  std::vector<int> m_permutation;
  std::unique_ptr<TensorDataset> m_train, m_test;
};

}  // namespace ffn

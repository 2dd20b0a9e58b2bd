#pragma once
// Explanation: what an Explainer returns for a batch - the relevance of every input feature, which class and
// which quantity were explained, and how well relevance was conserved.
#include <string>
#include <vector>

#include "core/tensor/Tensor.h"

namespace ffn {

// How the class explained for each sample is chosen.
struct ClassChoice {
  enum class Mode { Predicted, Given };
  Mode mode = Mode::Predicted;
  std::vector<int> classes;  // Given: one per sample, or a single class for all

  static ClassChoice predicted() { return {}; }
  static ClassChoice given(std::vector<int> classes) { return {Mode::Given, std::move(classes)}; }
};

struct Explanation {
  Tensor relevance;                  // [N, input...]: relevance of each input feature
  std::vector<int> classes;          // the class explained for each sample
  std::vector<float> scores;         // the explained quantity f_c(x) of each sample
  std::vector<float> relevanceSums;  // sum of the input relevance of each sample
  std::string target;                // what was explained, in words

  std::int64_t size() const { return static_cast<std::int64_t>(classes.size()); }
  // |sum_i R_i - f_c(x)| / |f_c(x)| per sample (biases and epsilon absorb relevance, so it is 0 only for LRP-0
  // without biases), and its median over the batch.
  std::vector<double> conservationErrors() const;
  double medianConservationError() const;
};

}  // namespace ffn

#pragma once
// ExplanationTarget: the number an attribution method (LRP, core/lrp) explains for a class c, as the training
// rule that shaped the network defines its prediction. A rule describes the quantity here and knows nothing of
// how it is explained:
//   Logits   - the output layer's score f_c(x) (backprop, Counter-Current Learning: argmax of the forward logits).
//   Head     - <a_k, M[c, :]>, a projection M the rule owns read from layer k (Mono-Forward: G_L = a_L M_L^T).
//   Goodness - sum over chosen layers of scale * ||a_l||^2 with onehot(c) written into the input's first C
//              features (Forward-Forward: the goodness of label c).
#include <cstddef>
#include <string>
#include <vector>

#include "core/tensor/Tensor.h"

namespace ffn {

// One layer's share of a Forward-Forward score: scale * sum_j a_j^2 over the layer's output (scale 1 for the
// sum form of goodness, 1/units for the mean form).
struct GoodnessTerm {
  std::size_t layer = 0;  // index into the network's layers
  float scale = 1.0f;
};

struct ExplanationTarget {
  enum class Kind { Logits, Head, Goodness };
  Kind kind = Kind::Logits;
  // In words, shown with every explanation ("the output logit of the explained class").
  std::string description;

  // Head: scores = output(headLayer) head^T; head:[C, units of headLayer], owned by the rule.
  std::size_t headLayer = 0;
  TensorView head;

  // Goodness: the terms summed into the score of label c.
  std::vector<GoodnessTerm> goodness;
  // The first labelFeatures input features are overwritten with labelOn at feature c and labelOff elsewhere.
  int labelFeatures = 0;
  float labelOn = 1.0f, labelOff = 0.0f;
  // Layers whose input is scaled to unit length first, h / (||h|| + normalizeEps) (Forward-Forward).
  std::vector<std::size_t> normalizedInputs;
  float normalizeEps = 1e-4f;
  // Set when the rule's prediction cannot be explained this way: LRP refuses with this message.
  std::string unsupported;

  // The default of every rule that predicts with the network's output.
  static ExplanationTarget logits();
};

}  // namespace ffn

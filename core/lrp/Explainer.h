#pragma once
// Explainer: Layer-wise Relevance Propagation for a whole batch. Built once for a network, a composite (which
// rule each layer gets) and the quantity to explain (the training rule's ExplanationTarget); explain() runs its
// own forward pass and then the relevance pass, stage by stage, each stage a few Backend ops over the batch -
// no per-sample loops, so the cost is that of a forward and a backward pass (GEMM-bound).
//
// The explained quantity f_c(x) and the start: R = f_c(x) onehot(c) at the top (option: onehot(c)); Softmax
// after the last linear layer is skipped (its input logits are explained); for Forward-Forward's goodness each
// chosen layer adds scale * a_j^2 to the relevance at its output, which sums to its goodness.
#include <memory>
#include <span>
#include <vector>

#include "core/lrp/Composite.h"
#include "core/lrp/Explanation.h"
#include "core/lrp/LinearStage.h"
#include "core/model/Network.h"
#include "core/rules/ExplanationTarget.h"

namespace ffn {

struct ExplainerOptions {
  InputBounds bounds;      // per-feature range of the input, for z^B with bounds from the data
  bool unitStart = false;  // start from onehot(c) instead of f_c(x) onehot(c)
};

// A stage and where its tensors come from in the Explainer's forward pass.
struct StageSlot {
  std::unique_ptr<LrpStage> stage;
  const Tensor* input = nullptr;   // nullptr: the layer's input
  const Tensor* output = nullptr;  // nullptr: the layer's output when outputIsLayer, else computed by the stage
  bool outputIsLayer = true;
};

class Explainer {
 public:
  // Refuses (naming the layer) any layer without relevance propagation, a rule that does not fit its layer, and
  // z^B without the bounds it needs. The network must outlive the explainer; weights may change between calls.
  static Result<std::unique_ptr<Explainer>> create(Network& net, const Composite& composite,
                                                   const ExplanationTarget& target, ExplainerOptions options = {});

  // inputs:[N, input...] -> explanation.relevance:[N, input...]. Reuses `out`'s buffers.
  Status explain(const Tensor& inputs, const ClassChoice& choice, Explanation& out);
  Result<Explanation> explain(const Tensor& inputs, const ClassChoice& choice = {});

  // The explained quantity for every class, [N, C] (its argmax is the prediction).
  Result<Tensor> classScores(const Tensor& inputs);
  // f_c(x) for one class per sample.
  Status scores(const Tensor& inputs, std::span<const int> classes, std::vector<float>& out);

  const ExplanationTarget& target() const { return m_target; }
  Backend& backend() const { return m_net.backend(); }
  int classCount() const { return m_classes; }
  // One line per stage, top first: "dense3 (Dense): epsilon (epsilon=1e-06)".
  std::vector<std::string> describe() const;

 private:
  Explainer(Network& net, ExplanationTarget target, ExplainerOptions options);
  Status checkClasses(const std::vector<int>& classes) const;
  // Runs the layers up to the top with `labels` written into the input (goodness targets only).
  void forward(const Tensor& inputs, std::span<const int> labels);
  // The top's scores [N, C] (logits or head) of the last forward; null for goodness targets.
  const Tensor* topScores() const;
  void goodness(std::vector<float>& out);
  void readScores(std::span<const int> classes, std::vector<float>& out);
  void argmaxRows(const Tensor& scores, std::vector<int>& classes) const;
  void startRelevance(std::span<const int> classes, Tensor& r);
  // The slot's output in the last forward pass (z), or nullptr when its stage computes it.
  const Tensor* stageOutput(const StageSlot& slot) const;

  friend class StageBuilder;
  Network& m_net;
  ExplanationTarget m_target;
  ExplainerOptions m_options;
  std::size_t m_top = 0;  // the last layer taking part
  int m_classes = 0;
  std::vector<StageSlot> m_slots;  // bottom to top

  Tensor m_prepared;                       // the input with labels written in
  std::vector<const Tensor*> m_layerInput;  // per layer, in the last forward
  std::vector<Tensor> m_outputs, m_normalized, m_norms;
  Tensor m_headScores, m_mask, m_relevance[2], m_ones, m_sums, m_squares, m_rowSums;
  std::vector<float> m_scores;
};

}  // namespace ffn

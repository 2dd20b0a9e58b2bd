#pragma once
// Counter-Current Learning (Kao & Hariharan, NeurIPS 2024; SPECS.md, following the official code
// github.com/IandRover/CCL-NeurIPS24 where SPECS is silent). Two networks run against each other:
//   forward  F (the project's graph):  a_0 = x, a_l = f_l(W_l sg(a_{l-1})), logits = W_L sg(a_{L-1})
//   feedback B (owned by the rule):    c_L = I_C (the C one-hot class vectors, not the batch's targets),
//                                      c_{l-1} = f_{l-1}(sg(c_l) B_l^T) for l = L..2, c_0 = c_1 B_1^T (linear)
// with B_l [d_{l-1}, d_l] mapping d_l back to d_{l-1}, bias-free like F, and f_l the activation of F's layer l (the
// official code uses ELU in both nets). For every pair (a_l, c_l), l = 0..L-1:
//   l_l = 0.5 * (256 / d_l) * mean_{n,k} ((a_l c_l^T)_{nk} - [y_n = k])^2
// W_l learns only from l_l (the top W_L only from the cross-entropy of the logits), B_{l+1} only from l_l.
// Each step: gradients of the sum, each net's gradient norm clipped to clipNorm, then the run's optimiser on both
// (published: SGD, lr 1, no momentum, batch 256, 10% of the training data held out for validation). With
// validation data the weights of the epoch with the lowest validation loss are kept (restored at the end).
//
// Metrics per step: ccl_alignment_loss_layerL for L = 0..L-1 (layer 0 is the input pair (x, c_0)), ccl_ce_loss,
// ccl_forward_grad_norm and ccl_feedback_grad_norm (before clipping), ccl_best_epoch (0 until a validation).
#include "core/rules/DenseBlocks.h"
#include "core/rules/RuleParameters.h"

namespace ffn {

class CounterCurrent final : public TrainingRule {
 public:
  // The official loss scales each pair by 256 / d_l (0.5 * 256 / d_l with loss_scale_C = 0.5).
  static constexpr double kReferenceWidth = 256.0;

  explicit CounterCurrent(const Json& params);
  std::string name() const override { return "ccl"; }
  Status prepare(Network& net, const RuleSetup& setup) override;
  Result<StepStats> step(Network& net, const Batch& batch, Optimizer& optimizer) override;
  const Tensor& predict(Network& net, const Tensor& inputs) override;
  void endEpoch(Network& net, const EvalStats* validation) override;
  void finish(Network& net) override;
  std::vector<RuleTensor> ruleTensors() override { return m_feedback.tensors(); }

  // The feedback signals c_0 .. c_{L-1} of the last step ([C, d_l] each) and B_l (1-based, [d_{l-1}, d_l]).
  const Tensor& signal(std::size_t l) const { return m_signals[l]; }
  TensorView feedbackWeight(std::size_t l) const { return m_feedback.weight(static_cast<int>(l - 1)); }
  std::size_t pairCount() const { return m_signals.size(); }
  int bestEpoch() const { return m_bestEpoch; }

 private:
  // The activity a_l of the last forward (a_0 = the inputs).
  const Tensor& activity(Network& net, std::size_t l) const;
  void runFeedback(PassContext& ctx);

  double m_clipNorm = 1.0;
  bool m_keepBest = true;
  std::vector<DenseBlock> m_blocks;
  RuleParameters m_feedback;
  int m_classes = 0;
  Tensor m_identity, m_targets;
  std::vector<Tensor> m_preSignals, m_signals;  // l = 0..L-1: before and after f_l   [C, d_l]
  Tensor m_alignment, m_dalignment, m_da, m_dz, m_dsignal, m_dpre, m_dlogits;
  int m_epoch = 0, m_bestEpoch = 0;
  double m_bestLoss = 0.0;
  Tensor m_bestWeights, m_bestFeedback;
};

}  // namespace ffn

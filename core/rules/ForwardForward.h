#pragma once
// Forward-Forward (Hinton 2022; SPECS.md): every Dense+ReLU layer learns on its own to give high goodness
// G = sum_j a_j^2 to positive data (the input with its true label written in) and low goodness to negative data
// (the same input with a wrong label), Loss_l = mean[softplus(theta - G(x+)) + softplus(G(x-) - theta)].
// Each layer's input is normalised to unit length and detached, so no gradient crosses a layer.
//
// Settings (RuleRegistry has the help text):
//   goodness        sum (theta = threshold * units) | mean (of a_j^2, theta = threshold)
//   threshold       theta per unit
//   schedule        simultaneous (every layer on every batch) | greedy (layer 1 for the first 1/L of the steps, ...)
//   negatives       random (a uniformly drawn wrong label) | hard (drawn from the network's own scores for the wrong
//                   labels, in proportion to their softmax: costs one scoring pass per batch)
//   labelInput      replace-first (Hinton: the label overwrites the first C input features; needs >= C of them) |
//                   extra-inputs (the label enters through C extra inputs whose weights the rule owns, so 2-D data works)
//   labelValue      the value written for the label's class (the neutral label writes labelValue / C everywhere)
//   prediction      goodness (for every class c, sum of G over the layers with c written in; argmax) |
//                   softmax (one pass with the neutral label; a linear softmax read-out of the normalised activities,
//                   trained on detached inputs with cross-entropy alongside the layers)
//   skipFirstLayer  leave the first hidden layer out of the goodness sum and the read-out (as Hinton does)
//
// Metrics per step: ff_goodness_pos_layerL / ff_goodness_neg_layerL (batch means of goodness *per unit* — G / units
// for the sum form — so every layer is drawn against the one threshold line), ff_threshold (theta per unit),
// ff_loss_layerL, and ff_readout_loss / ff_readout_accuracy (softmax prediction), ff_active_layer (greedy).
#include "core/base/Rng.h"
#include "core/rules/GoodnessPass.h"
#include "core/rules/RuleParameters.h"

namespace ffn {

struct ForwardForwardSettings {
  bool meanGoodness = false;
  double threshold = 1.0;
  bool greedy = false;
  bool hardNegatives = false;
  bool replaceFirst = true;
  double labelValue = 1.0;
  bool softmaxPrediction = false;
  bool skipFirstLayer = false;
  static ForwardForwardSettings fromJson(const Json& params);  // params completed against the registry's specs
};

class ForwardForward final : public TrainingRule {
 public:
  explicit ForwardForward(const Json& params);
  std::string name() const override { return "ff"; }
  Status prepare(Network& net, const RuleSetup& setup) override;
  Result<StepStats> step(Network& net, const Batch& batch, Optimizer& optimizer) override;
  const Tensor& predict(Network& net, const Tensor& inputs) override;
  std::vector<RuleTensor> ruleTensors() override { return m_params.tensors(); }
  // The goodness of the explained label, as the goodness prediction sums it (also under softmax prediction: the
  // read-out sits on top of the goodness layers and is not explained).
  ExplanationTarget explanationTarget(const Network& net) const override;

  const ForwardForwardSettings& settings() const { return m_settings; }
  // theta of layer l (0-based) in the units of G.
  double threshold(std::size_t l) const;
  // The layer trained at the next step (greedy), or -1 when all are (simultaneous).
  int activeLayer() const;

 private:
  // The layers whose goodness (and activities) the prediction uses.
  bool usedForPrediction(std::size_t l) const;
  void scoreChunk(PassContext& ctx, const TensorView& inputs, const TensorView& scores);
  // Samples per scoring pass (each runs as C label copies unless a read-out predicts).
  std::int64_t scoringChunk() const;
  // Writes labelValue at each row's class; the neutral label where classes[r] < 0.
  void writeLabels(std::int64_t copies, const std::vector<int>& classes);
  void chooseNegatives(PassContext& ctx, const Batch& batch);
  // FF loss of layer l over the pos rows [0, N) and neg rows [N, 2N); writes dz for those rows. Returns the loss.
  double layerLoss(Backend& backend, std::size_t l, std::int64_t n, std::vector<Metric>& metrics);
  // Read-out logits for rows [first, first + n) of the last pass.        -> logits:[n, C]
  void readoutLogits(Backend& backend, std::int64_t first, std::int64_t n, const TensorView& logits);
  Status trainReadout(Backend& backend, const Batch& batch, const Optimizer& optimizer, StepStats& stats);

  ForwardForwardSettings m_settings;
  int m_classes = 0;
  std::int64_t m_totalSteps = 1, m_steps = 0;
  Rng m_rng;
  GoodnessPass m_pass;
  RuleParameters m_params;
  int m_labelWeights = -1;              // index in m_params (extra-inputs)
  std::vector<int> m_readout;           // per layer: index in m_params or -1 (softmax prediction)
  int m_readoutBias = -1;
  std::vector<int> m_rowClasses, m_negatives;
  Tensor m_factors, m_dz, m_logits, m_dlogits, m_scores, m_batchScores;
  Tensor m_keptRows;  // training rows kept from the hard-negative scoring pass [2N]
};

}  // namespace ffn

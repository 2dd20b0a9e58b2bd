#pragma once
// Mono-Forward (Gong et al. 2025; SPECS.md): every Dense+activation layer i owns a projection M_i [C, d_i] that
// turns its activity into class scores G_i = a_i M_i^T; its local loss, cross-entropy(softmax(G_i), y), updates
// W_i, b_i and M_i only — the layer's input a_{i-1} is detached. Prediction: argmax of the last layer's scores.
//
// Settings (RuleRegistry has the help text):
//   schedule   together (every layer on every batch) | layer-by-layer (one layer after another; a layer moves on
//              when its validation loss has not improved for `patience` epochs, keeping its best weights, or when
//              it has used its share of the remaining steps — the remaining steps split evenly over the remaining
//              layers, which is also the whole rule when there is no validation data)
//   patience   epochs without improvement before a layer-by-layer run moves on
// While training layer by layer, predictions come from the deepest layer trained so far (the last one at the end).
//
// Metrics per step: mf_local_loss_layerL, mf_local_accuracy_layerL for each layer computed, and mf_active_layer
// (layer-by-layer).
#include "core/rules/DenseBlocks.h"
#include "core/rules/RuleParameters.h"

namespace ffn {

class MonoForward final : public TrainingRule {
 public:
  explicit MonoForward(const Json& params);
  std::string name() const override { return "mf"; }
  Status prepare(Network& net, const RuleSetup& setup) override;
  Result<StepStats> step(Network& net, const Batch& batch, Optimizer& optimizer) override;
  const Tensor& predict(Network& net, const Tensor& inputs) override;
  EvalStats evaluate(Network& net, const Batch& batch) override;
  void endEpoch(Network& net, const EvalStats* validation) override;
  void finish(Network& net) override;
  std::vector<RuleTensor> ruleTensors() override { return m_projections.tensors(); }
  // The predicting layer's projected score G_c = <a_i, M_i[c, :]>.
  ExplanationTarget explanationTarget(const Network& net) const override;

  bool layerByLayer() const { return m_layerByLayer; }
  // The layer trained now (layer-by-layer) — 0-based; the last layer when training together.
  int activeLayer() const { return m_active; }

 private:
  // The layer whose scores predict(): the active one while training layer by layer, else the last.
  std::size_t predictLayer() const;
  // Scores of layer i:  a_i:[N,d_i] -> G:[N,C]
  void scores(Backend& backend, std::size_t i, const Tensor& activity, Tensor& out);
  void moveOn(Network& net);
  void snapshotActive(Network& net);
  void restoreActive(Network& net);

  bool m_layerByLayer = false;
  int m_patience = 2;
  std::vector<DenseBlock> m_blocks;
  RuleParameters m_projections;
  int m_classes = 0;
  // Layer-by-layer state.
  int m_active = 0;
  std::int64_t m_totalSteps = 1, m_steps = 0, m_stepsOnLayer = 0, m_budget = 1;
  double m_bestLoss = 0.0;
  int m_stale = 0;
  bool m_hasBest = false, m_done = false, m_predictLast = true;
  Tensor m_bestWeights, m_bestProjection;
  Tensor m_scores, m_dscores, m_da, m_dz, m_prediction;
};

}  // namespace ffn

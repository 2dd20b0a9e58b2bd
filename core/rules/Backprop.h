#pragma once
// Backprop: reverse-mode gradients of the Output node's loss (cross-entropy or MSE) through every layer, one
// optimiser step over all weights per minibatch. The baseline every other rule is compared with.
#include "core/rules/TrainingRule.h"

namespace ffn {

class Backprop final : public TrainingRule {
 public:
  std::string name() const override { return "backprop"; }
  Status prepare(Network& net, const RuleSetup& setup) override;
  Result<StepStats> step(Network& net, const Batch& batch, Optimizer& optimizer) override;
  const Tensor& predict(Network& net, const Tensor& inputs) override;

 private:
  LossFunction m_loss;
  Tensor m_gradLogits;
};

}  // namespace ffn

#pragma once
// TrainingRule: how a network learns from one minibatch — backprop, or a local rule (Forward-Forward, Mono-
// Forward, Counter-Current Learning), or an ensemble. Rules are interchangeable strategies behind this interface
// and use only the public Layer/Network API. Adding a rule = one .h/.cpp, one line in RuleRegistry.cpp, one test.
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/data/Dataset.h"
#include "core/model/LossFunction.h"
#include "core/model/Network.h"
#include "core/optim/Optimizer.h"
#include "core/rules/ExplanationTarget.h"

namespace ffn {

// A named number a rule reports live ("goodness_pos_layer1", "local_accuracy_layer2", ...).
struct Metric {
  std::string name;
  double value = 0.0;
};

struct StepStats {
  double loss = 0.0;       // the rule's own training objective for this batch (mean over samples)
  double accuracy = -1.0;  // on this batch, when the rule can tell cheaply; < 0 when unknown
  std::vector<Metric> metrics;
};

struct EvalStats {
  double lossSum = 0.0;
  std::int64_t correct = 0;
  std::int64_t samples = 0;
  double loss() const { return samples ? lossSum / static_cast<double>(samples) : 0.0; }
  double accuracy() const { return samples ? static_cast<double>(correct) / static_cast<double>(samples) : 0.0; }
  void add(const EvalStats& other) {
    lossSum += other.lossSum;
    correct += other.correct;
    samples += other.samples;
  }
};

// What a rule may want to know before training.
struct RuleSetup {
  int classCount = 0;
  int epochs = 1;
  std::int64_t stepsPerEpoch = 1;
  std::uint64_t seed = 1;
  DataSplits data;
};

// A tensor a rule owns beyond the network's weights (Mono-Forward's projections, CCL's feedback net); saved with
// the weights as "rule.<name>". A view, because a rule keeps its tensors in one flat buffer as the network does.
struct RuleTensor {
  std::string name;
  TensorView tensor;
};

class TrainingRule {
 public:
  virtual ~TrainingRule() = default;
  virtual std::string name() const = 0;

  // Checks the network suits the rule (refusing with the reason) and sets up the rule's own state.
  virtual Status prepare(Network& net, const RuleSetup& setup) = 0;
  // One minibatch: compute the rule's updates and apply them through the optimiser.
  virtual Result<StepStats> step(Network& net, const Batch& batch, Optimizer& optimizer) = 0;
  // Class scores [N, C] for inputs; the prediction is their argmax.
  virtual const Tensor& predict(Network& net, const Tensor& inputs) = 0;
  // Loss and correct count summed over a batch. The default scores predict() with the Output node's loss.
  virtual EvalStats evaluate(Network& net, const Batch& batch);
  // After each epoch, with the validation result (if any): e.g. keep the best checkpoint.
  virtual void endEpoch(Network& net, const EvalStats* validation) {}
  // When training stops: e.g. restore the best checkpoint.
  virtual void finish(Network& net) {}
  // Valid after prepare(); their values are part of the trained model (saveWeights / loadWeights).
  virtual std::vector<RuleTensor> ruleTensors() { return {}; }
  // What an attribution method should explain for this rule's predictions (see ExplanationTarget.h). The default
  // is the network's output logit; a rule that predicts otherwise (Forward-Forward's goodness, Mono-Forward's
  // projection) overrides it. The returned target may point at tensors the rule owns.
  virtual ExplanationTarget explanationTarget(const Network& net) const { return ExplanationTarget::logits(); }

 protected:
  LossFunction m_evalLoss;
};

}  // namespace ffn

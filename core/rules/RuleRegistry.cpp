#include "core/rules/RuleRegistry.h"

#include "core/rules/Backprop.h"
#include "core/rules/CounterCurrent.h"
#include "core/rules/ForwardForward.h"
#include "core/rules/MonoForward.h"
#include "core/rules/NtkEnsemble.h"

namespace ffn {

const std::vector<RuleInfo>& trainingRules() {
  static const std::vector<RuleInfo> rules = [] {
    std::vector<RuleInfo> r;
    r.push_back({"backprop", "Backpropagation",
                 "The standard way networks learn: the error at the output is sent backwards through every layer "
                 "(the chain rule), and every weight moves a little in the direction that lowers the loss. All "
                 "layers learn together from one global objective.",
                 {},
                 [](const Json&) { return std::make_unique<Backprop>(); }});
    r.push_back(
        {"ff", "Forward-Forward",
         "Hinton's Forward-Forward algorithm: no backward pass. Each Dense+ReLU layer learns on its own to be very "
         "active (high goodness, the sum of its squared activities) when the image carries its true label and quiet "
         "when it carries a wrong one; each layer sees only the direction of the previous layer's activity. To "
         "classify, every label is tried and the one with the most goodness wins (or a softmax read-out of the "
         "activities with a neutral label). The graph is a chain of Dense+ReLU layers, with no output layer.",
         {choiceParam("goodness", "Goodness", "sum", {"sum", "mean"},
                      "sum: G = sum of squared activities, compared with threshold x units (Hinton). mean: their "
                      "mean, compared with the threshold itself."),
          floatParam("threshold", "Threshold per unit", 1.0, 0.0, 1000.0,
                     "theta per unit: a positive sample should have more goodness than this, a negative one less."),
          choiceParam("schedule", "Schedule", "simultaneous", {"simultaneous", "greedy"},
                      "simultaneous: every layer learns on every batch. greedy: the first layer for the first 1/L of "
                      "the steps, then the second, ... (avoids the collapse simultaneous runs can show late on)."),
          choiceParam("negatives", "Negative labels", "random", {"random", "hard"},
                      "random: a wrong label drawn uniformly. hard: drawn from the wrong labels the network itself "
                      "scores highest (in proportion to their softmax); costs one scoring pass per batch."),
          choiceParam("labelInput", "Label input", "replace-first", {"replace-first", "extra-inputs"},
                      "replace-first: the label one-hot overwrites the first C input features (Hinton; needs at "
                      "least C of them). extra-inputs: the label enters through C extra inputs of the first layer, "
                      "with weights the rule owns (saved with the weights) - for data with few features, e.g. 2-D."),
          floatParam("labelValue", "Label value", 1.0, 0.001, 1000.0,
                     "The value written for the label's class (the neutral label writes this / C everywhere). "
                     "Raise it when the inputs are large, so the label is not drowned out."),
          choiceParam("prediction", "Prediction", "goodness", {"goodness", "softmax"},
                      "goodness: try every label, predict the one with the most goodness summed over the layers (C "
                      "passes). softmax: one pass with the neutral label and a linear softmax read-out of the "
                      "normalised activities, trained alongside on detached inputs."),
          boolParam("skipFirstLayer", "Skip first layer", false,
                    "Leave the first hidden layer out of the goodness sum and the read-out, as Hinton does "
                    "(ignored for a single layer).")},
         [](const Json& p) { return std::make_unique<ForwardForward>(p); }});
    r.push_back(
        {"mf", "Mono-Forward",
         "Mono-Forward (Gong et al. 2025): each layer has its own small projection to the classes and learns from "
         "its own cross-entropy, with nothing sent backwards between layers. The last layer's class scores give the "
         "prediction. The graph is a chain of Dense layers each followed by an activation, with no output layer.",
         {choiceParam("schedule", "Schedule", "together", {"together", "layer-by-layer"},
                      "together: every layer learns on every batch. layer-by-layer: one layer after another, each "
                      "until its validation loss stops improving (or its share of the steps is used)."),
          intParam("patience", "Patience (epochs)", 2, 1, 1000,
                   "Layer by layer: epochs without a better validation loss before the next layer starts.")},
         [](const Json& p) { return std::make_unique<MonoForward>(p); }});
    r.push_back(
        {"ccl", "Counter-Current Learning",
         "Counter-Current Learning (Kao & Hariharan 2024): a feedback network, built by the rule as the forward "
         "network's mirror image, carries the class targets down while the data goes up; every forward layer learns "
         "to align its activity with the feedback signal at its level, and every feedback layer with the forward "
         "activity, with no gradient crossing a layer. Needs bias-free Dense layers (ELU in between, a last Dense "
         "with one unit per class). Published: SGD, learning rate 1, batch 256, 10% validation.",
         {floatParam("clipNorm", "Gradient clip", 1.0, 0.0, 1e6,
                     "Each net's gradient is scaled down to at most this norm before the update (0 = off)."),
          boolParam("keepBest", "Keep best epoch", true,
                    "With validation data, end with the weights of the epoch with the lowest validation loss.")},
         [](const Json& p) { return std::make_unique<CounterCurrent>(p); }});
    r.push_back({"ntk-ensemble", "NTK ensemble (exact permutations)",
                 "Many wide two-layer networks, each trained alone by gradient descent on the k basis vectors of a "
                 "permutation task, vote with their mean output: once there are enough of them (about k log k for "
                 "one input, k^2 for all at once) the ensemble reproduces the permutation exactly on inputs it "
                 "never saw. Members train in parallel, one per core; only their outputs are kept. Members always "
                 "run on the CPU, each on its own one-thread backend, whatever the project's device: the ensemble is "
                 "embarrassingly parallel over cores, and a member then gives the same numbers wherever it runs "
                 "(alone, in the ensemble, on another MPI rank). The OpenCL device is left unused by this rule.",
                 NtkEnsemble::paramSpecs(),
                 [](const Json& params) { return std::make_unique<NtkEnsemble>(params); }});
    return r;
  }();
  return rules;
}

const RuleInfo* findRule(const std::string& name) {
  for (const auto& rule : trainingRules())
    if (rule.name == name) return &rule;
  return nullptr;
}

Result<std::unique_ptr<TrainingRule>> createRule(const std::string& name, const Json& params) {
  const RuleInfo* info = findRule(name);
  if (!info) {
    std::string known;
    for (const auto& rule : trainingRules()) known += (known.empty() ? "" : ", ") + rule.name;
    return fail("unknown training rule '", name, "' (known: ", known, ")");
  }
  auto complete = completeParams(info->params, params, "rule '" + name + "'");
  if (!complete) return complete.error();
  return info->create(*complete);
}

}  // namespace ffn

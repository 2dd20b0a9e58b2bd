#pragma once
// What the user chooses for the optimiser, as stored in the project file ("optimizer": {...}).
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/graph/ParamSpec.h"

namespace ffn {

struct LearningRateSchedule {
  std::string kind = "constant";  // constant | cosine | linear | step | warmup-cosine
  double finalFactor = 0.0;       // cosine/linear/warmup-cosine end at lr * finalFactor
  double warmupFraction = 0.05;   // warmup-cosine: linear ramp over this fraction of training
  double stepEvery = 0.33;        // step: multiply by stepGamma every this fraction of training
  double stepGamma = 0.1;
  // Factor applied to the base learning rate at `progress` (0..1 of training).
  double factor(double progress) const;
};

struct OptimizerSettings {
  std::string kind = "adam";  // sgd | momentum | adam | adamw
  double learningRate = 1e-3;
  double momentum = 0.9;      // momentum
  bool nesterov = false;      // momentum
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  // adam, adamw
  double weightDecay = 0.0;   // L2 for sgd/momentum/adam, decoupled for adamw
  // Gradient noise (Neelakantan et al. 2015): g += N(0, eta / (1 + t)^0.55); 0 = off. Published eta: 0.01, 0.3, 1.
  double gradientNoise = 0.0;
  LearningRateSchedule schedule;
};

// The settings the GUI shows, one table for all optimisers (fields unused by a kind are ignored).
std::vector<ParamSpec> optimizerParamSpecs();
Json toJson(const OptimizerSettings& settings);
Result<OptimizerSettings> optimizerSettingsFromJson(const Json& json);

}  // namespace ffn

#include "core/optim/OptimizerSettings.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ffn {

double LearningRateSchedule::factor(double progress) const {
  const double p = std::clamp(progress, 0.0, 1.0);
  if (kind == "cosine") return finalFactor + (1.0 - finalFactor) * 0.5 * (1.0 + std::cos(std::numbers::pi * p));
  if (kind == "linear") return 1.0 + (finalFactor - 1.0) * p;
  if (kind == "step") return std::pow(stepGamma, std::floor(p / std::max(stepEvery, 1e-9)));
  if (kind == "warmup-cosine") {
    if (p < warmupFraction) return (p + 1e-3) / (warmupFraction + 1e-3);
    const double t = (p - warmupFraction) / std::max(1.0 - warmupFraction, 1e-9);
    return finalFactor + (1.0 - finalFactor) * 0.5 * (1.0 + std::cos(std::numbers::pi * t));
  }
  return 1.0;
}

std::vector<ParamSpec> optimizerParamSpecs() {
  return {
      choiceParam("kind", "Optimiser", "adam", {"sgd", "momentum", "adam", "adamw"},
                  "sgd: plain gradient steps. momentum: steps that keep a running direction. adam: per-weight "
                  "adaptive steps. adamw: adam with decoupled weight decay."),
      floatParam("lr", "Learning rate", 1e-3, 1e-7, 10.0, "Size of each step.", true),
      floatParam("momentum", "Momentum", 0.9, 0.0, 0.9999, "Share of the previous step kept (momentum)."),
      boolParam("nesterov", "Nesterov", false, "Look-ahead momentum (momentum)."),
      floatParam("beta1", "Beta 1", 0.9, 0.0, 0.9999, "Decay of Adam's mean gradient."),
      floatParam("beta2", "Beta 2", 0.999, 0.0, 0.999999, "Decay of Adam's mean squared gradient."),
      floatParam("epsilon", "Epsilon", 1e-8, 1e-12, 1.0, "Added to Adam's denominator.", true),
      floatParam("weightDecay", "Weight decay", 0.0, 0.0, 1.0, "Pulls weights towards zero (decoupled in adamw)."),
      floatParam("gradientNoise", "Gradient noise eta", 0.0, 0.0, 10.0,
                 "Adds N(0, eta/(1+t)^0.55) to every gradient (Neelakantan et al. 2015); 0 turns it off."),
      choiceParam("schedule", "Learning-rate schedule", "constant",
                  {"constant", "cosine", "linear", "step", "warmup-cosine"},
                  "How the learning rate changes over training."),
      floatParam("finalFactor", "Final factor", 0.0, 0.0, 1.0, "cosine/linear: the learning rate ends at lr x this."),
      floatParam("warmupFraction", "Warm-up fraction", 0.05, 0.0, 0.5, "warmup-cosine: ramp-up share of training."),
      floatParam("stepEvery", "Step every", 0.33, 0.01, 1.0, "step: fraction of training between decays."),
      floatParam("stepGamma", "Step factor", 0.1, 0.0, 1.0, "step: multiply the learning rate by this at each step."),
  };
}

Json toJson(const OptimizerSettings& s) {
  return Json{{"kind", s.kind},
              {"lr", s.learningRate},
              {"momentum", s.momentum},
              {"nesterov", s.nesterov},
              {"beta1", s.beta1},
              {"beta2", s.beta2},
              {"epsilon", s.epsilon},
              {"weightDecay", s.weightDecay},
              {"gradientNoise", s.gradientNoise},
              {"schedule", s.schedule.kind},
              {"finalFactor", s.schedule.finalFactor},
              {"warmupFraction", s.schedule.warmupFraction},
              {"stepEvery", s.schedule.stepEvery},
              {"stepGamma", s.schedule.stepGamma}};
}

Result<OptimizerSettings> optimizerSettingsFromJson(const Json& json) {
  auto complete = completeParams(optimizerParamSpecs(), json, "optimizer");
  if (!complete) return complete.error();
  const Json& j = *complete;
  OptimizerSettings s;
  s.kind = j.at("kind").get<std::string>();
  s.learningRate = j.at("lr").get<double>();
  s.momentum = j.at("momentum").get<double>();
  s.nesterov = j.at("nesterov").get<bool>();
  s.beta1 = j.at("beta1").get<double>();
  s.beta2 = j.at("beta2").get<double>();
  s.epsilon = j.at("epsilon").get<double>();
  s.weightDecay = j.at("weightDecay").get<double>();
  s.gradientNoise = j.at("gradientNoise").get<double>();
  s.schedule.kind = j.at("schedule").get<std::string>();
  s.schedule.finalFactor = j.at("finalFactor").get<double>();
  s.schedule.warmupFraction = j.at("warmupFraction").get<double>();
  s.schedule.stepEvery = j.at("stepEvery").get<double>();
  s.schedule.stepGamma = j.at("stepGamma").get<double>();
  return s;
}

}  // namespace ffn

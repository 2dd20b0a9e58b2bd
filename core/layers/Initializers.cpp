#include "core/layers/Initializers.h"

#include <cmath>

namespace ffn {

ParamSpec initParam() {
  return choiceParam("init", "Initialisation", "kaiming-uniform",
                     {"kaiming-uniform", "he-normal", "xavier-uniform", "lecun-normal"},
                     "How the weights start. kaiming-uniform is PyTorch's default for linear layers; he-normal "
                     "suits deep ReLU stacks; lecun-normal draws N(0, 1/fan-in) with zero biases.");
}

void initializeLinear(const std::string& scheme, Rng& rng, const TensorView& weight, const TensorView& bias,
                      std::int64_t fanIn, std::int64_t fanOut) {
  const float in = static_cast<float>(fanIn), out = static_cast<float>(fanOut);
  if (scheme == "he-normal") {
    rng.fillNormal(weight.mutableValues(), 0.0f, std::sqrt(2.0f / in));
  } else if (scheme == "xavier-uniform") {
    const float limit = std::sqrt(6.0f / (in + out));
    rng.fillUniform(weight.mutableValues(), -limit, limit);
  } else if (scheme == "lecun-normal") {
    rng.fillNormal(weight.mutableValues(), 0.0f, std::sqrt(1.0f / in));
  } else {  // kaiming-uniform
    const float limit = 1.0f / std::sqrt(in);
    rng.fillUniform(weight.mutableValues(), -limit, limit);
    if (bias.valid()) rng.fillUniform(bias.mutableValues(), -limit, limit);
    return;
  }
  if (bias.valid()) bias.mutableVector().setZero();
}

}  // namespace ffn

#pragma once
// Weight initialisation schemes for linear maps W:[fanOut, fanIn] (and their biases).
#include <string>
#include <vector>

#include "core/base/Rng.h"
#include "core/graph/ParamSpec.h"
#include "core/tensor/Tensor.h"

namespace ffn {

// The `init` setting every linear layer offers.
ParamSpec initParam();
// kaiming-uniform: PyTorch's nn.Linear default, W and b ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
// he-normal: W ~ N(0, 2/fanIn), b = 0. xavier-uniform: W ~ U(+-sqrt(6/(fanIn+fanOut))), b = 0.
// lecun-normal: W ~ N(0, 1/fanIn), b = 0 (the NTK permutation paper's member initialisation).
void initializeLinear(const std::string& scheme, Rng& rng, const TensorView& weight, const TensorView& bias,
                      std::int64_t fanIn, std::int64_t fanOut);

}  // namespace ffn

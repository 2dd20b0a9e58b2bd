#pragma once
// The two ends of every network. Input declares the sample shape the data must have; Output marks the logits
// and names the loss that backprop minimises (rules with their own objectives ignore it).
#include "core/graph/NodeKind.h"

namespace ffn {

NodeKind inputKind();
NodeKind outputKind();

enum class LossKind { CrossEntropy, MeanSquaredError };
LossKind lossKindFromName(const std::string& name);

}  // namespace ffn

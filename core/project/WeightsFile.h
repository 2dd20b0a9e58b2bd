#pragma once
// A network's trained weights as a safetensors file beside the project: one F32 tensor per WeightEntry, named
// "<node>.<weight>" ("fc1.weight"), so the file reads naturally in PyTorch and survives reordering of the graph.
// Tensors a training rule owns (Mono-Forward's projections, CCL's feedback net, ...) are part of the trained
// model too and are stored beside them as "rule.<name>" ("rule.mf.projection1").
#include <span>
#include <string>

#include "core/base/Result.h"
#include "core/model/Network.h"
#include "core/project/Safetensors.h"
#include "core/rules/TrainingRule.h"

namespace ffn {

// Writes every weight tensor of the network, and the rule's tensors, (atomically) with the given metadata.
Status saveWeights(const Network& network, const std::string& path, const SafetensorsMetadata& metadata = {},
                   std::span<const RuleTensor> ruleTensors = {});

// Loads weights saved for a network of the same structure (and the same rule's tensors, with the rule prepared
// for this network). Every expected tensor must be present with exactly its shape, and the file may hold no
// others; the message names each offending tensor (and both shapes). The weights change only when everything
// fits: on any error they are untouched.
Status loadWeights(Network& network, const std::string& path, std::span<const RuleTensor> ruleTensors = {});

}  // namespace ffn

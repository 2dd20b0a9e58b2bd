#pragma once
// A network's trained weights as a safetensors file beside the project: one F32 tensor per WeightEntry, named
// "<node>.<weight>" ("fc1.weight"), so the file reads naturally in PyTorch and survives reordering of the graph.
#include <string>

#include "core/base/Result.h"
#include "core/model/Network.h"
#include "core/project/Safetensors.h"

namespace ffn {

// Writes every weight tensor of the network (atomically) with the given metadata.
Status saveWeights(const Network& network, const std::string& path, const SafetensorsMetadata& metadata = {});

// Loads weights saved for a network of the same structure. Every expected tensor must be present with exactly
// its shape, and the file may hold no others; the message names each offending tensor (and both shapes). The
// network's weights change only when everything fits: on any error they are untouched.
Status loadWeights(Network& network, const std::string& path);

}  // namespace ffn

#include "core/layers/BuiltinLayers.h"

#include "core/layers/Activation.h"
#include "core/layers/BlockDiagonal.h"
#include "core/layers/Conv2d.h"
#include "core/layers/Dense.h"
#include "core/layers/Dropout.h"
#include "core/layers/Flatten.h"
#include "core/layers/InputOutput.h"
#include "core/layers/LayerNorm.h"
#include "core/layers/LowRank.h"
#include "core/layers/Pooling.h"
#include "core/layers/Softmax.h"

namespace ffn {

void registerBuiltinKinds(NodeKindRegistry& registry) {
  registry.add(inputKind());
  registry.add(outputKind());
  registry.add(denseKind());
  registry.add(lowRankKind());
  registry.add(blockDiagonalKind());
  for (auto& kind : activationKinds()) registry.add(std::move(kind));
  registry.add(softmaxKind());
  registry.add(layerNormKind());
  registry.add(dropoutKind());
  registry.add(conv2dKind());
  registry.add(maxPool2dKind());
  registry.add(avgPool2dKind());
  registry.add(flattenKind());
}

}  // namespace ffn

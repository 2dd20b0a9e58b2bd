#pragma once
// DenseBlocks: a network read as the local rules see it — a chain of blocks, each a Dense layer followed by at
// most one element-wise activation (Input -> [Dense -> ReLU] -> [Dense -> ReLU] -> ... -> Output). Forward-Forward,
// Mono-Forward and Counter-Current Learning train each block from its own loss, so they need this shape and
// refuse any other layer, naming it. Each rule then adds its own conditions (ReLU only, no bias, ...).
#include <string>
#include <vector>

#include "core/layers/Activation.h"
#include "core/layers/Dense.h"
#include "core/model/Network.h"
#include "core/optim/Optimizer.h"

namespace ffn {

struct DenseBlock {
  std::size_t denseIndex = 0;       // the Dense layer's index in the network
  Dense* dense = nullptr;
  Activation* activation = nullptr;  // nullptr: the block ends at the Dense layer (its output is linear)
  std::size_t activationIndex = 0;   // valid when activation != nullptr
  std::string name;                  // the Dense node's label, for messages
  TensorView weight, bias;            // [out, in], [out] (bias invalid without one)
  TensorView gradWeight, gradBias;    // the same views into the network's gradient buffer
  WeightRange range;                  // the Dense's slice of the flat buffers (weight and bias)

  std::int64_t in() const { return dense->inFeatures(); }
  std::int64_t out() const { return dense->units(); }
  // The index of the block's last layer (its output is the block's output).
  std::size_t lastIndex() const { return activation ? activationIndex : denseIndex; }
  // z:[N,out] -> a:[N,out] through the activation (a copy when there is none); a is resized.
  void activate(PassContext& ctx, const Tensor& z, Tensor& a) const;
  // da:[N,out] -> dz:[N,out] through the activation's derivative at z (a = f(z)); dz is resized.
  void activationBackward(PassContext& ctx, const Tensor& z, const Tensor& a, const Tensor& da, Tensor& dz) const;
  // Writes (not adds) the block's gradient for dz = dLoss/dz at input x: dW = dz^T x, db = sum_n dz.
  // A local rule gives each block one loss, so writing saves zeroing the slice first (a pass over the weights).
  //   x:[N,in], dz:[N,out] -> gradWeight:[out,in], gradBias:[out]
  void writeGradient(Backend& backend, const TensorView& x, const TensorView& dz) const;
};

// Splits the network into blocks, or refuses it with a message that starts with `ruleTitle` and names the node.
Result<std::vector<DenseBlock>> denseBlocks(Network& net, const std::string& ruleTitle);

}  // namespace ffn

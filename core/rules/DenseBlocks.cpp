#include "core/rules/DenseBlocks.h"

namespace ffn {

void DenseBlock::activate(PassContext& ctx, const Tensor& z, Tensor& a) const {
  a.resize(z.shape());
  if (activation)
    activation->forward(ctx, z, a);
  else
    ctx.backend.copy(z, a);
}

void DenseBlock::activationBackward(PassContext& ctx, const Tensor& z, const Tensor& a, const Tensor& da,
                                    Tensor& dz) const {
  dz.resize(z.shape());
  if (activation)
    activation->backwardInput(ctx, z, a, da, dz);
  else
    ctx.backend.copy(da, dz);
}

Result<std::vector<DenseBlock>> denseBlocks(Network& net, const std::string& ruleTitle) {
  std::vector<DenseBlock> blocks;
  for (std::size_t i = 0; i < net.layerCount(); ++i) {
    NetworkLayer& layer = net.layer(i);
    if (auto* dense = dynamic_cast<Dense*>(layer.layer.get())) {
      DenseBlock block;
      block.denseIndex = i;
      block.dense = dense;
      block.name = layer.layer->kind() + " '" + layer.label + "'";
      block.weight = dense->weight();
      block.bias = dense->bias();
      block.range = {layer.weightOffset, layer.weightCount};
      for (const WeightEntry& entry : net.weightEntries()) {
        if (entry.node != layer.id) continue;
        (entry.name == "weight" ? block.gradWeight : block.gradBias) = net.gradientView(entry);
      }
      blocks.push_back(std::move(block));
      continue;
    }
    auto* activation = dynamic_cast<Activation*>(layer.layer.get());
    const std::string what = layer.layer->kind() + " '" + layer.label + "'";
    if (!activation)
      return fail(ruleTitle, " trains chains of Dense layers, each followed by an activation; it cannot train ", what,
                  " (remove it)");
    if (blocks.empty())
      return fail(ruleTitle, " needs a Dense layer before ", what, " (the network must start with Dense)");
    if (blocks.back().activation)
      return fail(ruleTitle, " allows one activation per Dense layer, but ", what, " follows ",
                  blocks.back().activation->kind(), " after ", blocks.back().name);
    blocks.back().activation = activation;
    blocks.back().activationIndex = i;
  }
  if (blocks.empty()) return fail(ruleTitle, " needs at least one Dense layer");
  return blocks;
}

void DenseBlock::writeGradient(Backend& backend, const TensorView& x, const TensorView& dz) const {
  // x:[N,in], dz:[N,out] -> dW:[out,in] = dz^T x, db:[out] = sum_n dz
  backend.gemm(Transpose::Yes, Transpose::No, 1.0f, dz, x, 0.0f, gradWeight);
  if (bias.valid()) backend.sumRows(dz, 0.0f, gradBias);
}

}  // namespace ffn

#pragma once
// StageBuilder: turns a network's layers (up to the explained top) into the Explainer's chain of LRP stages -
// one rule per layer from the composite, the structured layers through their factors, convolution and pooling
// like their dense equivalents, and the LayerNorm canonizer. Every layer kind either gets a stage or is refused
// with a message naming it.
#include "core/lrp/Explainer.h"

namespace ffn {

class StageBuilder {
 public:
  StageBuilder(Explainer& explainer, const Composite& composite) : m_explainer(explainer), m_composite(composite) {}
  Status build();

 private:
  Status addLayer(std::size_t i, LayerRole role);
  Status addLinear(std::size_t i, const std::string& label, std::unique_ptr<LinearMap> map, const Json& spec,
                   bool readsInput, const Tensor* input = nullptr, const Tensor* output = nullptr,
                   bool outputIsLayer = true);
  Status mergeLayerNorm(std::size_t i);
  bool producesNonNegative(std::size_t i) const;  // layer i's output is >= 0 whatever the input
  std::string name(std::size_t i) const;  // "Dense 'dense1'"

  Explainer& m_explainer;
  const Composite& m_composite;
};

}  // namespace ffn

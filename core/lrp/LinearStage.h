#pragma once
// LinearStage: an LrpRule run over a LinearMap, for the whole batch at once. For each of the rule's passes it
// changes the input and the weights (Backend ops), runs the map forward, forms each group's stabilised
// denominator, runs the map's transpose on R / denominator and sums the passes' shares (see LrpRule.h). The
// common case - LRP-0 or epsilon with the forward pass's z at hand - is one division, one transposed map and one
// product: the cost of a gradient.
#include <memory>
#include <vector>

#include "core/lrp/LinearMap.h"
#include "core/lrp/LrpRule.h"
#include "core/lrp/LrpStage.h"

namespace ffn {

// Per-feature bounds l <= x <= h of a stage's input, for z^B.
struct InputBounds {
  Tensor low, high;  // [features]
  bool empty() const { return low.empty(); }
};

class LinearStage final : public LrpStage {
 public:
  // bounds: the input's per-feature bounds when the rule asks for data bounds (nullptr otherwise).
  // nonNegativeInput: the input is known to be >= 0 (it comes out of a ReLU): the rule's passes over the
  // input's negative part are then all zeros and are skipped, and its positive part is the input itself - half
  // the products of alpha-beta and z+ in the hidden layers of a ReLU network, with the same result.
  LinearStage(std::string label, std::size_t layer, std::unique_ptr<LinearMap> map, std::unique_ptr<LrpRule> rule,
              const InputBounds* bounds = nullptr, bool nonNegativeInput = false);
  void relevance(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut, Tensor& rIn) override;

  LinearMap& map() { return *m_map; }
  // Swaps the map (a canonizer's merged copy); the stage's forward output must then be computed anew.
  void replaceMap(std::unique_ptr<LinearMap> map) { m_map = std::move(map); }
  const LrpRule& rule() const { return *m_rule; }

 private:
  // A set of changed weights and bias for one ParamChange.
  struct Params {
    ParamChange change;
    float gamma;
    std::vector<Tensor> owned;
    Tensor ownedBias;
    std::vector<TensorView> weights;
    TensorView bias;
  };
  const Params& paramsFor(Backend& backend, const LrpPass& pass);
  const Tensor& inputFor(Backend& backend, InputChange change, const Tensor& a);
  void change(Backend& backend, ParamChange change, float gamma, const TensorView& from, Tensor& to);

  std::unique_ptr<LinearMap> m_map;
  std::unique_ptr<LrpRule> m_rule;
  std::vector<LrpPass> m_passes;
  float m_stabilizer;
  const InputBounds* m_bounds;
  std::vector<Params> m_params;                         // rebuilt on every call (weights may have changed)
  std::vector<std::pair<InputChange, Tensor>> m_inputs;  // changed inputs of the current call
  std::vector<Tensor> m_outputs, m_denominators, m_ratios;
  Tensor m_contribution, m_product;
};

}  // namespace ffn

#pragma once
// LinearStage: an LrpRule run over a LinearMap, for the whole batch at once. For each of the rule's passes it
// changes the input and the weights (Backend ops), runs the map forward, forms each group's stabilised
// denominator, runs the map's transpose on R / denominator and sums the passes' shares (see LrpRule.h). The
// common case - LRP-0 or epsilon with the forward pass's z at hand - is one division, one transposed map and one
// product: the cost of a gradient.
#include <memory>
#include <optional>
#include <utility>
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
  std::optional<float> dividesOutput() const override;
  bool relevanceFused(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut, bool rOutIsRatio,
                      const DivisionBelow* below, Tensor& rIn) override;

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
    // Generations of what the owned copies were made from (the map's weights, then its bias): remade only when
    // one changed, so their packed copies (Backend::beginWeightReuse) stay valid from call to call.
    std::vector<std::uint64_t> madeFrom;
  };
  // The generations of the map's weights and its bias (unique to a tensor's state: Tensor::generation()).
  std::vector<std::uint64_t> weightGenerations(const std::vector<TensorView>& weights) const;
  const Params& paramsFor(Backend& backend, const LrpPass& pass);
  const Tensor& inputFor(Backend& backend, InputChange change, const Tensor& a);
  void change(Backend& backend, ParamChange change, float gamma, const TensorView& from, Tensor& to);

  // The rule's passes, cheaply. Each pass's product without bias, C_p = L(x_p; rho_p(W)), is taken from what is
  // at hand where the algebra allows (same numbers up to rounding): a constant input (bounds, ones) goes through
  // the map as one row; the unchanged input and weights give the forward pass's z minus the bias; for a map
  // linear in a single weight tensor (Dense, BlockDiagonal, Conv2d), w- = w - w+ turns a product into a
  // difference, and a signed input's pair of passes needs one product L(|x|; |w|) (signedPairSign). This makes
  // z^B, z+ and alpha-beta on the first layer cost two to three products fewer.
  static bool isConstantInput(InputChange change);
  void denominators(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut);
  void reduce(Backend& backend, const Tensor& a, Tensor& rIn);
  void core(Backend& backend, std::size_t p, const Tensor& a, const Tensor* z);
  // A core this call has already made (or z minus the bias for the unchanged pass), or nullptr.
  const Tensor* knownCore(Backend& backend, const LrpPass& pass, const Tensor* z);
  // For a w- pass of a map linear in its weights: the known cores L(x; w) and L(x; w+), either nullptr if not
  // known (then the pass is computed directly).
  std::pair<const Tensor*, const Tensor*> weightDifferenceTerms(Backend& backend, const LrpPass& pass, const Tensor* z);
  const Tensor& zWithoutBias(Backend& backend, const Tensor& z);
  // d += sign * bias, the bias in the map's output layout.
  void addBias(Backend& backend, const TensorView& bias, float sign, Tensor& d);
  std::optional<float> signedPairSign(const std::vector<std::size_t>& members) const;
  void absoluteProduct(Backend& backend, const Tensor& a);

  std::unique_ptr<LinearMap> m_map;
  std::unique_ptr<LrpRule> m_rule;
  std::vector<LrpPass> m_passes;
  float m_stabilizer;
  const InputBounds* m_bounds;
  std::vector<Params> m_params;                         // remade when the weights have changed
  std::vector<std::pair<InputChange, Tensor>> m_inputs;  // changed inputs of the current call
  std::vector<Tensor> m_cores, m_denominators, m_ratios, m_transposes;
  std::vector<bool> m_coreKnown;
  bool m_linearInWeights = false, m_zWithoutBiasKnown = false, m_absoluteKnown = false;
  Tensor m_contribution, m_product, m_row, m_rowOut, m_zWithoutBias;
  // sign * bias in the output layout, one row, for each (bias, sign) addBias met in the current call.
  struct BiasImage {
    const Tensor* bias;
    std::int64_t offset;
    float sign;
    Tensor row;
  };
  std::vector<BiasImage> m_biasImages;
  Tensor m_absoluteInput, m_absoluteWeight, m_absolute;  // |x|, |w| and L(|x|; |w|)
  std::pair<std::uint64_t, std::uint64_t> m_absoluteWeightMadeFrom{0, 0};  // generations of w+ and w- behind |w|
};

}  // namespace ffn

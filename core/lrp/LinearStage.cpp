#include "core/lrp/LinearStage.h"

#include <algorithm>
#include <cassert>

namespace ffn {

namespace {

// A rule's passes for an input known to be >= 0: min(a, 0) = 0 makes the negative-input passes contribute
// nothing (they never carry the bias), and max(a, 0) = a.
std::vector<LrpPass> passesFor(const LrpRule& rule, bool nonNegativeInput) {
  std::vector<LrpPass> passes = rule.passes();
  if (!nonNegativeInput) return passes;
  std::erase_if(passes, [](const LrpPass& p) { return p.input == InputChange::Negative && !p.withBias; });
  for (LrpPass& p : passes)
    if (p.input == InputChange::Positive) p.input = InputChange::Same;
  return passes;
}

}  // namespace

LinearStage::LinearStage(std::string label, std::size_t layer, std::unique_ptr<LinearMap> map,
                         std::unique_ptr<LrpRule> rule, const InputBounds* bounds, bool nonNegativeInput)
    : LrpStage(std::move(label), layer),
      m_map(std::move(map)),
      m_rule(std::move(rule)),
      m_passes(passesFor(*m_rule, nonNegativeInput)),
      m_stabilizer(m_rule->stabilizer()),
      m_bounds(bounds) {
  // One set of changed parameters per distinct change, one changed input per distinct input change; reserved
  // once so that views into them never move.
  m_params.reserve(m_passes.size());
  for (const LrpPass& pass : m_passes) {
    const bool known = std::any_of(m_params.begin(), m_params.end(), [&](const Params& p) {
      return p.change == pass.params && p.gamma == pass.gamma;
    });
    if (!known) m_params.push_back(Params{pass.params, pass.gamma, {}, {}, {}, {}, {}});
    const bool seen = std::any_of(m_inputs.begin(), m_inputs.end(), [&](const auto& in) { return in.first == pass.input; });
    if (!seen && pass.input != InputChange::Same) m_inputs.emplace_back(pass.input, Tensor());
  }
  int groups = 0;
  for (const LrpPass& pass : m_passes) groups = std::max(groups, pass.group + 1);
  m_cores.resize(m_passes.size());
  m_denominators.resize(static_cast<std::size_t>(groups));
  m_ratios.resize(static_cast<std::size_t>(groups));
}

void LinearStage::change(Backend& backend, ParamChange change, float gamma, const TensorView& from, Tensor& to) {
  to.resize(from.shape());
  switch (change) {
    case ParamChange::Same: backend.copy(from, to); break;
    case ParamChange::Positive: backend.activationForward(ActivationKind::ReLU, 0.0f, from, to); break;
    case ParamChange::Negative:  // w - max(w, 0)
      backend.activationForward(ActivationKind::ReLU, 0.0f, from, to);
      backend.scale(-1.0f, to);
      backend.axpy(1.0f, from, to);
      break;
    case ParamChange::GammaBoost:  // w + gamma max(w, 0)
      backend.activationForward(ActivationKind::ReLU, 0.0f, from, to);
      backend.scale(gamma, to);
      backend.axpy(1.0f, from, to);
      break;
    case ParamChange::Square: backend.multiply(from, from, to); break;
    case ParamChange::Ones: backend.fill(1.0f, to); break;
  }
}

const LinearStage::Params& LinearStage::paramsFor(Backend& backend, const LrpPass& pass) {
  auto it = std::find_if(m_params.begin(), m_params.end(),
                         [&](const Params& p) { return p.change == pass.params && p.gamma == pass.gamma; });
  assert(it != m_params.end());
  return *it;
}

const Tensor& LinearStage::inputFor(Backend& backend, InputChange change, const Tensor& a) {
  if (change == InputChange::Same) return a;
  auto it = std::find_if(m_inputs.begin(), m_inputs.end(), [&](const auto& in) { return in.first == change; });
  assert(it != m_inputs.end());
  return it->second;
}

std::optional<float> LinearStage::dividesOutput() const {
  return m_rule->usesPlainForward() ? std::optional<float>(m_stabilizer) : std::nullopt;
}

void LinearStage::relevance(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut, Tensor& rIn) {
  relevanceFused(backend, a, z, rOut, false, nullptr, rIn);
}

bool LinearStage::relevanceFused(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut,
                                 bool rOutIsRatio, const DivisionBelow* below, Tensor& rIn) {
  // a:[N,in], rOut:[N,out] -> rIn:[N,in]
  assert(!rOutIsRatio || m_rule->usesPlainForward());
  m_map->refresh(backend);
  const std::int64_t n = a.rows(), in = m_map->inFeatures();
  const std::vector<TensorView> weights = m_map->weights();
  rIn.resize(Shape{n, in});
  if (rOutIsRatio || (z && m_rule->usesPlainForward())) {
    // LRP-0 / epsilon: rIn = a * L^T(s), s = rOut / stabilise(z) (given, or made here); divided for the stage
    // below as it is stored when that is asked for and the map can.
    const Tensor* ratios = &rOut;
    if (!rOutIsRatio) {
      m_ratios[0].resize(rOut.shape());
      backend.stabilizedDivide(rOut, *z, m_stabilizer, m_ratios[0]);
      ratios = &m_ratios[0];
    }
    if (below && m_map->transposeTimesDivided(backend, weights, *ratios, a, *below->z, below->eps, rIn)) return true;
    m_map->transposeTimes(backend, weights, *ratios, a, m_contribution, rIn);
    return false;
  }

  // The changed weights and inputs of this call (the network's weights may have changed since the last one).
  for (Params& p : m_params) {
    if (p.change == ParamChange::Same) {
      p.weights = weights;
      p.bias = m_map->bias();
      continue;
    }
    std::vector<std::uint64_t> generations = weightGenerations(weights);
    if (p.madeFrom == generations) continue;
    p.owned.resize(weights.size());
    p.weights.clear();
    for (std::size_t k = 0; k < weights.size(); ++k) {
      change(backend, p.change, p.gamma, weights[k], p.owned[k]);
      p.weights.emplace_back(p.owned[k]);
    }
    p.bias = {};
    if (m_map->bias().valid() && p.change != ParamChange::Square && p.change != ParamChange::Ones) {
      change(backend, p.change, p.gamma, m_map->bias(), p.ownedBias);
      p.bias = TensorView(p.ownedBias);
    }
    p.madeFrom = std::move(generations);
  }
  const Tensor* positiveInput = nullptr;
  for (auto& [kind, x] : m_inputs) {
    x.resize(Shape{n, in});
    if (kind == InputChange::Negative && positiveInput) {
      // x- = x - x+ (one pass over the batch where x - max(x, 0) took three; the same bits, signed zeros too)
      backend.subtract(a, *positiveInput, x);
    } else if (kind == InputChange::Positive || kind == InputChange::Negative) {
      change(backend, kind == InputChange::Positive ? ParamChange::Positive : ParamChange::Negative, 0.0f, a, x);
      if (kind == InputChange::Positive) positiveInput = &x;
    } else if (kind == InputChange::Ones) {
      backend.fill(1.0f, x);
    } else {  // a bound: the rule's fixed value, or the per-feature bounds broadcast over the batch
      const BoundsSetting setting = m_rule->bounds().value_or(BoundsSetting{});
      const bool low = kind == InputChange::LowBound;
      if (!setting.fromData) {
        backend.fill(low ? setting.low : setting.high, x);
      } else {
        assert(m_bounds && !m_bounds->empty());
        backend.fill(0.0f, x);
        backend.addRowVector(x, low ? m_bounds->low : m_bounds->high);
      }
    }
  }

  denominators(backend, a, z, rOut);
  reduce(backend, a, rIn);
  return false;
}

std::vector<std::uint64_t> LinearStage::weightGenerations(const std::vector<TensorView>& weights) const {
  std::vector<std::uint64_t> generations;
  for (const TensorView& w : weights) generations.push_back(w.tensor()->generation());
  if (const TensorView bias = m_map->bias(); bias.valid()) generations.push_back(bias.tensor()->generation());
  return generations;
}

bool LinearStage::isConstantInput(InputChange change) {
  return change == InputChange::LowBound || change == InputChange::HighBound || change == InputChange::Ones;
}

const Tensor* LinearStage::knownCore(Backend& backend, const LrpPass& pass, const Tensor* z) {
  if (z && pass.input == InputChange::Same && pass.params == ParamChange::Same) return &zWithoutBias(backend, *z);
  for (std::size_t q = 0; q < m_passes.size(); ++q)
    if (m_coreKnown[q] && m_passes[q].input == pass.input && m_passes[q].params == pass.params &&
        m_passes[q].gamma == pass.gamma)
      return &m_cores[q];
  return nullptr;
}

std::pair<const Tensor*, const Tensor*> LinearStage::weightDifferenceTerms(Backend& backend, const LrpPass& pass,
                                                                           const Tensor* z) {
  if (!m_linearInWeights || pass.params != ParamChange::Negative) return {nullptr, nullptr};
  return {knownCore(backend, LrpPass{.input = pass.input}, z),
          knownCore(backend, LrpPass{.input = pass.input, .params = ParamChange::Positive}, z)};
}

void LinearStage::core(Backend& backend, std::size_t p, const Tensor& a, const Tensor* z) {
  // C_p = L(x_p; rho_p(W)) without bias, by the cheapest route to the same value.
  const LrpPass& pass = m_passes[p];
  Tensor& out = m_cores[p];
  const std::int64_t n = a.rows();
  if (isConstantInput(pass.input)) {
    // Every row of a bound or of ones is the same: one row through the map, repeated.
    m_row.resize(Shape{1, m_map->inFeatures()});
    backend.copy(TensorView(inputFor(backend, pass.input, a)).rowRange(0, 1), m_row);
    m_map->forward(backend, paramsFor(backend, pass).weights, TensorView(), m_row, m_rowOut);
    out.resize(Shape{n, m_map->outFeatures()});
    backend.fill(0.0f, out);
    backend.addRowVector(out, TensorView(m_rowOut, 0, Shape{m_map->outFeatures()}));
  } else if (z && pass.input == InputChange::Same && pass.params == ParamChange::Same) {
    out.resize(z->shape());
    backend.copy(zWithoutBias(backend, *z), out);
  } else if (const auto [same, positive] = weightDifferenceTerms(backend, pass, z); same && positive) {
    // w- = w - w+, and L is linear in w: L(x; w-) = L(x; w) - L(x; w+).
    out.resize(same->shape());
    backend.subtract(*same, *positive, out);
  } else {
    m_map->forward(backend, paramsFor(backend, pass).weights, TensorView(), inputFor(backend, pass.input, a), out);
  }
  m_coreKnown[p] = true;
}

const Tensor& LinearStage::zWithoutBias(Backend& backend, const Tensor& z) {
  if (m_zWithoutBiasKnown) return m_zWithoutBias;
  m_zWithoutBias.resize(z.shape());
  backend.copy(z, m_zWithoutBias);
  if (m_map->bias().valid()) addBias(backend, m_map->bias(), -1.0f, m_zWithoutBias);
  m_zWithoutBiasKnown = true;
  return m_zWithoutBias;
}

void LinearStage::addBias(Backend& backend, const TensorView& bias, float sign, Tensor& d) {
  // The bias in the output's layout (per column for Dense, per channel and pixel for Conv2d) is the map run on a
  // zero row; every sample gets the same. A rule adds the same (bias, sign) to several denominators (z+ and the
  // alpha-beta groups), so each image is made once per call.
  auto it = std::find_if(m_biasImages.begin(), m_biasImages.end(), [&](const BiasImage& b) {
    return b.bias == bias.tensor() && b.offset == bias.offset() && b.sign == sign;
  });
  if (it == m_biasImages.end()) {
    BiasImage image{bias.tensor(), bias.offset(), sign, {}};
    m_row.resize(Shape{1, m_map->inFeatures()});
    backend.fill(0.0f, m_row);
    m_map->forward(backend, m_map->weights(), bias, m_row, image.row);
    if (sign != 1.0f) backend.scale(sign, image.row);
    it = m_biasImages.insert(m_biasImages.end(), std::move(image));
  }
  backend.addRowVector(d, TensorView(it->row, 0, Shape{m_map->outFeatures()}));
}

std::optional<float> LinearStage::signedPairSign(const std::vector<std::size_t>& members) const {
  // {x+ w+, x- w-} (z+'s and alpha-beta's positive group) or {x+ w-, x- w+} (alpha-beta's negative group), the
  // bias only on the x+ pass: with |x| = x+ - x-, |w| = w+ - w- and L bilinear,
  //   L(x+; w+) + L(x-; w-) = (L(x; w) + L(|x|; |w|)) / 2,   L(x+; w-) + L(x-; w+) = (L(x; w) - L(|x|; |w|)) / 2.
  if (!m_linearInWeights || members.size() != 2) return std::nullopt;
  const LrpPass& first = m_passes[members[0]];
  const LrpPass& second = m_passes[members[1]];
  const bool shape = first.input == InputChange::Positive && second.input == InputChange::Negative &&
                     first.sign == 1.0f && second.sign == 1.0f && !second.withBias &&
                     (first.params == ParamChange::Positive || first.params == ParamChange::Negative) &&
                     second.params == (first.params == ParamChange::Positive ? ParamChange::Negative : ParamChange::Positive);
  if (!shape) return std::nullopt;
  return first.params == ParamChange::Positive ? 1.0f : -1.0f;
}

void LinearStage::denominators(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut) {
  // Each group's denominator d_g = sum_p sign_p (C_p + rho_p(b)) and ratio s_g = rOut / stabilise(d_g).
  m_linearInWeights = z && m_map->weights().size() == 1;
  m_zWithoutBiasKnown = m_absoluteKnown = false;
  m_coreKnown.assign(m_passes.size(), false);
  m_biasImages.clear();
  for (std::size_t g = 0; g < m_denominators.size(); ++g) {
    std::vector<std::size_t> members;
    for (std::size_t p = 0; p < m_passes.size(); ++p)
      if (m_passes[p].group == static_cast<int>(g)) members.push_back(p);
    Tensor& d = m_denominators[g];
    if (const auto sign = signedPairSign(members)) {
      absoluteProduct(backend, a);
      d.resize(rOut.shape());
      backend.copy(zWithoutBias(backend, *z), d);
      backend.axpy(*sign, m_absolute, d);
      backend.scale(0.5f, d);
      const LrpPass& first = m_passes[members[0]];
      if (first.withBias && paramsFor(backend, first).bias.valid()) addBias(backend, paramsFor(backend, first).bias, 1.0f, d);
    } else {
      // Passes that change the weights to w+ first: their cores give the w- ones by difference.
      for (const bool negative : {false, true})
        for (std::size_t p : members)
          if ((m_passes[p].params == ParamChange::Negative) == negative) core(backend, p, a, z);
      d.resize(rOut.shape());
      for (std::size_t i = 0; i < members.size(); ++i) {
        const LrpPass& pass = m_passes[members[i]];
        if (i == 0) {
          backend.copy(m_cores[members[i]], d);
          if (pass.sign != 1.0f) backend.scale(pass.sign, d);
        } else {
          backend.axpy(pass.sign, m_cores[members[i]], d);
        }
        const TensorView bias = paramsFor(backend, pass).bias;
        if (pass.withBias && bias.valid()) addBias(backend, bias, pass.sign, d);
      }
    }
    m_ratios[g].resize(rOut.shape());
    backend.stabilizedDivide(rOut, d, m_stabilizer, m_ratios[g]);
  }
}

void LinearStage::absoluteProduct(Backend& backend, const Tensor& a) {
  // m_absolute = L(|x|; |w|), |x| = x+ - x-, |w| = w+ - w-: one product in place of four.
  if (m_absoluteKnown) return;
  const Tensor& positive = inputFor(backend, InputChange::Positive, a);
  m_absoluteInput.resize(positive.shape());
  backend.subtract(positive, inputFor(backend, InputChange::Negative, a), m_absoluteInput);
  const TensorView plus = paramsFor(backend, LrpPass{.params = ParamChange::Positive}).weights[0];
  const TensorView minus = paramsFor(backend, LrpPass{.params = ParamChange::Negative}).weights[0];
  // |w| only when w+ or w- were remade (kept unchanged, its packed copy stays valid: Backend::beginWeightReuse).
  const std::pair<std::uint64_t, std::uint64_t> madeFrom{plus.tensor()->generation(), minus.tensor()->generation()};
  if (madeFrom != m_absoluteWeightMadeFrom) {
    m_absoluteWeight.resize(plus.shape());
    backend.copy(plus, m_absoluteWeight);
    backend.axpy(-1.0f, minus, m_absoluteWeight);
    m_absoluteWeightMadeFrom = madeFrom;
  }
  const TensorView weight(m_absoluteWeight);
  m_map->forward(backend, std::span<const TensorView>(&weight, 1), TensorView(), m_absoluteInput, m_absolute);
  m_absoluteKnown = true;
}

void LinearStage::reduce(Backend& backend, const Tensor& a, Tensor& rIn) {
  // rIn = sum_p share_p * x_p * T_p with T_p = L^T(s_g(p); rho_p(W)). A transpose already made for the same group
  // and weights is reused; for a map linear in one weight tensor, T for w- is T for w minus T for w+ (z^B).
  m_transposes.resize(m_passes.size());
  std::vector<const Tensor*> made(m_passes.size(), nullptr);
  auto find = [&](int group, ParamChange params, float gamma) -> const Tensor* {
    for (std::size_t q = 0; q < m_passes.size(); ++q)
      if (made[q] && m_passes[q].group == group && m_passes[q].params == params && m_passes[q].gamma == gamma)
        return made[q];
    return nullptr;
  };
  // Whether a later pass reads pass p's transpose: one of the same group and weights reuses it, or a w- pass of
  // its group makes its own by difference from the group's w and w+ transposes (the test below), p being one
  // of them and the other made before that pass too.
  auto inGroupBefore = [&](int group, ParamChange params, std::size_t before) {
    for (std::size_t r = 0; r < before; ++r)
      if (m_passes[r].group == group && m_passes[r].params == params && m_passes[r].gamma == 0.0f) return true;
    return false;
  };
  auto readLater = [&](std::size_t p) {
    const LrpPass& pass = m_passes[p];
    const bool differenceTerm =
        m_linearInWeights && pass.gamma == 0.0f && (pass.params == ParamChange::Same || pass.params == ParamChange::Positive);
    const ParamChange other = pass.params == ParamChange::Same ? ParamChange::Positive : ParamChange::Same;
    for (std::size_t q = p + 1; q < m_passes.size(); ++q) {
      const LrpPass& later = m_passes[q];
      if (later.group != pass.group) continue;
      if (later.params == pass.params && later.gamma == pass.gamma) return true;
      if (differenceTerm && later.params == ParamChange::Negative && inGroupBefore(pass.group, other, q)) return true;
    }
    return false;
  };
  for (std::size_t p = 0; p < m_passes.size(); ++p) {
    const LrpPass& pass = m_passes[p];
    const Tensor& ratio = m_ratios[static_cast<std::size_t>(pass.group)];
    const bool ones = pass.input == InputChange::Ones;
    // This pass's part of rIn is share * term, term = x_p * T_p (T_p itself for an input of ones). The first
    // pass writes rIn (share * term where the sum started from 0 + share * term: the same bits).
    Tensor& product = p == 0 ? rIn : m_product;
    const Tensor* term = &product;
    if (!ones && !readLater(p) && !find(pass.group, pass.params, pass.gamma)) {
      // Nothing else reads this transpose: the map multiplies by the input as it makes it (Dense: inside the
      // product's stores, LinearMap::transposeTimes), with no transpose written and read back.
      m_map->transposeTimes(backend, paramsFor(backend, pass).weights, ratio, inputFor(backend, pass.input, a),
                            m_contribution, product);
    } else {
      if (const Tensor* known = find(pass.group, pass.params, pass.gamma)) {
        made[p] = known;
      } else if (const Tensor *same = find(pass.group, ParamChange::Same, 0.0f),
                 *positive = find(pass.group, ParamChange::Positive, 0.0f);
                 m_linearInWeights && pass.params == ParamChange::Negative && same && positive) {
        m_transposes[p].resize(same->shape());
        backend.subtract(*same, *positive, m_transposes[p]);
        made[p] = &m_transposes[p];
      } else {
        m_map->transpose(backend, paramsFor(backend, pass).weights, ratio, m_transposes[p]);
        made[p] = &m_transposes[p];
      }
      if (ones) {
        term = made[p];
      } else {
        product.resize(rIn.shape());
        backend.multiply(inputFor(backend, pass.input, a), *made[p], product);
      }
    }
    if (p == 0) {
      if (term != &rIn) backend.copy(*term, rIn);
      if (pass.share != 1.0f) backend.scale(pass.share, rIn);
    } else {
      backend.axpy(pass.share, *term, rIn);
    }
  }
}

}  // namespace ffn

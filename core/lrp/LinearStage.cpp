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
    if (!known) m_params.push_back(Params{pass.params, pass.gamma, {}, {}, {}, {}});
    const bool seen = std::any_of(m_inputs.begin(), m_inputs.end(), [&](const auto& in) { return in.first == pass.input; });
    if (!seen && pass.input != InputChange::Same) m_inputs.emplace_back(pass.input, Tensor());
  }
  int groups = 0;
  for (const LrpPass& pass : m_passes) groups = std::max(groups, pass.group + 1);
  m_outputs.resize(m_passes.size());
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

void LinearStage::relevance(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut, Tensor& rIn) {
  // a:[N,in], rOut:[N,out] -> rIn:[N,in]
  m_map->refresh(backend);
  const std::int64_t n = a.rows(), in = m_map->inFeatures();
  const std::vector<TensorView> weights = m_map->weights();
  rIn.resize(Shape{n, in});
  if (z && m_rule->usesPlainForward()) {
    // LRP-0 / epsilon: rIn = a * L^T(rOut / stabilise(z))
    m_ratios[0].resize(rOut.shape());
    backend.stabilizedDivide(rOut, *z, m_stabilizer, m_ratios[0]);
    m_map->transpose(backend, weights, m_ratios[0], m_contribution);
    backend.multiply(a, m_contribution, rIn);
    return;
  }

  // The changed weights and inputs of this call (the network's weights may have changed since the last one).
  for (Params& p : m_params) {
    if (p.change == ParamChange::Same) {
      p.weights = weights;
      p.bias = m_map->bias();
      continue;
    }
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
  }
  for (auto& [kind, x] : m_inputs) {
    x.resize(Shape{n, in});
    if (kind == InputChange::Positive || kind == InputChange::Negative) {
      change(backend, kind == InputChange::Positive ? ParamChange::Positive : ParamChange::Negative, 0.0f, a, x);
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

  // z_p for every pass; each group's denominator sum_p sign_p z_p and ratio s_g = rOut / stabilise(d_g).
  for (std::size_t p = 0; p < m_passes.size(); ++p) {
    const Params& params = paramsFor(backend, m_passes[p]);
    m_map->forward(backend, params.weights, m_passes[p].withBias ? params.bias : TensorView(),
                   inputFor(backend, m_passes[p].input, a), m_outputs[p]);
  }
  for (std::size_t g = 0; g < m_denominators.size(); ++g) {
    // A group of one pass with sign +1 (alpha-beta's and z+'s after a ReLU) divides by that pass's z itself:
    // 0 + 1 * z is z, so skipping the sum changes no bit and saves two passes over [N, out].
    std::vector<std::size_t> members;
    for (std::size_t p = 0; p < m_passes.size(); ++p)
      if (m_passes[p].group == static_cast<int>(g)) members.push_back(p);
    const Tensor* d = &m_denominators[g];
    if (members.size() == 1 && m_passes[members[0]].sign == 1.0f) {
      d = &m_outputs[members[0]];
    } else {
      m_denominators[g].resize(rOut.shape());
      backend.fill(0.0f, m_denominators[g]);
      for (std::size_t p : members) backend.axpy(m_passes[p].sign, m_outputs[p], m_denominators[g]);
    }
    m_ratios[g].resize(rOut.shape());
    backend.stabilizedDivide(rOut, *d, m_stabilizer, m_ratios[g]);
  }

  // rIn = sum_p share_p * x_p * L^T(s_g(p); rho_p(W)); the first pass writes rIn (share * x where the sum
  // started from 0 + share * x: the same bits) instead of a fill and an add.
  for (std::size_t p = 0; p < m_passes.size(); ++p) {
    const LrpPass& pass = m_passes[p];
    m_map->transpose(backend, paramsFor(backend, pass).weights, m_ratios[static_cast<std::size_t>(pass.group)],
                     m_contribution);
    const bool ones = pass.input == InputChange::Ones;
    if (p == 0) {
      if (ones)
        backend.copy(m_contribution, rIn);
      else
        backend.multiply(inputFor(backend, pass.input, a), m_contribution, rIn);
      if (pass.share != 1.0f) backend.scale(pass.share, rIn);
      continue;
    }
    if (ones) {
      backend.axpy(pass.share, m_contribution, rIn);
    } else {
      m_product.resize(rIn.shape());
      backend.multiply(inputFor(backend, pass.input, a), m_contribution, m_product);
      backend.axpy(pass.share, m_product, rIn);
    }
  }
}

}  // namespace ffn

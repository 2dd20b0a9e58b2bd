#include "core/lrp/Composite.h"

#include <algorithm>

namespace ffn {
namespace {

bool isLinearKind(const std::string& kind) {
  return kind == "Dense" || kind == "LowRank" || kind == "BlockDiagonal" || kind == "Conv2d" || kind == "Head";
}

bool isElementwiseKind(const std::string& kind) {
  static const char* const kKinds[] = {"ReLU", "ELU", "GELU", "Tanh", "Sigmoid", "Dropout", "Flatten", "LayerNorm"};
  return std::any_of(std::begin(kKinds), std::end(kKinds), [&](const char* k) { return kind == k; });
}

const Json kEpsilon = {{"rule", "epsilon"}, {"epsilon", 1e-6}};

}  // namespace

const std::vector<CompositeInfo>& Composite::presets() {
  static const std::vector<CompositeInfo> all{
      {"epsilon-plus", "z+ in the feature layers (convolutions, or every dense layer below the top in an MLP), "
                       "epsilon above."},
      {"epsilon-gamma-box", "z^B on the first layer (bounds from the data), gamma (0.25) in the other feature "
                            "layers, epsilon above."},
      {"epsilon-alpha2-beta1", "alpha-beta (2, 1) in the feature layers, epsilon above."},
      {"epsilon-plus-flat", "flat on the first layer, z+ in the other feature layers, epsilon above."},
      {"epsilon", "epsilon (1e-6) everywhere: close to gradient x input in ReLU networks."},
      {"lrp-0", "LRP-0 everywhere: exact conservation, noisy maps."},
  };
  return all;
}

Result<Composite> Composite::preset(const std::string& name) {
  Composite c;
  c.m_name = name;
  c.upper = kEpsilon;
  if (name == "epsilon-plus") {
    c.lower = "z-plus";
  } else if (name == "epsilon-gamma-box") {
    c.first = {{"rule", "z-box"}, {"bounds", "data"}};
    c.lower = {{"rule", "gamma"}, {"gamma", 0.25}};
  } else if (name == "epsilon-alpha2-beta1") {
    c.lower = {{"rule", "alpha-beta"}, {"alpha", 2.0}, {"beta", 1.0}};
  } else if (name == "epsilon-plus-flat") {
    c.first = "flat";
    c.lower = "z-plus";
  } else if (name == "epsilon") {
    c.lower = kEpsilon;
  } else if (name == "lrp-0") {
    c.lower = c.upper = c.avgPool = "lrp-0";
  } else {
    std::string known;
    for (const auto& p : presets()) known += (known.empty() ? "" : ", ") + p.name;
    return fail("unknown LRP composite '", name, "' (known: ", known, ")");
  }
  return c;
}

Result<Composite> Composite::fromSettings(const std::string& name, const Json& overrides) {
  auto composite = preset(name);
  if (!composite) return composite;
  FFN_TRY(composite->setOverrides(overrides));
  return composite;
}

Status Composite::setOverrides(const Json& overrides) {
  if (!overrides.is_object()) return fail("LRP overrides must be an object (node id -> rule), not ", overrides.dump());
  m_overrides.clear();
  for (const auto& [node, spec] : overrides.items()) m_overrides[node] = spec;
  return {};
}

std::vector<LayerRole> Composite::roles(const std::vector<std::string>& kinds) {
  std::vector<LayerRole> roles(kinds.size(), LayerRole::Unsupported);
  const bool convolutional = std::find(kinds.begin(), kinds.end(), "Conv2d") != kinds.end();
  std::vector<std::size_t> linear;
  for (std::size_t i = 0; i < kinds.size(); ++i)
    if (isLinearKind(kinds[i])) linear.push_back(i);
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    const std::string& kind = kinds[i];
    if (kind == "AvgPool2d") roles[i] = LayerRole::AvgPool;
    else if (kind == "MaxPool2d") roles[i] = LayerRole::MaxPool;
    else if (isElementwiseKind(kind)) roles[i] = LayerRole::Elementwise;
  }
  for (std::size_t i : linear) {
    if (i == linear.front()) roles[i] = LayerRole::First;
    else if (i == linear.back()) roles[i] = LayerRole::Top;
    else if (convolutional ? kinds[i] == "Conv2d" : true) roles[i] = LayerRole::Lower;
    else roles[i] = LayerRole::Upper;
  }
  return roles;
}

Json Composite::ruleFor(const NodeId& node, LayerRole role) const {
  if (auto it = m_overrides.find(node); it != m_overrides.end()) return it->second;
  switch (role) {
    case LayerRole::First:
      // The first layer is a feature layer unless it is also the top (or the network's only layer).
      if (!first.is_null()) return first;
      return lower.is_null() ? upper : lower;
    case LayerRole::Lower: return lower.is_null() ? upper : lower;
    case LayerRole::Upper: return upper;
    case LayerRole::Top: return top.is_null() ? upper : top;
    case LayerRole::AvgPool: return avgPool;
    case LayerRole::MaxPool: return maxPool;
    case LayerRole::Elementwise: return "pass";
    case LayerRole::Unsupported: break;
  }
  return nullptr;
}

}  // namespace ffn

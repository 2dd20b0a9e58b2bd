#include "core/lrp/StageBuilder.h"

#include <algorithm>

#include "core/layers/BlockDiagonal.h"
#include "core/layers/Conv2d.h"
#include "core/layers/Dense.h"
#include "core/layers/LayerNorm.h"
#include "core/layers/LowRank.h"
#include "core/layers/Pooling.h"
#include "core/lrp/LayerNormCanonizer.h"
#include "core/lrp/LrpRuleRegistry.h"

namespace ffn {
namespace {

const char* targetName(RuleTarget target) {
  switch (target) {
    case RuleTarget::Linear: return "linear layers";
    case RuleTarget::Pooling: return "average pooling";
    case RuleTarget::MaxPool: return "max pooling";
    case RuleTarget::Elementwise: return "element-wise layers";
  }
  return "";
}

// The rule a role's layers must take, and the names that fit, for messages.
std::pair<RuleTarget, const char*> expectedTarget(LayerRole role) {
  switch (role) {
    case LayerRole::MaxPool: return {RuleTarget::MaxPool, "winner-takes-all or proportional"};
    case LayerRole::Elementwise: return {RuleTarget::Elementwise, "pass"};
    case LayerRole::AvgPool: return {RuleTarget::Linear, "epsilon or lrp-0 (sum pooling)"};
    default:
      return {RuleTarget::Linear, "lrp-0, epsilon, gamma, alpha-beta, z-plus, z-box, w-square or flat"};
  }
}

}  // namespace

bool StageBuilder::producesNonNegative(std::size_t i) const {
  // ReLU (and Sigmoid) outputs are >= 0, and layers that only move, pick or average values keep the sign.
  const std::string kind = m_explainer.m_net.layer(i).layer->kind();
  if (kind == "ReLU" || kind == "Sigmoid") return true;
  const bool keepsSign = kind == "Flatten" || kind == "Dropout" || kind == "MaxPool2d" || kind == "AvgPool2d";
  return keepsSign && i > 0 && producesNonNegative(i - 1);
}

std::string StageBuilder::name(std::size_t i) const {
  const NetworkLayer& layer = m_explainer.m_net.layer(i);
  return layer.layer->kind() + " '" + layer.id + "'";
}

Status StageBuilder::build() {
  Explainer& e = m_explainer;
  std::vector<std::string> kinds;
  for (std::size_t i = 0; i <= e.m_top; ++i) kinds.push_back(e.m_net.layer(i).layer->kind());
  if (e.m_target.kind == ExplanationTarget::Kind::Head) kinds.push_back("Head");
  const std::vector<LayerRole> roles = Composite::roles(kinds);
  for (std::size_t i = 0; i <= e.m_top; ++i) FFN_TRY(addLayer(i, roles[i]));
  if (e.m_target.kind == ExplanationTarget::Kind::Head) {
    FFN_TRY(addLinear(e.m_top, "projection head", std::make_unique<DenseMap>(e.m_target.head, TensorView()),
                      m_composite.ruleFor("", roles.back()), false, &e.m_outputs[e.m_top], &e.m_headScores, false));
  }
  return {};
}

Status StageBuilder::addLinear(std::size_t i, const std::string& label, std::unique_ptr<LinearMap> map,
                               const Json& spec, bool readsInput, const Tensor* input, const Tensor* output,
                               bool outputIsLayer) {
  auto rule = createLrpRule(spec, "LRP rule of " + label);
  if (!rule) return rule.error();
  if ((*rule)->target() != RuleTarget::Linear)
    return fail(label, ": '", (*rule)->name(), "' is a rule for ", targetName((*rule)->target()),
                "; a linear layer takes ", expectedTarget(LayerRole::Upper).second);
  const InputBounds* bounds = nullptr;
  if (auto setting = (*rule)->bounds(); setting && setting->fromData) {
    if (!readsInput)
      return fail(label, ": z-box takes its bounds from the data, which only a layer reading the network's input "
                         "has; give it fixed bounds ({\"rule\": \"z-box\", \"bounds\": \"fixed\", \"low\": ..., "
                         "\"high\": ...})");
    const InputBounds& b = m_explainer.m_options.bounds;
    if (b.empty())
      return fail(label, ": z-box needs the input's range; explain with the data loaded (bounds from the training "
                         "set) or give it fixed bounds");
    if (b.low.size() != map->inFeatures() || b.high.size() != map->inFeatures())
      return fail(label, ": the input bounds have ", std::to_string(b.low.size()), " features, the layer reads ",
                  std::to_string(map->inFeatures()));
    bounds = &b;
  }
  // The stage reads layer i's input, or the given tensor (a factor's hidden code, or layer i's own output).
  const bool nonNegative = input == nullptr ? i > 0 && producesNonNegative(i - 1)
                                            : input == &m_explainer.m_outputs[i] && producesNonNegative(i);
  StageSlot slot;
  slot.stage = std::make_unique<LinearStage>(label + ": " + (*rule)->describe(), i, std::move(map),
                                             std::move(*rule), bounds, nonNegative);
  slot.input = input;
  slot.output = output;
  slot.outputIsLayer = outputIsLayer;
  m_explainer.m_slots.push_back(std::move(slot));
  return {};
}

Status StageBuilder::addLayer(std::size_t i, LayerRole role) {
  Explainer& e = m_explainer;
  const NetworkLayer& entry = e.m_net.layer(i);
  Layer& layer = *entry.layer;
  const std::string label = name(i);
  const std::string kind = layer.kind();
  if (role == LayerRole::Unsupported) {
    if (kind == "Softmax")
      return fail(label, ": LRP explains the scores before a Softmax, so a Softmax can only be the last layer");
    return fail(label, ": LRP has no relevance rule for this kind of layer");
  }
  const Json spec = m_composite.ruleFor(entry.id, role);
  // The first layer reads the network's input unless Forward-Forward scales it first.
  const auto& normalized = e.m_target.normalizedInputs;
  const bool readsInput = i == 0 && std::find(normalized.begin(), normalized.end(), 0) == normalized.end();

  if (kind == "Dense") {
    auto& dense = static_cast<Dense&>(layer);
    return addLinear(i, label, std::make_unique<DenseMap>(dense.weight(), dense.bias()), spec, readsInput);
  }
  if (kind == "LowRank" || kind == "BlockDiagonal") {
    const bool guided = std::any_of(e.m_net.weightEntries().begin(), e.m_net.weightEntries().end(),
                                    [&](const WeightEntry& w) { return w.node == entry.id && w.name == "guide"; });
    if (guided && e.m_net.trainingProgress() < 1.0)
      return fail(label, ": its self-guided dense copy still takes part; explain it after training");
  }
  if (kind == "LowRank") {
    // Through its factors: x -> h = x V^T (no bias) -> y = h U^T + b, the layer's rule on each factor. The up
    // factor reads the hidden code, which has no data bounds: z^B there falls back to epsilon.
    auto& lowRank = static_cast<LowRank&>(layer);
    FFN_TRY(addLinear(i, label + " down factor", std::make_unique<DenseMap>(lowRank.down(), TensorView()), spec,
                      readsInput, nullptr, &lowRank.hidden(), false));
    const bool boxed = spec.is_object() && spec.value("rule", "") == "z-box";
    return addLinear(i, label + " up factor", std::make_unique<DenseMap>(lowRank.up(), lowRank.bias()),
                     boxed ? Json("epsilon") : spec, false, &lowRank.hidden());
  }
  if (kind == "BlockDiagonal") {
    auto& blocks = static_cast<BlockDiagonal&>(layer);
    const TensorView first = blocks.block(0);
    const TensorView all(*first.tensor(), first.offset(), Shape{blocks.blockCount(), first.rows(), first.cols()});
    return addLinear(i, label, std::make_unique<BlockDiagonalMap>(all, blocks.bias()), spec, readsInput);
  }
  if (kind == "Conv2d") {
    auto& conv = static_cast<Conv2d&>(layer);
    return addLinear(i, label,
                     std::make_unique<ConvolutionMap>(conv.window(), conv.outChannels(), conv.weight(), conv.bias()),
                     spec, readsInput);
  }
  if (kind == "AvgPool2d" || kind == "MaxPool2d") {
    const Window2d& window = kind == "AvgPool2d" ? static_cast<AvgPool2d&>(layer).window()
                                                 : static_cast<MaxPool2d&>(layer).window();
    auto rule = createLrpRule(spec, "LRP rule of " + label);
    if (!rule) return rule.error();
    const auto [target, names] = expectedTarget(role);
    const bool fits = (*rule)->target() == target && (role != LayerRole::AvgPool || (*rule)->usesPlainForward());
    if (!fits) return fail(label, ": '", (*rule)->name(), "' does not apply here; this layer takes ", names);
    if ((*rule)->name() == "winner-takes-all") {
      StageSlot slot;
      slot.stage = std::make_unique<WinnerStage>(label + ": winner takes all", i, window,
                                                 static_cast<MaxPool2d&>(layer).winners());
      e.m_slots.push_back(std::move(slot));
      return {};
    }
    // Sum pooling (and proportional max pooling): the stabilised rule over the averaging window. Average pooling's
    // forward output is the map's z; max pooling's is not, so there the stage computes z itself.
    const bool average = role == LayerRole::AvgPool;
    return addLinear(i, label, std::make_unique<SumPoolMap>(window), average ? spec : m_composite.avgPool, false,
                     nullptr, nullptr, average);
  }
  auto rule = createLrpRule(spec, "LRP rule of " + label);
  if (!rule) return rule.error();
  if ((*rule)->target() != RuleTarget::Elementwise)
    return fail(label, ": '", (*rule)->name(), "' is a rule for ", targetName((*rule)->target()),
                "; an element-wise layer passes relevance through ('pass')");
  if (kind == "LayerNorm") return mergeLayerNorm(i);
  StageSlot slot;
  slot.stage = std::make_unique<PassStage>(label + ": pass", i);
  e.m_slots.push_back(std::move(slot));
  return {};
}

Status StageBuilder::mergeLayerNorm(std::size_t i) {
  Explainer& e = m_explainer;
  const std::string label = name(i);
  const auto& normalized = e.m_target.normalizedInputs;
  LinearStage* before = nullptr;
  if (i > 0 && !e.m_slots.empty() && e.m_slots.back().stage->layer() == i - 1 &&
      std::find(normalized.begin(), normalized.end(), i) == normalized.end()) {
    const std::string previous = e.m_net.layer(i - 1).layer->kind();
    if (previous == "Dense" || previous == "LowRank") before = dynamic_cast<LinearStage*>(e.m_slots.back().stage.get());
  }
  if (!before)
    return fail(label, (i > 0 ? " follows " + name(i - 1) : std::string(" reads the input")),
                ": LRP merges a LayerNorm's centring into a Dense or LowRank layer directly before it (canonizer); "
                "put the LayerNorm right after one");
  auto* dense = dynamic_cast<DenseMap*>(&before->map());
  before->replaceMap(std::make_unique<LayerNormCanonizer>(dense->weights()[0], dense->bias()));
  e.m_slots.back().output = nullptr;  // its output is now the centred u, computed by the stage
  e.m_slots.back().outputIsLayer = false;
  StageSlot slot;
  slot.stage = std::make_unique<NormScaleStage>(label + ": canonized (centring merged into " + name(i - 1) + ")", i,
                                                static_cast<LayerNorm&>(*e.m_net.layer(i).layer).beta());
  e.m_slots.push_back(std::move(slot));
  return {};
}

}  // namespace ffn

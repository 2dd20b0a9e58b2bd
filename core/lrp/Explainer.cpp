#include "core/lrp/Explainer.h"

#include <algorithm>

#include "core/layers/Activation.h"
#include "core/lrp/StageBuilder.h"

namespace ffn {

Explainer::Explainer(Network& net, ExplanationTarget target, ExplainerOptions options)
    : m_net(net), m_target(std::move(target)), m_options(std::move(options)) {}

Result<std::unique_ptr<Explainer>> Explainer::create(Network& net, const Composite& composite,
                                                     const ExplanationTarget& target, ExplainerOptions options) {
  if (!target.unsupported.empty()) return fail(target.unsupported);
  std::unique_ptr<Explainer> e(new Explainer(net, target, std::move(options)));
  const std::size_t layers = net.layerCount();
  switch (target.kind) {
    case ExplanationTarget::Kind::Logits: {
      // A trailing Softmax is skipped: the logits before it are explained.
      std::size_t top = layers;
      while (top > 0 && net.layer(top - 1).layer->kind() == "Softmax") --top;
      if (top == 0) return fail("the network has no layer below its Softmax to explain");
      e->m_top = top - 1;
      e->m_classes = static_cast<int>(net.layer(e->m_top).layer->outputShape().elementCount());
      break;
    }
    case ExplanationTarget::Kind::Head: {
      if (!target.head.valid() || target.headLayer >= layers) return fail("the explanation target's head is not set");
      const std::int64_t units = net.layer(target.headLayer).layer->outputShape().elementCount();
      if (target.head.rows() < 1 || target.head.cols() != units)
        return fail("the projection head has ", std::to_string(target.head.cols()), " inputs but layer ",
                    std::to_string(target.headLayer), " has ", std::to_string(units), " units");
      e->m_top = target.headLayer;
      e->m_classes = static_cast<int>(target.head.rows());
      break;
    }
    case ExplanationTarget::Kind::Goodness: {
      if (target.goodness.empty()) return fail("the goodness target names no layers");
      for (const auto& term : target.goodness)
        if (term.layer >= layers) return fail("the goodness target names layer ", std::to_string(term.layer),
                                              " of a network with ", std::to_string(layers));
      const std::int64_t features = net.inputShape().elementCount();
      if (target.labelFeatures < 1 || target.labelFeatures > features)
        return fail("the goodness target needs the label written into 1..", std::to_string(features),
                    " input features, not ", std::to_string(target.labelFeatures));
      for (const auto& term : target.goodness) e->m_top = std::max(e->m_top, term.layer);
      e->m_classes = target.labelFeatures;
      break;
    }
  }
  for (std::size_t i : target.normalizedInputs)
    if (i >= layers) return fail("the explanation target scales the input of layer ", std::to_string(i),
                                 ", which the network does not have");
  e->m_outputs.resize(e->m_top + 1);
  e->m_normalized.resize(e->m_top + 1);
  e->m_norms.resize(e->m_top + 1);
  e->m_layerInput.resize(e->m_top + 1, nullptr);
  FFN_TRY(StageBuilder(*e, composite).build());
  return e;
}

std::vector<std::string> Explainer::describe() const {
  std::vector<std::string> lines;
  for (auto it = m_slots.rbegin(); it != m_slots.rend(); ++it) lines.push_back(it->stage->label());
  return lines;
}

void Explainer::forward(const Tensor& inputs, std::span<const int> labels) {
  // inputs:[N, input...] -> m_outputs[i]:[N, out_i...] for every layer up to the top
  Backend& backend = m_net.backend();
  PassContext ctx = m_net.passContext(false);
  const std::int64_t n = inputs.rows();
  const Tensor* x = &inputs;
  if (m_target.kind == ExplanationTarget::Kind::Goodness) {
    // Forward-Forward reads the label from the input's first features (a host write of N * C values).
    m_prepared.resize(inputs.shape());
    backend.copy(inputs, m_prepared);
    float* data = m_prepared.mutableData();
    const std::int64_t features = inputs.cols();
    for (std::int64_t s = 0; s < n; ++s)
      for (int c = 0; c < m_target.labelFeatures; ++c)
        data[s * features + c] = c == labels[static_cast<std::size_t>(s)] ? m_target.labelOn : m_target.labelOff;
    x = &m_prepared;
  }
  const auto& normalized = m_target.normalizedInputs;
  for (std::size_t i = 0; i <= m_top; ++i) {
    if (std::find(normalized.begin(), normalized.end(), i) != normalized.end()) {
      m_normalized[i].resize(x->shape());
      m_norms[i].resize(Shape{n});
      backend.normalizeRows(*x, m_target.normalizeEps, m_normalized[i], m_norms[i]);
      x = &m_normalized[i];
    }
    m_layerInput[i] = x;
    Layer& layer = *m_net.layer(i).layer;
    m_outputs[i].resize(layer.outputShape().withBatch(n));
    // The activation after a Dense layer runs in the Dense layer's own pass, unless its input is normalised first.
    const std::size_t after = i + 1;
    const bool fusable = after <= m_top && std::find(normalized.begin(), normalized.end(), after) == normalized.end();
    if (forwardWithFollowingActivation(ctx, layer, *x, m_outputs[i], fusable ? m_net.layer(after).layer.get() : nullptr,
                                       fusable ? &m_outputs[after] : nullptr)) {
      m_layerInput[after] = &m_outputs[i];
      x = &m_outputs[++i];
      continue;
    }
    x = &m_outputs[i];
  }
  if (m_target.kind == ExplanationTarget::Kind::Head) {
    m_headScores.resize(Shape{n, m_classes});
    backend.gemm(Transpose::No, Transpose::Yes, 1.0f, m_outputs[m_top], m_target.head, 0.0f, m_headScores);
  }
}

const Tensor* Explainer::topScores() const {
  switch (m_target.kind) {
    case ExplanationTarget::Kind::Logits: return &m_outputs[m_top];
    case ExplanationTarget::Kind::Head: return &m_headScores;
    case ExplanationTarget::Kind::Goodness: break;
  }
  return nullptr;
}

void Explainer::goodness(std::vector<float>& out) {
  // out[n] = sum_terms scale * ||a_layer[n, :]||^2
  const std::int64_t n = m_outputs[m_top].rows();
  out.assign(static_cast<std::size_t>(n), 0.0f);
  m_rowSums.resize(Shape{n});
  for (const GoodnessTerm& term : m_target.goodness) {
    m_net.backend().rowSumOfSquares(m_outputs[term.layer], m_rowSums);
    const float* sums = m_rowSums.data();
    for (std::int64_t s = 0; s < n; ++s) out[static_cast<std::size_t>(s)] += term.scale * sums[s];
  }
}

Status Explainer::checkClasses(const std::vector<int>& classes) const {
  for (int c : classes)
    if (c < 0 || c >= m_classes)
      return fail("class ", std::to_string(c), " is out of range (the target has ", std::to_string(m_classes),
                  " classes)");
  return {};
}

Result<Tensor> Explainer::classScores(const Tensor& inputs) {
  // inputs:[N, input...] -> [N, C]
  const WeightReuseScope reuse(m_net.backend());  // the same weights for every batch (Backend.h)
  const std::int64_t n = inputs.rows();
  Tensor scores(Shape{n, m_classes});
  if (m_target.kind != ExplanationTarget::Kind::Goodness) {
    forward(inputs, {});
    m_net.backend().copy(*topScores(), scores);
    return scores;
  }
  // Forward-Forward: one forward pass per label, as its prediction does.
  std::vector<int> labels(static_cast<std::size_t>(n));
  float* out = scores.mutableData();
  for (int c = 0; c < m_classes; ++c) {
    std::fill(labels.begin(), labels.end(), c);
    forward(inputs, labels);
    goodness(m_scores);
    for (std::int64_t s = 0; s < n; ++s) out[s * m_classes + c] = m_scores[static_cast<std::size_t>(s)];
  }
  return scores;
}

Status Explainer::scores(const Tensor& inputs, std::span<const int> classes, std::vector<float>& out) {
  if (static_cast<std::int64_t>(classes.size()) != inputs.rows()) return fail("one class per sample is needed");
  const WeightReuseScope reuse(m_net.backend());
  forward(inputs, classes);
  readScores(classes, out);
  return {};
}

void Explainer::readScores(std::span<const int> classes, std::vector<float>& out) {
  // out[n] = f_{c_n}(x_n) from the last forward
  if (m_target.kind == ExplanationTarget::Kind::Goodness) {
    goodness(out);
    return;
  }
  const std::int64_t n = static_cast<std::int64_t>(classes.size());
  out.resize(static_cast<std::size_t>(n));
  const float* values = topScores()->data();
  for (std::int64_t s = 0; s < n; ++s)
    out[static_cast<std::size_t>(s)] = values[s * m_classes + classes[static_cast<std::size_t>(s)]];
}

void Explainer::argmaxRows(const Tensor& scores, std::vector<int>& classes) const {
  const float* values = scores.data();
  for (std::size_t s = 0; s < classes.size(); ++s) {
    const float* row = values + static_cast<std::int64_t>(s) * m_classes;
    classes[s] = static_cast<int>(std::max_element(row, row + m_classes) - row);
  }
}

void Explainer::startRelevance(std::span<const int> classes, Tensor& r) {
  // r:[N, C] = onehot(c) * f_c(x) (or onehot(c)) at the top; for goodness targets zero at the top layer's output
  // (the goodness terms add relevance on the way down).
  Backend& backend = m_net.backend();
  const std::int64_t n = static_cast<std::int64_t>(classes.size());
  if (m_target.kind == ExplanationTarget::Kind::Goodness) {
    r.resize(Shape{n, m_outputs[m_top].cols()});
    backend.fill(0.0f, r);
    return;
  }
  m_mask.resize(Shape{n, m_classes});
  m_mask.setZero();
  float* mask = m_mask.mutableData();
  for (std::int64_t s = 0; s < n; ++s) mask[s * m_classes + classes[static_cast<std::size_t>(s)]] = 1.0f;
  r.resize(Shape{n, m_classes});
  if (m_options.unitStart)
    backend.copy(m_mask, r);
  else
    backend.multiply(m_mask, *topScores(), r);
}

Status Explainer::explain(const Tensor& inputs, const ClassChoice& choice, Explanation& out) {
  const std::int64_t n = inputs.rows();
  if (inputs.cols() != m_net.inputShape().elementCount())
    return fail("the inputs have ", std::to_string(inputs.cols()), " features per sample, the network reads ",
                std::to_string(m_net.inputShape().elementCount()));
  const WeightReuseScope reuse(m_net.backend());
  // The classes (given, or the argmax of the explained quantity), the forward pass for them, and f_c(x).
  out.classes.assign(static_cast<std::size_t>(n), 0);
  const bool goodnessTarget = m_target.kind == ExplanationTarget::Kind::Goodness;
  if (choice.mode == ClassChoice::Mode::Given) {
    if (choice.classes.size() != 1 && static_cast<std::int64_t>(choice.classes.size()) != n)
      return fail("give one class for all samples or one per sample (", std::to_string(n), "), not ",
                  std::to_string(choice.classes.size()));
    FFN_TRY(checkClasses(choice.classes));
    for (std::int64_t s = 0; s < n; ++s)
      out.classes[static_cast<std::size_t>(s)] = choice.classes[choice.classes.size() == 1 ? 0 : static_cast<std::size_t>(s)];
  } else if (goodnessTarget) {
    auto scores = classScores(inputs);
    if (!scores) return scores.error();
    argmaxRows(*scores, out.classes);
  } else {
    forward(inputs, {});
    argmaxRows(*topScores(), out.classes);
  }
  if (goodnessTarget || choice.mode == ClassChoice::Mode::Given) forward(inputs, out.classes);
  readScores(out.classes, out.scores);
  out.target = m_target.description;

  // Both relevance buffers first grow to the widest relevance of the pass (resize keeps a large enough buffer).
  // The input's relevance is handed to `out` at the end in exchange for out's previous buffer; without this the
  // buffer that received it grew again in every call - a fresh 3 MB allocation, zeroed and page-faulted, per
  // Fashion-MNIST batch of 1,000.
  std::int64_t widest = inputs.cols();
  for (std::size_t i = 0; i <= m_top; ++i) widest = std::max(widest, m_outputs[i].cols());
  for (Tensor& buffer : m_relevance) buffer.resize(Shape{n, widest});

  // The relevance pass, top to bottom. Pass-through stages leave the relevance tensor as it is.
  Tensor* r = &m_relevance[0];
  Tensor* next = &m_relevance[1];
  startRelevance(out.classes, *r);
  Backend& backend = m_net.backend();
  std::size_t currentLayer = m_top + 1;
  bool rIsRatio = false;  // r holds the next stage's s = r / stabilised z (the stage above divided as it stored)
  for (auto it = m_slots.rbegin(); it != m_slots.rend(); ++it) {
    const std::size_t layer = it->stage->layer();
    if (layer != currentLayer) {
      currentLayer = layer;
      for (const GoodnessTerm& term : m_target.goodness)
        if (term.layer == layer) {  // r += scale * a^2 at this layer's output
          m_squares.resize(m_outputs[layer].shape());
          backend.multiply(m_outputs[layer], m_outputs[layer], m_squares);
          backend.axpy(term.scale, m_squares, *r);
        }
    }
    if (it->stage->passesThrough()) continue;
    const Tensor& a = it->input ? *it->input : *m_layerInput[layer];
    const Tensor* z = stageOutput(*it);
    // The next stage down that does something: when it starts by dividing by its stabilised output, this stage
    // divides as it stores (goodness targets add to r between layers, so not for them).
    auto below = std::find_if(it + 1, m_slots.rend(), [](const StageSlot& s) { return !s.stage->passesThrough(); });
    std::optional<LrpStage::DivisionBelow> division;
    if (below != m_slots.rend() && m_target.goodness.empty())
      if (const auto eps = below->stage->dividesOutput(); eps)
        if (const Tensor* zBelow = stageOutput(*below)) division = LrpStage::DivisionBelow{zBelow, *eps};
    rIsRatio = it->stage->relevanceFused(backend, a, z, *r, rIsRatio, division ? &*division : nullptr, *next);
    std::swap(r, next);
  }

  // Relevance at the input, in the input's shape, and its sum per sample (one GEMM against ones).
  const std::int64_t features = inputs.cols();
  if (r->size() != inputs.size()) return fail("the network has no linear layer to explain");
  std::swap(out.relevance, *r);  // hand the buffer over instead of copying it
  out.relevance.reshape(inputs.shape());
  if (m_ones.size() != features) {  // filled once: unchanged, it is not packed again (Backend::beginWeightReuse)
    m_ones.resize(Shape{features, 1});
    backend.fill(1.0f, m_ones);
  }
  m_sums.resize(Shape{n, 1});
  backend.gemm(Transpose::No, Transpose::No, 1.0f, TensorView(out.relevance, 0, Shape{n, features}), m_ones, 0.0f,
               m_sums);
  out.relevanceSums.assign(m_sums.data(), m_sums.data() + n);
  return {};
}

const Tensor* Explainer::stageOutput(const StageSlot& slot) const {
  return slot.output ? slot.output : (slot.outputIsLayer ? &m_outputs[slot.stage->layer()] : nullptr);
}

Result<Explanation> Explainer::explain(const Tensor& inputs, const ClassChoice& choice) {
  Explanation out;
  FFN_TRY(explain(inputs, choice, out));
  return out;
}

}  // namespace ffn

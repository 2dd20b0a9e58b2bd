#include "core/model/Network.h"

#include <array>
#include <functional>
#include <optional>

#include "core/graph/GraphValidator.h"
#include "core/layers/Activation.h"
#include "core/layers/Dense.h"

namespace ffn {
namespace {

// Each tensor starts on a 64-byte boundary of the flat buffer (SIMD loads, device sub-buffers).
constexpr std::int64_t kWeightAlignment = 16;

std::int64_t alignUp(std::int64_t n) { return (n + kWeightAlignment - 1) / kWeightAlignment * kWeightAlignment; }

bool isRelu(const Layer& layer) {
  const auto* activation = dynamic_cast<const Activation*>(&layer);
  return activation && activation->function() == ActivationKind::ReLU;
}

}  // namespace

Result<std::unique_ptr<Network>> Network::compile(const Graph& graph, Backend& backend) {
  const NodeKindRegistry& kinds = NodeKindRegistry::builtin();
  GraphCheck check = checkGraph(graph, kinds);
  if (!check.ok()) return Error{check.firstError()};

  std::unique_ptr<Network> net(new Network());
  net->m_backend = &backend;
  net->m_graph = graph;
  const Node& inputNode = *graph.node(check.chain.front());
  const Node& outputNode = *graph.node(check.chain.back());
  net->m_inputShape = check.nodes.at(inputNode.id).outputShape;
  net->m_outputShape = check.nodes.at(outputNode.id).outputShape;
  net->m_loss = lossKindFromName(check.nodes.at(outputNode.id).params.at("loss").get<std::string>());
  if (check.chain.size() < 3) return fail("the network has no layers between Input and Output");

  std::int64_t offset = 0;
  Shape shape = net->m_inputShape;
  for (std::size_t i = 1; i + 1 < check.chain.size(); ++i) {
    Node node = *graph.node(check.chain[i]);
    node.params = check.nodes.at(node.id).params;
    const Shape outShape = check.nodes.at(node.id).outputShape;
    NetworkLayer entry;
    entry.id = node.id;
    entry.label = node.label;
    entry.layer = kinds.find(node.kind)->create(LayerBuild{node, shape, outShape});
    entry.weightOffset = offset;
    for (const auto& spec : entry.layer->weightSpecs()) {
      net->m_entries.push_back({node.id, spec.name, spec.shape, offset});
      const std::int64_t rows = spec.shape.rank() > 0 ? spec.shape[0] : 1;
      if (rows > 0) net->m_weightRows.push_back({offset, rows, spec.shape.elementCount() / rows});
      const std::int64_t end = offset + spec.shape.elementCount();
      offset = alignUp(end);
      if (offset > end) entry.paddingGaps.emplace_back(end, offset - end);
    }
    entry.weightCount = offset - entry.weightOffset;
    net->m_layers.push_back(std::move(entry));
    shape = outShape;
  }

  net->m_weights.resize(Shape{offset});
  net->m_weights.setZero();  // padding between tensors stays 0 forever
  net->m_gradients.resize(Shape{offset});
  net->m_gradients.setZero();
  std::size_t nextEntry = 0;
  for (auto& layer : net->m_layers) {
    std::vector<TensorView> weights, gradients;
    for (std::size_t k = 0; k < layer.layer->weightSpecs().size(); ++k, ++nextEntry) {
      weights.push_back(net->weightView(net->m_entries[nextEntry]));
      gradients.push_back(net->gradientView(net->m_entries[nextEntry]));
    }
    layer.layer->bindWeights(weights, gradients);
  }
  return net;
}

const NetworkLayer* Network::layerForNode(const NodeId& id) const {
  for (const auto& layer : m_layers)
    if (layer.id == id) return &layer;
  return nullptr;
}

std::int64_t Network::forwardFlopsPerSample() const {
  std::int64_t total = 0;
  for (const auto& layer : m_layers) total += layer.layer->forwardFlopsPerSample();
  return total;
}

void Network::initializeWeights(std::uint64_t seed) {
  for (std::size_t i = 0; i < m_layers.size(); ++i) {
    Rng rng(deriveSeed(seed, i));
    m_layers[i].layer->initializeWeights(rng);
  }
}

const Tensor& Network::forward(const Tensor& x, bool training) { return forwardRange(x, 0, m_layers.size(), training); }

const Tensor& Network::forwardRange(const Tensor& x, std::size_t first, std::size_t last, bool training) {
  PassContext ctx = passContext(training);
  m_headGradient = nullptr;
  if (first == 0) m_lastInput = &x;
  const Tensor* input = &x;
  for (std::size_t i = first; i < last; ++i) {
    NetworkLayer& layer = m_layers[i];
    layer.output.resize(layer.layer->outputShape().withBatch(input->rows()));
    // A layer followed by an element-wise activation may apply it in its own pass (Dense: the bias and ReLU
    // in the GEMM's blocks); both outputs are kept as if each layer had run, for the backward pass.
    NetworkLayer* next = i + 1 < last ? &m_layers[i + 1] : nullptr;
    if (forwardWithFollowingActivation(ctx, *layer.layer, *input, layer.output, next ? next->layer.get() : nullptr,
                                       next ? &next->output : nullptr)) {
      input = &m_layers[++i].output;
      continue;
    }
    input = &layer.output;
  }
  return *input;
}

LossResult Network::forwardWithLoss(const Tensor& x, const Batch& batch, LossFunction& loss, Tensor& gradLogits) {
  const std::size_t out = m_layers.size() - 1;
  const bool classifier = m_loss == LossKind::CrossEntropy && out >= 2 && isRelu(*m_layers[out - 1].layer);
  const auto* head = classifier ? dynamic_cast<const Dense*>(m_layers[out].layer.get()) : nullptr;
  if (!head) {
    forward(x, true);
    return loss.evaluate(*m_backend, m_loss, output(), batch, &gradLogits);
  }
  const Tensor& features = forwardRange(x, 0, out, true);  // through the ReLU
  NetworkLayer& outputLayer = m_layers[out];
  outputLayer.output.resize(outputLayer.layer->outputShape().withBatch(features.rows()));
  gradLogits.resize(outputLayer.output.shape());
  const Tensor& gate = layerInput(out - 1);
  Tensor& gradFeatures = m_layers[out - 2].gradOutput;  // where backward() puts the gradient through the ReLU
  gradFeatures.resize(gate.shape());
  const ClassifierHead pass{.features = features,
                            .gate = gate,
                            .weight = head->weight(),
                            .bias = head->hasBias() ? head->bias() : TensorView{},
                            .labels = batch.labels,
                            .scale = LossFunction::meanScale(features.rows()),
                            .logits = outputLayer.output,
                            .dlogits = gradLogits,
                            .gradFeatures = gradFeatures};
  if (const std::optional<LossResult> result = m_backend->classifierHead(pass)) {
    m_headGradient = &gradLogits;
    return *result;
  }
  forwardRange(features, out, out + 1, true);
  return loss.evaluate(*m_backend, m_loss, outputLayer.output, batch, &gradLogits);
}

void Network::zeroGradients() { m_backend->fill(0.0f, m_gradients); }

void Network::backward(const Tensor& gradLogits, bool wantInputGradient, GradientUpdate update) {
  PassContext ctx = passContext(true);
  const Tensor* gradOut = &gradLogits;
  // forwardWithLoss made the output layer's input gradient (through the ReLU below) for this gradLogits.
  const bool headDone = m_headGradient == &gradLogits;
  m_headGradient = nullptr;
  // Whether every layer with weights saw its gradients as it wrote them (and whether any was NaN or infinite).
  bool allChecked = update == GradientUpdate::Overwrite, anyNonFinite = false;
  m_gradientsFinite.reset();
  // A weight gradient and what it needs (its layer, input, output gradient and context), kept when it runs later
  // than its layer's turn.
  struct WeightGradient {
    std::size_t layer;
    const Tensor* x;
    const Tensor* gradOut;
    PassContext ctx;
  };
  auto runWeightGradient = [this](WeightGradient& w) {
    w.ctx.gradientsChecked = w.ctx.gradientsNonFinite = false;
    NetworkLayer& layer = m_layers[w.layer];
    layer.layer->accumulateGradient(w.ctx, *w.x, layer.output, *w.gradOut);
  };
  auto account = [&](const WeightGradient& w) {
    if (m_layers[w.layer].weightCount == 0) return;
    allChecked = allChecked && w.ctx.gradientsChecked;
    anyNonFinite = anyNonFinite || w.ctx.gradientsNonFinite;
  };
  // The output layer's weight gradient waits for the next layer's, and runs before it on the same thread, beside
  // that layer's input gradient (Backend::concurrently); the output layer's input gradient runs first, alone,
  // split over the threads like any product. Side by side, the output layer's two halves were unequal (a
  // classifier's input gradient sums over only its few classes, and its cost is in the stores: 18 us against 11
  // for the weight gradient in the Fashion-MNIST MLP), and so were the next layer's (its input gradient 121 us,
  // its weight gradient 109): the short halves fill each other's wait. Backward pass 323 -> 311 us (three runs
  // each); the epoch's gain is within the bench's noise (paired 1.019x and 1.005x in one binary, 0.992x against
  // the build before). Same bits, as every product is the same.
  std::size_t outputLayer = m_layers.size();
  for (std::size_t i = m_layers.size(); i-- > 0;)
    if (m_layers[i].weightCount > 0) {
      outputLayer = i;
      break;
    }
  std::optional<WeightGradient> deferred;
  for (std::size_t i = m_layers.size(); i-- > 0;) {
    NetworkLayer& layer = m_layers[i];
    const Tensor& x = layerInput(i);
    ctx.overwriteGradients = update == GradientUpdate::Overwrite && layer.layer->writesGradients();
    if (ctx.overwriteGradients) {
      // Padding holds whatever was added to the whole buffer since (an optimiser's gradient noise).
      for (const auto& [gapOffset, gapCount] : layer.paddingGaps)
        m_backend->fill(0.0f, TensorView(m_gradients, gapOffset, Shape{gapCount}));
    } else if (update == GradientUpdate::Overwrite && layer.weightCount > 0) {
      m_backend->fill(0.0f, TensorView(m_gradients, layer.weightOffset, Shape{layer.weightCount}));
    }
    const bool inputGradientNeeded = i > 0 || wantInputGradient;  // nothing below the first layer needs dx
    // A ReLU below (without weights) may be passed in the same pass: its input gradient is made directly.
    const bool throughRelu = i >= 1 && isRelu(*m_layers[i - 1].layer) && (i >= 2 || wantInputGradient);
    Tensor* reluGradIn = !throughRelu ? nullptr : i == 1 ? &m_inputGradient : &m_layers[i - 2].gradOutput;
    Tensor& gradIn = i == 0 ? m_inputGradient : m_layers[i - 1].gradOutput;
    bool passedRelu = false;
    WeightGradient own{i, &x, gradOut, ctx};
    auto inputGradient = [&](PassContext& inputCtx) {
      if (throughRelu) {
        const Tensor& gate = layerInput(i - 1);
        reluGradIn->resize(gate.shape());
        passedRelu = layer.layer->backwardInputThroughRelu(inputCtx, x, layer.output, *gradOut, gate, *reluGradIn);
      }
      if (passedRelu) return;
      gradIn.resize(x.shape());
      layer.layer->backwardInput(inputCtx, x, layer.output, *gradOut, gradIn);
    };
    const bool halves = inputGradientNeeded && layer.layer->backwardHalvesIndependent();
    if (halves && i == outputLayer) {
      deferred.emplace(own);
      if (headDone && throughRelu)
        passedRelu = true;  // already in reluGradIn
      else
        inputGradient(ctx);
    } else {
      auto weightGradients = [&] {
        if (deferred) runWeightGradient(*deferred);
        runWeightGradient(own);
      };
      if (halves) {
        PassContext inputCtx = ctx;
        const std::array<std::function<void()>, 2> tasks{weightGradients, [&] { inputGradient(inputCtx); }};
        m_backend->concurrently(tasks);
      } else {
        weightGradients();
        if (inputGradientNeeded) inputGradient(ctx);
      }
      if (deferred) account(*deferred);
      deferred.reset();
      account(own);
    }
    if (!inputGradientNeeded) break;
    gradOut = passedRelu ? reluGradIn : &gradIn;
    if (passedRelu) --i;  // the ReLU is done
  }
  if (deferred) {  // no layer below took it (the output layer was the last with a backward pass)
    runWeightGradient(*deferred);
    account(*deferred);
  }
  if (allChecked) m_gradientsFinite = !anyNonFinite;
}

void Network::finishTraining() {
  m_progress = 1.0;
  for (auto& layer : m_layers) layer.layer->finishTraining();
}

}  // namespace ffn

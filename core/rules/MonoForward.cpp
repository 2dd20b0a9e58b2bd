#include "core/rules/MonoForward.h"

#include <cmath>

#include "core/layers/Initializers.h"

namespace ffn {

MonoForward::MonoForward(const Json& params)
    : m_layerByLayer(params.at("schedule") == "layer-by-layer"), m_patience(params.at("patience").get<int>()) {}

Status MonoForward::prepare(Network& net, const RuleSetup& setup) {
  auto blocks = denseBlocks(net, "Mono-Forward");
  if (!blocks) return blocks.error();
  for (const DenseBlock& block : *blocks)
    if (!block.activation)
      return fail("Mono-Forward reads class scores from every layer's activity through its own projection, so "
                  "every Dense layer needs an activation after it; ",
                  block.name,
                  " has none (add a ReLU, or remove the layer: the projections take the place of an output layer)");
  m_classes = setup.classCount;
  if (m_classes < 2) return fail("Mono-Forward needs at least 2 classes");
  m_blocks = std::move(*blocks);

  m_projections.clear();
  for (std::size_t i = 0; i < m_blocks.size(); ++i)
    m_projections.add("mf.projection" + std::to_string(i + 1), Shape{m_classes, m_blocks[i].out()});
  m_projections.allocate();
  for (std::size_t i = 0; i < m_blocks.size(); ++i) {
    // M_i maps d_i activities to C scores: kaiming-uniform over its d_i inputs, like a bias-free nn.Linear.
    Rng rng(deriveSeed(setup.seed, 0x3f00 + i));
    initializeLinear("kaiming-uniform", rng, m_projections.weight(static_cast<int>(i)), TensorView(),
                     m_blocks[i].out(), m_classes);
  }
  const auto layers = static_cast<std::int64_t>(m_blocks.size());
  m_totalSteps = std::max<std::int64_t>(1, setup.epochs * setup.stepsPerEpoch);
  m_steps = m_stepsOnLayer = 0;
  m_active = m_layerByLayer ? 0 : static_cast<int>(layers - 1);
  m_budget = std::max<std::int64_t>(1, m_totalSteps / layers);
  m_hasBest = m_done = false;
  m_stale = 0;
  m_predictLast = true;
  return {};
}

void MonoForward::scores(Backend& backend, std::size_t i, const Tensor& activity, Tensor& out) {
  // a_i:[N,d_i] M_i^T:[d_i,C] -> G:[N,C]
  out.resize(Shape{activity.rows(), m_classes});
  backend.gemm(Transpose::No, Transpose::Yes, 1.0f, activity, m_projections.weight(static_cast<int>(i)), 0.0f, out);
}

std::size_t MonoForward::predictLayer() const {
  return m_predictLast ? m_blocks.size() - 1 : static_cast<std::size_t>(m_active);
}

Result<StepStats> MonoForward::step(Network& net, const Batch& batch, Optimizer& optimizer) {
  PassContext ctx = net.passContext(true);
  Backend& backend = ctx.backend;
  if (m_layerByLayer && !m_done && m_stepsOnLayer >= m_budget && m_active + 1 < static_cast<int>(m_blocks.size()))
    moveOn(net);
  m_predictLast = !m_layerByLayer;
  const std::size_t first = m_layerByLayer ? static_cast<std::size_t>(m_active) : 0;
  const std::size_t last = static_cast<std::size_t>(m_active);
  net.forwardRange(batch.inputs, 0, m_blocks[last].lastIndex() + 1, true);

  const std::int64_t n = batch.size();
  StepStats stats;
  for (std::size_t i = first; i <= last; ++i) {
    const DenseBlock& block = m_blocks[i];
    const Tensor& x = net.layerInput(block.denseIndex);
    const Tensor& z = net.layer(block.denseIndex).output;
    const Tensor& a = net.layer(block.lastIndex()).output;
    scores(backend, i, a, m_scores);
    m_dscores.resize(m_scores.shape());
    const LossResult r = backend.softmaxCrossEntropy(m_scores, batch.labels, 1.0f / static_cast<float>(n), m_dscores);
    const double loss = r.lossSum / static_cast<double>(n);
    stats.loss += loss;
    stats.accuracy = static_cast<double>(r.correct) / static_cast<double>(n);
    stats.metrics.push_back({"mf_local_loss_layer" + std::to_string(i + 1), loss});
    stats.metrics.push_back({"mf_local_accuracy_layer" + std::to_string(i + 1), stats.accuracy});
    if (m_done) continue;  // layer by layer, the last layer has stopped improving: only report

    // dG:[N,C] -> dM:[C,d] = dG^T a; da:[N,d] = dG M; dz = da * f'(z); dW = dz^T x, db = sum dz
    const TensorView projection = m_projections.weight(static_cast<int>(i));
    backend.gemm(Transpose::Yes, Transpose::No, 1.0f, m_dscores, a, 0.0f, m_projections.gradient(static_cast<int>(i)));
    m_da.resize(a.shape());
    backend.gemm(Transpose::No, Transpose::No, 1.0f, m_dscores, projection, 0.0f, m_da);
    block.activationBackward(ctx, z, a, m_da, m_dz);
    block.writeGradient(backend, x, m_dz);
    FFN_TRY(optimizer.step(net.weights(), net.gradients(), block.range));
    FFN_TRY(m_projections.step(backend, optimizer, m_projections.range(static_cast<int>(i))));
  }
  if (m_layerByLayer) stats.metrics.push_back({"mf_active_layer", m_active + 1.0});
  if (!std::isfinite(stats.loss)) return fail("the Mono-Forward loss became ", std::isnan(stats.loss) ? "NaN" : "infinite");
  ++m_steps;
  ++m_stepsOnLayer;
  return stats;
}

const Tensor& MonoForward::predict(Network& net, const Tensor& inputs) {
  const std::size_t i = predictLayer();
  const Tensor& a = net.forwardRange(inputs, 0, m_blocks[i].lastIndex() + 1, false);
  scores(net.backend(), i, a, m_prediction);
  return m_prediction;
}

EvalStats MonoForward::evaluate(Network& net, const Batch& batch) {
  // Scores are logits whatever the Output node says; while training layer by layer they come from the active
  // layer, so the validation loss endEpoch() sees is that layer's local loss.
  const Tensor& scores = predict(net, batch.inputs);
  m_dscores.resize(scores.shape());
  const LossResult r = net.backend().softmaxCrossEntropy(scores, batch.labels, 1.0f, m_dscores);
  return EvalStats{r.lossSum, r.correct, batch.size()};
}

void MonoForward::endEpoch(Network& net, const EvalStats* validation) {
  if (!m_layerByLayer || m_done || !validation || validation->samples == 0) return;
  const double loss = validation->loss();
  if (!m_hasBest || loss < m_bestLoss) {
    m_bestLoss = loss;
    m_stale = 0;
    snapshotActive(net);
    return;
  }
  if (++m_stale < m_patience) return;
  if (m_active + 1 < static_cast<int>(m_blocks.size())) {
    moveOn(net);
  } else {
    restoreActive(net);
    m_done = true;
  }
}

void MonoForward::finish(Network& net) {
  if (m_layerByLayer && !m_done) restoreActive(net);
  m_predictLast = true;
}

void MonoForward::moveOn(Network& net) {
  restoreActive(net);
  ++m_active;
  m_stepsOnLayer = 0;
  m_stale = 0;
  m_hasBest = false;
  const std::int64_t remainingLayers = static_cast<std::int64_t>(m_blocks.size()) - m_active;
  m_budget = std::max<std::int64_t>(1, (m_totalSteps - m_steps) / remainingLayers);
}

void MonoForward::snapshotActive(Network& net) {
  const WeightRange weights = m_blocks[static_cast<std::size_t>(m_active)].range;
  const WeightRange projection = m_projections.range(m_active);
  m_bestWeights.resize(Shape{weights.count});
  m_bestProjection.resize(Shape{projection.count});
  net.backend().copy(TensorView(net.weights(), weights.offset, Shape{weights.count}), m_bestWeights);
  net.backend().copy(TensorView(m_projections.weights(), projection.offset, Shape{projection.count}),
                     m_bestProjection);
  m_hasBest = true;
}

void MonoForward::restoreActive(Network& net) {
  if (!m_hasBest) return;
  const WeightRange weights = m_blocks[static_cast<std::size_t>(m_active)].range;
  const WeightRange projection = m_projections.range(m_active);
  net.backend().copy(m_bestWeights, TensorView(net.weights(), weights.offset, Shape{weights.count}));
  net.backend().copy(m_bestProjection, TensorView(m_projections.weights(), projection.offset, Shape{projection.count}));
}


ExplanationTarget MonoForward::explanationTarget(const Network&) const {
  ExplanationTarget target;
  target.kind = ExplanationTarget::Kind::Head;
  if (m_blocks.empty()) {
    target.unsupported = "Mono-Forward's projections exist only once the rule is prepared";
    return target;
  }
  const std::size_t i = predictLayer();
  target.description = "Mono-Forward's projected score G_c = <a, M[c, :]> of layer " + std::to_string(i + 1) +
                       " (" + m_blocks[i].name + "), the layer that predicts";
  target.headLayer = m_blocks[i].lastIndex();
  target.head = m_projections.weight(static_cast<int>(i));
  return target;
}

}  // namespace ffn

#include "core/rules/CounterCurrent.h"

#include <cmath>

#include "core/layers/Initializers.h"

namespace ffn {

CounterCurrent::CounterCurrent(const Json& params)
    : m_clipNorm(params.at("clipNorm").get<double>()), m_keepBest(params.at("keepBest").get<bool>()) {}

Status CounterCurrent::prepare(Network& net, const RuleSetup& setup) {
  const std::string title = "Counter-Current Learning";
  auto blocks = denseBlocks(net, title);
  if (!blocks) return blocks.error();
  for (std::size_t i = 0; i < blocks->size(); ++i) {
    const DenseBlock& block = (*blocks)[i];
    const bool top = i + 1 == blocks->size();
    if (block.bias.valid())
      return fail(title, " needs layers without bias (its feedback net mirrors them; as in the official code): turn "
                  "off 'Bias' on ", block.name);
    if (!top && !block.activation)
      return fail(title, " needs an activation (ELU) after every Dense layer but the last; ", block.name, " has none");
    if (top && block.activation)
      return fail(title, ": the last Dense layer gives the logits, so nothing may follow it; remove ",
                  block.activation->kind(), " after ", block.name);
  }
  m_classes = setup.classCount;
  if (blocks->back().out() != m_classes)
    return fail(title, ": the last Dense layer, ", blocks->back().name, ", has ", std::to_string(blocks->back().out()),
                " units but the data has ", std::to_string(m_classes), " classes; set its units to ",
                std::to_string(m_classes));
  if (net.loss() != LossKind::CrossEntropy)
    return fail(title, " trains its top layer with cross-entropy: set the Output's loss to cross-entropy");
  m_blocks = std::move(*blocks);

  // B_l:[d_{l-1}, d_l], l = 1..L, drawn like PyTorch's bias-free nn.Linear(d_l, d_{l-1}) (kaiming-uniform).
  const std::size_t layers = m_blocks.size();
  auto width = [&](std::size_t l) { return l == 0 ? m_blocks[0].in() : m_blocks[l - 1].out(); };
  m_feedback.clear();
  for (std::size_t l = 1; l <= layers; ++l)
    m_feedback.add("ccl.feedback" + std::to_string(l), Shape{width(l - 1), width(l)});
  m_feedback.allocate();
  for (std::size_t l = 1; l <= layers; ++l) {
    Rng rng(deriveSeed(setup.seed, 0xcc100 + l));
    initializeLinear("kaiming-uniform", rng, feedbackWeight(l), TensorView(), width(l), width(l - 1));
  }
  m_identity = Tensor(Shape{m_classes, m_classes});
  for (int c = 0; c < m_classes; ++c) m_identity.mutableData()[c * m_classes + c] = 1.0f;
  m_preSignals.assign(layers, Tensor());
  m_signals.assign(layers, Tensor());
  m_epoch = m_bestEpoch = 0;
  return {};
}

const Tensor& CounterCurrent::activity(Network& net, std::size_t l) const {
  return l == 0 ? net.layerInput(0) : net.layer(m_blocks[l - 1].lastIndex()).output;
}

void CounterCurrent::runFeedback(PassContext& ctx) {
  // c_L = I:[C,C]; c_{l-1} = f_{l-1}(c_l B_l^T):[C, d_{l-1}]; c_0 linear
  const Tensor* above = &m_identity;
  for (std::size_t l = m_blocks.size(); l >= 1; --l) {
    const TensorView b = feedbackWeight(l);
    Tensor& pre = l == 1 ? m_signals[0] : m_preSignals[l - 1];
    pre.resize(Shape{m_classes, b.rows()});
    ctx.backend.gemm(Transpose::No, Transpose::Yes, 1.0f, *above, b, 0.0f, pre);
    if (l > 1) m_blocks[l - 2].activate(ctx, pre, m_signals[l - 1]);
    above = &m_signals[l - 1];
  }
}

Result<StepStats> CounterCurrent::step(Network& net, const Batch& batch, Optimizer& optimizer) {
  PassContext ctx = net.passContext(true);
  Backend& backend = ctx.backend;
  const std::int64_t n = batch.size();
  const std::size_t layers = m_blocks.size();
  m_targets.resize(Shape{n, m_classes});
  m_targets.fill(0.0f);
  for (std::int64_t i = 0; i < n; ++i) m_targets.mutableData()[i * m_classes + batch.label(i)] = 1.0f;

  const Tensor& logits = net.forward(batch.inputs, true);
  runFeedback(ctx);
  // Every weight of the forward net belongs to one block and each block learns from one loss, so each block's
  // gradient is written whole below (no zeroing pass first).

  StepStats stats;
  for (std::size_t l = 0; l < layers; ++l) {
    // S = a_l c_l^T:[N,C]; l_l = k * 0.5 * sum (S - Y)^2 with k = (256 / d_l) / (N C); dS = k (S - Y)
    const Tensor& a = activity(net, l);
    const Tensor& c = m_signals[l];
    const auto width = static_cast<double>(c.cols());
    const auto k = static_cast<float>(kReferenceWidth / width / static_cast<double>(n * m_classes));
    m_alignment.resize(Shape{n, m_classes});
    m_dalignment.resize(Shape{n, m_classes});
    backend.gemm(Transpose::No, Transpose::Yes, 1.0f, a, c, 0.0f, m_alignment);
    const double loss = k * backend.meanSquaredError(m_alignment, m_targets, k, m_dalignment).lossSum;
    stats.loss += loss;
    stats.metrics.push_back({"ccl_alignment_loss_layer" + std::to_string(l), loss});
    if (l > 0) {
      // W_l: da = dS c:[N,d_l]; dz = da * f'(z); dW_l = dz^T a_{l-1}
      const DenseBlock& block = m_blocks[l - 1];
      const Tensor& z = net.layer(block.denseIndex).output;
      m_da.resize(a.shape());
      backend.gemm(Transpose::No, Transpose::No, 1.0f, m_dalignment, c, 0.0f, m_da);
      block.activationBackward(ctx, z, a, m_da, m_dz);
      block.writeGradient(backend, net.layerInput(block.denseIndex), m_dz);
    }
    // B_{l+1}: dc = dS^T a:[C,d_l]; through f_l (not for c_0); dB_{l+1} = dpre^T c_{l+1}:[d_l, d_{l+1}]
    m_dsignal.resize(c.shape());
    backend.gemm(Transpose::Yes, Transpose::No, 1.0f, m_dalignment, a, 0.0f, m_dsignal);
    const Tensor* gradient = &m_dsignal;
    if (l > 0) {
      m_blocks[l - 1].activationBackward(ctx, m_preSignals[l], c, m_dsignal, m_dpre);
      gradient = &m_dpre;
    }
    const Tensor& above = l + 1 == layers ? m_identity : m_signals[l + 1];
    backend.gemm(Transpose::Yes, Transpose::No, 1.0f, *gradient, above, 0.0f, m_feedback.gradient(static_cast<int>(l)));
  }
  // The top layer: cross-entropy of the logits, dW_L = dlogits^T a_{L-1}.
  const DenseBlock& top = m_blocks.back();
  m_dlogits.resize(logits.shape());
  const LossResult ce = backend.softmaxCrossEntropy(logits, batch.labels, 1.0f / static_cast<float>(n), m_dlogits);
  top.writeGradient(backend, net.layerInput(top.denseIndex), m_dlogits);
  const double ceLoss = ce.lossSum / static_cast<double>(n);
  stats.loss += ceLoss;
  stats.accuracy = static_cast<double>(ce.correct) / static_cast<double>(n);
  if (!std::isfinite(stats.loss)) return fail("the Counter-Current loss became ", std::isnan(stats.loss) ? "NaN" : "infinite");

  const double noClip = INFINITY;
  const double forwardNorm = clipGradientNorm(backend, net.gradients(), m_clipNorm > 0.0 ? m_clipNorm : noClip);
  const double feedbackNorm =
      clipGradientNorm(backend, m_feedback.gradients(), m_clipNorm > 0.0 ? m_clipNorm : noClip);
  FFN_TRY(optimizer.step(net.weights(), net.gradients()));
  FFN_TRY(m_feedback.step(backend, optimizer));
  stats.metrics.push_back({"ccl_ce_loss", ceLoss});
  stats.metrics.push_back({"ccl_forward_grad_norm", forwardNorm});
  stats.metrics.push_back({"ccl_feedback_grad_norm", feedbackNorm});
  stats.metrics.push_back({"ccl_best_epoch", static_cast<double>(m_bestEpoch)});
  return stats;
}

const Tensor& CounterCurrent::predict(Network& net, const Tensor& inputs) { return net.forward(inputs, false); }

void CounterCurrent::endEpoch(Network& net, const EvalStats* validation) {
  ++m_epoch;
  if (!m_keepBest || !validation) return;
  if (m_bestEpoch > 0 && !(validation->loss() < m_bestLoss)) return;
  m_bestLoss = validation->loss();
  m_bestEpoch = m_epoch;
  m_bestWeights.resize(net.weights().shape());
  m_bestFeedback.resize(m_feedback.weights().shape());
  net.backend().copy(net.weights(), m_bestWeights);
  net.backend().copy(m_feedback.weights(), m_bestFeedback);
}

void CounterCurrent::finish(Network& net) {
  if (!m_keepBest || m_bestEpoch == 0 || m_bestEpoch == m_epoch) return;
  net.backend().copy(m_bestWeights, net.weights());
  net.backend().copy(m_bestFeedback, m_feedback.weights());
}

}  // namespace ffn

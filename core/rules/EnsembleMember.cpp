#include "core/rules/EnsembleMember.h"

#include <algorithm>
#include <cmath>

#include "core/layers/Activation.h"
#include "core/layers/Dense.h"

namespace ffn {
namespace {

constexpr std::int64_t kAlign = 16;  // floats: 64-byte boundaries inside the member's own buffers
constexpr std::int64_t kChunkFloats = 1 << 22;  // bound on one layer's output while evaluating (16 MB)

std::int64_t alignUp(std::int64_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The position of the single 1 in each row, or -1 when some row is not a basis vector.
std::vector<std::int64_t> basisPositions(const Tensor& inputs) {
  std::vector<std::int64_t> positions;
  const auto x = inputs.matrix();
  for (std::int64_t r = 0; r < x.rows(); ++r) {
    std::int64_t position = -1;
    for (std::int64_t c = 0; c < x.cols(); ++c) {
      const float v = x(r, c);
      if (v == 0.0f) continue;
      if (v != 1.0f || position >= 0) return {-1};
      position = c;
    }
    if (position < 0) return {-1};
    positions.push_back(position);
  }
  return positions;
}

}  // namespace

Result<std::unique_ptr<EnsembleMember>> EnsembleMember::create(const Graph& graph, const MemberSettings& settings,
                                                               const Batch& train) {
  if (!train.hasTargets()) return fail("ensemble members learn target vectors; this data has none");
  std::unique_ptr<EnsembleMember> member(new EnsembleMember(settings, train));
  auto net = Network::compile(graph, member->m_backend);
  if (!net) return net.error();
  member->m_net = std::move(*net);
  if (member->m_net->classCount() != train.targets.cols())
    return fail("the network ends in ", std::to_string(member->m_net->classCount()), " outputs but the targets have ",
                std::to_string(train.targets.cols()), "; set the last layer's units to ",
                std::to_string(train.targets.cols()));
  auto optimizer = Optimizer::create(settings.optimizer, member->m_backend);
  if (!optimizer) return optimizer.error();
  member->m_optimizer = std::move(*optimizer);
  FFN_TRY(member->setUpBasisPath());
  return member;
}

Status EnsembleMember::setUpBasisPath() {
  Network& net = *m_net;
  if (!m_settings.allowBasisPath || net.layerCount() != 3) return {};
  const auto* first = dynamic_cast<const Dense*>(net.layer(0).layer.get());
  const auto* relu = dynamic_cast<const Activation*>(net.layer(1).layer.get());
  const auto* second = dynamic_cast<const Dense*>(net.layer(2).layer.get());
  if (!first || !relu || !second || relu->function() != ActivationKind::ReLU || !first->hasBias() ||
      !second->hasBias())
    return {};
  const auto positions = basisPositions(m_train.inputs);
  if (positions.empty() || positions.front() < 0) return {};
  m_basis = true;
  m_inputs = first->inFeatures();
  m_units = first->units();
  m_outputs = second->units();
  m_positions = Tensor(Shape{static_cast<std::int64_t>(positions.size())});
  for (std::size_t n = 0; n < positions.size(); ++n) m_positions.mutableData()[n] = static_cast<float>(positions[n]);
  const std::int64_t o1 = 0, o2 = alignUp(o1 + m_inputs * m_units), o3 = alignUp(o2 + m_units),
                     o4 = alignUp(o3 + m_outputs * m_units), total = alignUp(o4 + m_outputs);
  const OptimizerSettings& opt = m_settings.optimizer;
  m_fused = m_settings.allowFusedStep && opt.kind == "sgd" && opt.weightDecay == 0.0 && opt.gradientNoise == 0.0;
  m_params = Tensor(Shape{total});
  if (!m_fused) m_grads = Tensor(Shape{total});
  auto views = [&](const Tensor& t, TensorView& w1t, TensorView& b1, TensorView& w2, TensorView& b2) {
    w1t = TensorView(t, o1, Shape{m_inputs, m_units});
    b1 = TensorView(t, o2, Shape{m_units});
    w2 = TensorView(t, o3, Shape{m_outputs, m_units});
    b2 = TensorView(t, o4, Shape{m_outputs});
  };
  views(m_params, m_w1t, m_b1, m_w2, m_b2);
  if (!m_fused) views(m_grads, m_dw1t, m_db1, m_dw2, m_db2);
  return {};
}

void EnsembleMember::toUnitMinor() {
  const auto* first = static_cast<const Dense*>(m_net->layer(0).layer.get());
  const auto* second = static_cast<const Dense*>(m_net->layer(2).layer.get());
  m_w1t.mutableMatrix() = first->weight().matrix().transpose();  // [m,in] -> [in,m]
  m_b1.mutableVector() = first->bias().vector();
  m_w2.mutableMatrix() = second->weight().matrix();  // already [out, m]
  m_b2.mutableVector() = second->bias().vector();
}

void EnsembleMember::fromUnitMinor() {
  const auto* first = static_cast<const Dense*>(m_net->layer(0).layer.get());
  const auto* second = static_cast<const Dense*>(m_net->layer(2).layer.get());
  first->weight().mutableMatrix() = m_w1t.matrix().transpose();
  first->bias().mutableVector() = m_b1.vector();
  second->weight().mutableMatrix() = m_w2.matrix();
  second->bias().mutableVector() = m_b2.vector();
}

Status EnsembleMember::start(int index, std::uint64_t seed) {
  m_index = index;
  m_epoch = 0;
  m_seconds = 0.0;
  m_lastLoss = 0.0;
  m_outFresh = false;
  m_net->initializeWeights(seed);
  m_optimizer->reset();
  if (m_basis) toUnitMinor();
  return {};
}

float EnsembleMember::ntkScale(std::int64_t fanIn) const {
  return m_settings.parameterization == Parameterization::Ntk ? 1.0f / static_cast<float>(fanIn) : 1.0f;
}

void EnsembleMember::scaleForNtk(const TensorView& gradient, std::int64_t fanIn) {
  if (m_settings.parameterization == Parameterization::Ntk) m_backend.scale(ntkScale(fanIn), gradient);
}

Status EnsembleMember::basisEpoch() {
  // index:[N] -> out:[N,k]; dL/dout = 2 (out - y) / (N k); one step over [w1t | b1 | w2 | b2]: fused for plain
  // SGD, else gradients and the Optimizer
  const std::int64_t n = m_positions.size();
  m_out.resize(Shape{n, m_outputs});
  m_gradOut.resize(Shape{n, m_outputs});
  if (!m_outFresh) m_backend.basisReluForward(m_positions, m_w1t, m_b1, m_w2, m_b2, m_out);
  m_outFresh = false;
  const auto count = static_cast<double>(n * m_outputs);
  const LossResult r = m_backend.meanSquaredError(m_out, m_train.targets, static_cast<float>(2.0 / count), m_gradOut);
  m_lastLoss = 2.0 * r.lossSum / count;
  if (!std::isfinite(m_lastLoss)) return fail("member ", std::to_string(m_index), ": the loss became not finite");
  if (m_fused) {
    // the step also computes the next epoch's outputs, unless this is the last epoch (finish evaluates anew)
    m_outFresh = m_epoch + 1 < m_settings.epochs;
    m_backend.basisReluSgdStep(m_positions, m_gradOut, static_cast<float>(m_optimizer->currentLearningRate()),
                               ntkScale(m_inputs), ntkScale(m_units), m_w1t, m_b1, m_w2, m_b2,
                               m_outFresh ? TensorView(m_out) : TensorView());
    return {};
  }
  m_backend.basisReluBackward(m_positions, m_w1t, m_b1, m_w2, m_gradOut, m_dw1t, m_db1, m_dw2, m_db2);
  scaleForNtk(m_dw1t, m_inputs);
  scaleForNtk(m_dw2, m_units);
  return m_optimizer->step(m_params, m_grads);
}

Status EnsembleMember::networkEpoch() {
  // x:[N,k] -> out:[N,k]; the same loss, back-propagated through every layer
  const Tensor& out = m_net->forward(m_train.inputs, true);
  const auto count = static_cast<double>(out.size());
  m_gradOut.resize(out.shape());
  const LossResult r = m_backend.meanSquaredError(out, m_train.targets, static_cast<float>(2.0 / count), m_gradOut);
  m_lastLoss = 2.0 * r.lossSum / count;
  if (!std::isfinite(m_lastLoss)) return fail("member ", std::to_string(m_index), ": the loss became not finite");
  m_net->zeroGradients();
  m_net->backward(m_gradOut);
  for (const auto& entry : m_net->weightEntries())
    if (entry.name == "weight" && entry.shape.rank() > 1) scaleForNtk(m_net->gradientView(entry), entry.shape.innerCount());
  return m_optimizer->step(m_net->weights(), m_net->gradients());
}

Result<int> EnsembleMember::train(int epochs) {
  const auto start = std::chrono::steady_clock::now();
  int ran = 0;
  for (; ran < epochs && !done(); ++ran, ++m_epoch) {
    m_optimizer->setProgress(static_cast<double>(m_epoch) / m_settings.epochs);
    if (Status s = m_basis ? basisEpoch() : networkEpoch(); !s) {
      m_seconds += secondsSince(start);
      return s.error();
    }
  }
  m_seconds += secondsSince(start);
  return ran;
}

Tensor EnsembleMember::outputs(const Tensor& inputs) {
  // inputs:[T,in] -> [T,out], `chunk` rows at a time so that no layer's output exceeds kChunkFloats
  std::int64_t widest = 1;
  for (std::size_t i = 0; i < m_net->layerCount(); ++i)
    widest = std::max(widest, m_net->layer(i).layer->outputShape().elementCount());
  const std::int64_t chunk = std::clamp<std::int64_t>(kChunkFloats / widest, 1, 4096);
  const std::int64_t rows = inputs.rows(), in = inputs.cols(), outs = m_net->classCount();
  Tensor result(Shape{rows, outs});
  Tensor part;
  for (std::int64_t first = 0; first < rows; first += chunk) {
    const std::int64_t count = std::min(chunk, rows - first);
    part.resize(Shape{count, in});
    std::copy_n(inputs.data() + first * in, count * in, part.mutableData());
    const Tensor& y = m_net->forward(part, false);
    std::copy_n(y.data(), count * outs, result.mutableData() + first * outs);
  }
  return result;
}

Result<MemberResult> EnsembleMember::finish(const Tensor& inputs, bool keepWeights) {
  if (!done()) return fail("member ", std::to_string(m_index), " has not finished training");
  if (m_basis) fromUnitMinor();
  MemberResult result;
  result.index = m_index;
  result.trainLoss = m_lastLoss;
  result.seconds = m_seconds;
  result.trainOutputs = outputs(m_train.inputs);
  result.testOutputs = outputs(inputs);
  if (keepWeights) result.weights = m_net->weights();
  return result;
}

}  // namespace ffn

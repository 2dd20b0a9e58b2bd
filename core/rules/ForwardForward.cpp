#include "core/rules/ForwardForward.h"

#include <algorithm>
#include <cmath>

#include "core/layers/Initializers.h"

namespace ffn {
namespace {

// Rows per scoring pass: goodness prediction runs C copies of each sample, so samples are taken in chunks that
// keep the stacked activations to a few MB per layer.
constexpr std::int64_t kScoringRows = 4096;

double softplus(double x) { return x > 0.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

ForwardForwardSettings ForwardForwardSettings::fromJson(const Json& params) {
  ForwardForwardSettings s;
  s.meanGoodness = params.at("goodness") == "mean";
  s.threshold = params.at("threshold").get<double>();
  s.greedy = params.at("schedule") == "greedy";
  s.hardNegatives = params.at("negatives") == "hard";
  s.replaceFirst = params.at("labelInput") == "replace-first";
  s.labelValue = params.at("labelValue").get<double>();
  s.softmaxPrediction = params.at("prediction") == "softmax";
  s.skipFirstLayer = params.at("skipFirstLayer").get<bool>();
  return s;
}

ForwardForward::ForwardForward(const Json& params) : m_settings(ForwardForwardSettings::fromJson(params)) {}

Status ForwardForward::prepare(Network& net, const RuleSetup& setup) {
  auto blocks = denseBlocks(net, "Forward-Forward");
  if (!blocks) return blocks.error();
  for (const DenseBlock& block : *blocks)
    if (!block.activation || block.activation->function() != ActivationKind::ReLU)
      return fail("Forward-Forward needs a ReLU after every Dense layer (goodness is the sum of squared ReLU "
                  "activities), but ",
                  block.name, block.activation ? " is followed by " + block.activation->kind() : " has none");
  m_classes = setup.classCount;
  if (m_classes < 2) return fail("Forward-Forward needs at least 2 classes to write labels into the input");
  const DenseBlock& first = blocks->front();
  if (m_settings.replaceFirst && first.in() < m_classes)
    return fail("Forward-Forward writes the label into the first ", std::to_string(m_classes),
                " input features, but the input has only ", std::to_string(first.in()),
                "; set 'Label input' to extra-inputs to give the label inputs of its own");

  m_params.clear();
  m_labelWeights = m_settings.replaceFirst ? -1 : m_params.add("ff.label_weights", Shape{first.out(), m_classes});
  m_readout.assign(blocks->size(), -1);
  if (m_settings.softmaxPrediction) {
    for (std::size_t l = 0; l < blocks->size(); ++l)
      if (!(m_settings.skipFirstLayer && l == 0 && blocks->size() > 1))
        m_readout[l] = m_params.add("ff.readout.layer" + std::to_string(l + 1), Shape{m_classes, (*blocks)[l].out()});
    m_readoutBias = m_params.add("ff.readout.bias", Shape{m_classes});
  }
  m_params.allocate();  // the read-out starts at zero: uniform class probabilities
  TensorView labelWeights = first.weight.columnRange(0, m_classes);
  TensorView labelGradient = first.gradWeight.columnRange(0, m_classes);
  if (m_labelWeights >= 0) {
    // Drawn like the first layer's own columns (kaiming-uniform over its inputs).
    Rng rng(deriveSeed(setup.seed, 0xff01));
    const float limit = 1.0f / std::sqrt(static_cast<float>(first.in()));
    rng.fillUniform(m_params.weight(m_labelWeights).mutableValues(), -limit, limit);
    labelWeights = m_params.weight(m_labelWeights);
    labelGradient = m_params.gradient(m_labelWeights);
  }
  m_pass.configure(std::move(*blocks), labelWeights, labelGradient, m_classes, m_settings.replaceFirst);
  m_totalSteps = std::max<std::int64_t>(1, setup.epochs * setup.stepsPerEpoch);
  m_steps = 0;
  m_rng = Rng(deriveSeed(setup.seed, 0xff));
  return {};
}

double ForwardForward::threshold(std::size_t l) const {
  return m_settings.meanGoodness ? m_settings.threshold
                                 : m_settings.threshold * static_cast<double>(m_pass.block(l).out());
}

int ForwardForward::activeLayer() const {
  if (!m_settings.greedy) return -1;
  const auto layers = static_cast<std::int64_t>(m_pass.layerCount());
  return static_cast<int>(std::min(layers - 1, m_steps * layers / m_totalSteps));
}

bool ForwardForward::usedForPrediction(std::size_t l) const {
  return !(m_settings.skipFirstLayer && l == 0 && m_pass.layerCount() > 1);
}

void ForwardForward::writeLabels(std::int64_t copies, const std::vector<int>& classes) {
  Tensor& labels = m_pass.labels(copies);
  float* out = labels.mutableData();
  const auto value = static_cast<float>(m_settings.labelValue);
  for (std::int64_t r = 0; r < labels.rows(); ++r) {
    const int c = classes[static_cast<std::size_t>(r)];
    std::fill_n(out + r * m_classes, m_classes, c < 0 ? value / static_cast<float>(m_classes) : 0.0f);
    if (c >= 0) out[r * m_classes + c] = value;
  }
}

void ForwardForward::scoreChunk(PassContext& ctx, const TensorView& inputs, const TensorView& scores) {
  // inputs:[n, in...] -> scores:[n, C]
  const std::int64_t n = inputs.rows();
  const std::size_t layers = m_pass.layerCount();
  m_pass.setInputs(ctx.backend, inputs);
  if (m_settings.softmaxPrediction) {
    m_rowClasses.assign(static_cast<std::size_t>(n), -1);
    writeLabels(1, m_rowClasses);
    m_pass.run(ctx, layers, true);
    readoutLogits(ctx.backend, 0, n, scores);
    return;
  }
  // Copy c of the batch carries label c: score[i, c] = sum over the used layers of G(copy c, sample i).
  m_rowClasses.resize(static_cast<std::size_t>(n * m_classes));
  for (int c = 0; c < m_classes; ++c) std::fill_n(m_rowClasses.begin() + c * n, n, c);
  writeLabels(m_classes, m_rowClasses);
  m_pass.run(ctx, layers, false);
  float* out = scores.mutableData();
  std::fill_n(out, n * m_classes, 0.0f);
  for (std::size_t l = 0; l < layers; ++l) {
    if (!usedForPrediction(l)) continue;
    const float* g = m_pass.layer(l).goodness.data();
    const float scale = m_settings.meanGoodness ? 1.0f / static_cast<float>(m_pass.block(l).out()) : 1.0f;
    for (int c = 0; c < m_classes; ++c)
      for (std::int64_t i = 0; i < n; ++i) out[i * m_classes + c] += scale * g[c * n + i];
  }
}

std::int64_t ForwardForward::scoringChunk() const {
  return m_settings.softmaxPrediction ? kScoringRows : std::max<std::int64_t>(1, kScoringRows / m_classes);
}

const Tensor& ForwardForward::predict(Network& net, const Tensor& inputs) {
  PassContext ctx = net.passContext(false);
  const std::int64_t n = inputs.rows();
  const std::int64_t chunk = scoringChunk();
  m_scores.resize(Shape{n, m_classes});
  for (std::int64_t begin = 0; begin < n; begin += chunk) {
    const std::int64_t count = std::min(chunk, n - begin);
    scoreChunk(ctx, TensorView(inputs).rowRange(begin, count), TensorView(m_scores).rowRange(begin, count));
  }
  return m_scores;
}

void ForwardForward::chooseNegatives(PassContext& ctx, const Batch& batch) {
  const std::int64_t n = batch.size();
  m_negatives.resize(static_cast<std::size_t>(n));
  if (!m_settings.hardNegatives) {
    for (std::int64_t i = 0; i < n; ++i)
      m_negatives[static_cast<std::size_t>(i)] =
          (batch.label(i) + 1 + static_cast<int>(m_rng.below(static_cast<std::uint64_t>(m_classes - 1)))) % m_classes;
    return;
  }
  // Hard negatives: a wrong label drawn in proportion to softmax(scores) over the wrong labels.
  m_batchScores.resize(Shape{n, m_classes});
  const std::int64_t chunk = scoringChunk();
  for (std::int64_t begin = 0; begin < n; begin += chunk) {
    const std::int64_t count = std::min(chunk, n - begin);
    scoreChunk(ctx, TensorView(batch.inputs).rowRange(begin, count), TensorView(m_batchScores).rowRange(begin, count));
  }
  const float* scores = m_batchScores.data();
  std::vector<double> weights(static_cast<std::size_t>(m_classes));
  for (std::int64_t i = 0; i < n; ++i) {
    const int y = batch.label(i);
    const float* s = scores + i * m_classes;
    double top = -INFINITY, total = 0.0;
    for (int c = 0; c < m_classes; ++c)
      if (c != y) top = std::max(top, static_cast<double>(s[c]));
    for (int c = 0; c < m_classes; ++c) total += weights[c] = c == y ? 0.0 : std::exp(s[c] - top);
    double u = m_rng.uniform() * total;
    int pick = y == 0 ? 1 : 0;
    for (int c = 0; c < m_classes; ++c) {
      if (weights[c] <= 0.0) continue;
      pick = c;
      if ((u -= weights[c]) < 0.0) break;
    }
    m_negatives[static_cast<std::size_t>(i)] = pick;
  }
}

double ForwardForward::layerLoss(Backend& backend, std::size_t l, std::int64_t n, std::vector<Metric>& metrics) {
  // Rows [0, n) positive, [n, 2n) negative. With G the layer's goodness in its form (sum or mean of a^2):
  // dLoss/dG = -sigmoid(theta - G+) / n and sigmoid(G- - theta) / n; dG/da = 2a (/ units for the mean), and
  // a = ReLU(z), so dLoss/dz = factor * a (a is already 0 where the ReLU is off).
  const GoodnessLayer& layer = m_pass.layer(l);
  const double units = static_cast<double>(m_pass.block(l).out());
  const double form = m_settings.meanGoodness ? 1.0 / units : 1.0;
  const double theta = threshold(l);
  const float* g = layer.goodness.data();
  m_factors.resize(Shape{2 * n});
  float* factor = m_factors.mutableData();
  double loss = 0.0, positive = 0.0, negative = 0.0;
  for (std::int64_t r = 0; r < 2 * n; ++r) {
    const double value = form * g[r];
    const double sign = r < n ? -1.0 : 1.0;  // pushes G up for positives, down for negatives
    loss += softplus(sign * (value - theta));
    factor[r] = static_cast<float>(sign * sigmoid(sign * (value - theta)) * 2.0 * form / static_cast<double>(n));
    (r < n ? positive : negative) += g[r] / units;
  }
  m_dz.resize(Shape{2 * n, m_pass.block(l).out()});
  backend.scaleRows(TensorView(layer.a).rowRange(0, 2 * n), m_factors, m_dz);
  const std::string suffix = "_layer" + std::to_string(l + 1);
  metrics.push_back({"ff_goodness_pos" + suffix, positive / static_cast<double>(n)});
  metrics.push_back({"ff_goodness_neg" + suffix, negative / static_cast<double>(n)});
  metrics.push_back({"ff_loss" + suffix, loss / static_cast<double>(n)});
  return loss / static_cast<double>(n);
}

void ForwardForward::readoutLogits(Backend& backend, std::int64_t first, std::int64_t n, const TensorView& logits) {
  // sum over read-out layers of h_l:[n,d_l] R_l^T:[d_l,C] + b -> logits:[n,C]
  float beta = 0.0f;
  for (std::size_t l = 0; l < m_readout.size(); ++l) {
    if (m_readout[l] < 0) continue;
    backend.gemm(Transpose::No, Transpose::Yes, 1.0f, TensorView(m_pass.layer(l).h).rowRange(first, n),
                 m_params.weight(m_readout[l]), beta, logits);
    beta = 1.0f;
  }
  backend.addRowVector(logits, m_params.weight(m_readoutBias));
}

Status ForwardForward::trainReadout(Backend& backend, const Batch& batch, const Optimizer& optimizer,
                                    StepStats& stats) {
  // The neutral-label copy is rows [2N, 3N); its activities are inputs only (nothing flows back into the layers).
  const std::int64_t n = batch.size();
  m_logits.resize(Shape{n, m_classes});
  m_dlogits.resize(Shape{n, m_classes});
  readoutLogits(backend, 2 * n, n, m_logits);
  const LossResult r = backend.softmaxCrossEntropy(m_logits, batch.labels, 1.0f / static_cast<float>(n), m_dlogits);
  int first = -1;
  for (std::size_t l = 0; l < m_readout.size(); ++l) {
    if (m_readout[l] < 0) continue;
    if (first < 0) first = m_readout[l];
    backend.gemm(Transpose::Yes, Transpose::No, 1.0f, m_dlogits, TensorView(m_pass.layer(l).h).rowRange(2 * n, n),
                 0.0f, m_params.gradient(m_readout[l]));
  }
  backend.sumRows(m_dlogits, 0.0f, m_params.gradient(m_readoutBias));
  FFN_TRY(m_params.step(backend, optimizer, m_params.range(first, m_readoutBias - first + 1)));
  const double loss = r.lossSum / static_cast<double>(n);
  stats.loss += loss;
  stats.accuracy = static_cast<double>(r.correct) / static_cast<double>(n);
  stats.metrics.push_back({"ff_readout_loss", loss});
  stats.metrics.push_back({"ff_readout_accuracy", stats.accuracy});
  return {};
}

Result<StepStats> ForwardForward::step(Network& net, const Batch& batch, Optimizer& optimizer) {
  PassContext ctx = net.passContext(true);
  Backend& backend = ctx.backend;
  const std::int64_t n = batch.size();
  const int active = activeLayer();
  ++m_steps;
  chooseNegatives(ctx, batch);

  // Rows: positives [0, N), negatives [N, 2N), and the neutral label [2N, 3N) when a read-out learns.
  const bool readout = m_settings.softmaxPrediction;
  const std::size_t layers = active >= 0 && !readout ? static_cast<std::size_t>(active) + 1 : m_pass.layerCount();
  if (m_settings.hardNegatives && !readout && n <= scoringChunk()) {
    // Picking hard negatives just ran every label of every sample through all layers with the current weights
    // (copy c, label c, is rows [cN, (c+1)N)): the positive and the chosen negative rows are among them, so
    // keeping those rows is the training pass (a fifth of the step's products saved).
    m_keptRows.resize(Shape{2 * n});
    float* rows = m_keptRows.mutableData();
    for (std::int64_t i = 0; i < n; ++i) {
      rows[i] = static_cast<float>(batch.label(i) * n + i);
      rows[n + i] = static_cast<float>(m_negatives[static_cast<std::size_t>(i)] * n + i);
    }
    m_pass.keepRows(backend, m_keptRows, layers, false);
  } else {
    m_pass.setInputs(backend, batch.inputs);
    m_rowClasses.resize(static_cast<std::size_t>((readout ? 3 : 2) * n));
    for (std::int64_t i = 0; i < n; ++i) {
      m_rowClasses[static_cast<std::size_t>(i)] = batch.label(i);
      m_rowClasses[static_cast<std::size_t>(n + i)] = m_negatives[static_cast<std::size_t>(i)];
      if (readout) m_rowClasses[static_cast<std::size_t>(2 * n + i)] = -1;
    }
    writeLabels(readout ? 3 : 2, m_rowClasses);
    m_pass.run(ctx, layers, readout);
  }

  StepStats stats;
  stats.accuracy = -1.0;
  for (std::size_t l = 0; l < layers; ++l) {
    const double loss = layerLoss(backend, l, n, stats.metrics);
    if (active >= 0 && static_cast<std::size_t>(active) != l) continue;
    const DenseBlock& block = m_pass.block(l);
    m_pass.writeGradient(backend, l, m_dz, 2 * n);
    FFN_TRY(optimizer.step(net.weights(), net.gradients(), block.range));
    if (l == 0 && m_labelWeights >= 0) FFN_TRY(m_params.step(backend, optimizer, m_params.range(m_labelWeights)));
    stats.loss += loss;
  }
  stats.metrics.push_back({"ff_threshold", m_settings.threshold});
  if (active >= 0) stats.metrics.push_back({"ff_active_layer", active + 1.0});
  if (readout) FFN_TRY(trainReadout(backend, batch, optimizer, stats));
  if (!std::isfinite(stats.loss)) return fail("the Forward-Forward loss became ", std::isnan(stats.loss) ? "NaN" : "infinite");
  return stats;
}


ExplanationTarget ForwardForward::explanationTarget(const Network&) const {
  ExplanationTarget target;
  target.kind = ExplanationTarget::Kind::Goodness;
  if (m_pass.layerCount() == 0) {
    target.unsupported = "Forward-Forward's layers are known only once the rule is prepared";
    return target;
  }
  if (!m_settings.replaceFirst) {
    target.unsupported = "LRP explains Forward-Forward only when the label replaces the first input features "
                         "('Label input' replace-first): with extra-inputs the label has no input features to "
                         "carry relevance";
    return target;
  }
  target.description = std::string("Forward-Forward's goodness of the explained label: the sum over the ") +
                       (m_settings.skipFirstLayer ? "layers after the first" : "layers") + " of " +
                       (m_settings.meanGoodness ? "mean" : "sum") +
                       "(a_j^2), with the label written into the first input features";
  for (std::size_t l = 0; l < m_pass.layerCount(); ++l) {
    const DenseBlock& block = m_pass.block(l);
    // Every Dense layer reads its input scaled to unit length, as GoodnessPass computes it.
    target.normalizedInputs.push_back(block.denseIndex);
    if (!usedForPrediction(l)) continue;
    const float scale = m_settings.meanGoodness ? 1.0f / static_cast<float>(block.out()) : 1.0f;
    target.goodness.push_back({block.lastIndex(), scale});
  }
  target.labelFeatures = m_classes;
  target.labelOn = static_cast<float>(m_settings.labelValue);
  target.labelOff = 0.0f;
  target.normalizeEps = GoodnessPass::kEpsilon;
  return target;
}

}  // namespace ffn

#include "core/train/Trainer.h"

#include <algorithm>
#include <numeric>

namespace ffn {
namespace {

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

Trainer::Trainer(Network& net, TrainingRule& rule, Optimizer& optimizer, DataSplits data, TrainerSettings settings)
    : m_net(net), m_rule(rule), m_optimizer(optimizer), m_data(data), m_settings(settings) {}

Status Trainer::prepare() {
  if (!m_data.train || m_data.train->size() == 0) return fail("there is no training data");
  if (m_settings.batchSize < 1) return fail("the batch size must be at least 1");
  if (m_settings.epochs < 1) return fail("train for at least one epoch");
  const Shape sample = m_data.train->sampleShape();
  if (sample.elementCount() != m_net.inputShape().elementCount())
    return fail("the data's samples are ", sample.toString(), " but the network's Input expects ",
                m_net.inputShape().toString(), "; set the Input shape to ", sample.toString());
  m_stepsPerEpoch = (m_data.train->size() + m_settings.batchSize - 1) / m_settings.batchSize;
  RuleSetup setup{m_data.train->classCount(), m_settings.epochs, m_stepsPerEpoch, m_settings.seed, m_data};
  FFN_TRY(m_rule.prepare(m_net, setup));
  m_order.resize(static_cast<std::size_t>(m_data.train->size()));
  m_start = std::chrono::steady_clock::now();
  m_prepared = true;
  return {};
}

void Trainer::beginEpoch() {
  // Every epoch's order depends only on the seed and the epoch number: reproducible, and a resumed run
  // sees the same order it would have seen.
  std::iota(m_order.begin(), m_order.end(), std::int64_t{0});
  Rng rng(deriveSeed(m_settings.seed, 0x5eedULL + static_cast<std::uint64_t>(m_epoch)));
  rng.shuffle(std::span<std::int64_t>(m_order));
  m_epochLossSum = m_epochCorrect = 0.0;
  m_epochSamples = 0;
  m_epochAccuracyKnown = true;
  m_lastGoodWeights = m_net.weights();
}

Error Trainer::handleFailure(const Error& error) {
  std::string where = "training stopped at epoch " + std::to_string(m_epoch + 1) + ", step " +
                      std::to_string(m_stepInEpoch + 1) + ": " + error.message;
  if (!m_net.backend().allFinite(m_net.weights())) {
    m_net.weights() = m_lastGoodWeights;
    where += "; the weights were restored to those at the start of the epoch";
  } else {
    where += "; the weights are those of the last good step";
  }
  return Error{where};
}

Result<TrainingProgress> Trainer::stepBatch() {
  if (!m_prepared) FFN_TRY(prepare());
  if (finished()) return fail("the run has already finished all ", std::to_string(m_settings.epochs), " epochs");
  if (m_stepInEpoch == 0) beginEpoch();

  const std::int64_t first = m_stepInEpoch * m_settings.batchSize;
  const std::int64_t count = std::min<std::int64_t>(m_settings.batchSize, m_data.train->size() - first);
  const double progress = (static_cast<double>(m_epoch) + static_cast<double>(m_stepInEpoch) / m_stepsPerEpoch) /
                          static_cast<double>(m_settings.epochs);
  m_net.setTrainingProgress(progress);
  m_optimizer.setProgress(progress);
  m_net.seedStochasticLayers(deriveSeed(m_settings.seed, 0xd40ULL + static_cast<std::uint64_t>(m_step)));

  const auto stepStart = std::chrono::steady_clock::now();
  m_data.train->makeBatchInPieces(
      std::span<const std::int64_t>(m_order).subspan(static_cast<std::size_t>(first), static_cast<std::size_t>(count)),
      m_batch, [this](std::int64_t rows, const std::function<void(std::int64_t, std::int64_t)>& piece) {
        m_net.backend().hostParallel(rows, piece);
      });
  auto stats = m_rule.step(m_net, m_batch, m_optimizer);
  m_trainSeconds += secondsSince(stepStart);
  if (!stats) return handleFailure(stats.error());

  ++m_step;
  ++m_stepInEpoch;
  TrainingProgress p;
  p.epoch = m_epoch + 1;
  p.epochs = m_settings.epochs;
  p.step = m_step;
  p.stepInEpoch = m_stepInEpoch;
  p.stepsPerEpoch = m_stepsPerEpoch;
  p.loss = stats->loss;
  p.accuracy = stats->accuracy;
  p.metrics = std::move(stats->metrics);
  p.learningRate = m_optimizer.currentLearningRate();
  m_epochLossSum += stats->loss * static_cast<double>(count);
  m_epochSamples += count;
  if (stats->accuracy >= 0.0)
    m_epochCorrect += stats->accuracy * static_cast<double>(count);
  else
    m_epochAccuracyKnown = false;
  p.epochLoss = m_epochLossSum / static_cast<double>(m_epochSamples);
  p.epochAccuracy = m_epochAccuracyKnown ? m_epochCorrect / static_cast<double>(m_epochSamples) : -1.0;

  if (m_stepInEpoch == m_stepsPerEpoch) {
    ++m_epoch;
    m_stepInEpoch = 0;
    p.epochEnd = true;
    const bool last = finished();
    m_net.setTrainingProgress(static_cast<double>(m_epoch) / m_settings.epochs);
    if (m_data.validation && m_data.validation->size() > 0) {
      p.validation = evaluate(*m_data.validation);
      p.hasValidation = true;
    }
    m_rule.endEpoch(m_net, p.hasValidation ? &p.validation : nullptr);
    if (last) {
      m_rule.finish(m_net);
      m_net.finishTraining();
    }
    if (m_data.test && m_data.test->size() > 0 && (m_settings.evaluateTest || last)) {
      p.test = evaluate(*m_data.test);
      p.hasTest = true;
    }
  }
  p.trainSeconds = m_trainSeconds;
  p.elapsedSeconds = secondsSince(m_start);
  return p;
}

Result<TrainingProgress> Trainer::stepEpoch(std::stop_token stop) {
  while (true) {
    auto p = stepBatch();
    if (!p || p->epochEnd || stop.stop_requested()) return p;
  }
}

Result<TrainingSummary> Trainer::run(std::stop_token stop, const ProgressCallback& onProgress, RunControl* control) {
  TrainingSummary summary;
  while (!finished()) {
    if (control && !control->waitWhilePaused(stop)) break;
    if (stop.stop_requested()) break;
    auto p = stepBatch();
    if (!p) return p.error();
    summary.last = *p;
    if (onProgress) onProgress(*p);
  }
  summary.epochsCompleted = m_epoch;
  summary.stopped = !finished();
  summary.secondsPerEpoch = m_epoch > 0 ? m_trainSeconds / m_epoch : 0.0;
  return summary;
}

EvalStats Trainer::evaluate(const Dataset& data) {
  EvalStats total;
  for (std::int64_t first = 0; first < data.size(); first += m_settings.evaluationBatch) {
    const std::int64_t count = std::min(m_settings.evaluationBatch, data.size() - first);
    data.makeRangeBatch(first, count, m_evalBatch);
    total.add(m_rule.evaluate(m_net, m_evalBatch));
  }
  return total;
}

}  // namespace ffn

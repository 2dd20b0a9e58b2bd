#pragma once
// Trainer: runs a TrainingRule over a dataset in minibatches and epochs. It can be driven a batch at a time
// (the GUI's "step") or run to the end with a stop token, a pause control and a progress callback. A step
// whose loss or gradient is NaN/infinite stops the run with a message, and the weights stay the last good ones.
#include <chrono>
#include <functional>
#include <stop_token>

#include "core/rules/TrainingRule.h"
#include "core/train/RunControl.h"

namespace ffn {

struct TrainerSettings {
  int epochs = 10;
  int batchSize = 128;
  std::uint64_t seed = 1;             // shuffling order
  std::int64_t evaluationBatch = 1000;  // batch size for validation/test passes
  bool evaluateTest = true;           // evaluate the test split after every epoch (else only at the end)
};

struct TrainingProgress {
  int epoch = 0;                  // 1-based epoch of this step
  int epochs = 0;
  std::int64_t step = 0;          // 1-based, over the whole run
  std::int64_t stepInEpoch = 0;   // 1-based
  std::int64_t stepsPerEpoch = 0;
  double loss = 0.0, accuracy = -1.0;            // this minibatch
  double epochLoss = 0.0, epochAccuracy = -1.0;  // running mean over the epoch so far
  bool epochEnd = false;
  bool hasValidation = false, hasTest = false;   // set at epoch ends
  EvalStats validation, test;
  std::vector<Metric> metrics;   // the rule's own (per-layer goodness, local losses, ...)
  double learningRate = 0.0;
  double trainSeconds = 0.0;     // time spent in training steps so far (evaluation excluded)
  double elapsedSeconds = 0.0;   // wall time since the run started
};

using ProgressCallback = std::function<void(const TrainingProgress&)>;

struct TrainingSummary {
  TrainingProgress last;         // the final step's progress (with the last evaluations)
  int epochsCompleted = 0;
  bool stopped = false;          // cancelled before the planned end
  double secondsPerEpoch = 0.0;  // training time per completed epoch
};

class Trainer {
 public:
  Trainer(Network& net, TrainingRule& rule, Optimizer& optimizer, DataSplits data, TrainerSettings settings);

  // Checks the data fits the network and prepares the rule. Must succeed before stepping.
  Status prepare();
  // One minibatch (and, after an epoch's last one, the evaluations).
  Result<TrainingProgress> stepBatch();
  // Steps until the end of the current epoch.
  Result<TrainingProgress> stepEpoch(std::stop_token stop = {});
  bool finished() const { return m_epoch >= m_settings.epochs; }
  // Runs to the end (or until stopped), reporting every step. Calls rule.finish() at the end.
  Result<TrainingSummary> run(std::stop_token stop, const ProgressCallback& onProgress, RunControl* control = nullptr);
  // Loss and accuracy of the current network over a dataset.
  EvalStats evaluate(const Dataset& data);

  std::int64_t stepsPerEpoch() const { return m_stepsPerEpoch; }
  const TrainerSettings& settings() const { return m_settings; }

 private:
  void beginEpoch();
  Error handleFailure(const Error& error);

  Network& m_net;
  TrainingRule& m_rule;
  Optimizer& m_optimizer;
  DataSplits m_data;
  TrainerSettings m_settings;
  std::int64_t m_stepsPerEpoch = 0;
  int m_epoch = 0;                 // completed epochs
  std::int64_t m_stepInEpoch = 0;  // completed steps in the current epoch
  std::int64_t m_step = 0;
  std::vector<std::int64_t> m_order;
  Batch m_batch, m_evalBatch;
  double m_epochLossSum = 0.0, m_epochCorrect = 0.0;
  std::int64_t m_epochSamples = 0;
  bool m_epochAccuracyKnown = true;
  Tensor m_lastGoodWeights;  // snapshot at the start of each epoch
  double m_trainSeconds = 0.0;
  std::chrono::steady_clock::time_point m_start;
  bool m_prepared = false;
};

}  // namespace ffn

#pragma once
// RunCommands: what the UI asks of a run's worker thread — run, pause, step a batch or an epoch, cancel, the
// demo speed, which pictures to keep fresh and the LRP settings they use, one-off evaluations — behind one
// mutex. The UI side only sets wishes and returns at once; the worker takes them between minibatches (wait), so a
// button press never waits for a training step.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <stop_token>
#include <vector>

#include "core/graph/Graph.h"
#include "core/project/Project.h"

namespace ffn::views {

class RunCommands {
 public:
  using Clock = std::chrono::steady_clock;

  struct Work {
    bool running = false;    // train freely (not paused)
    bool cancelled = false;  // stop training for good
    int batches = 0;         // single steps asked for
    bool toEpochEnd = false; // step until the current epoch ends
    int delayMs = 0;         // pause between free-running steps (the speed control)
    std::optional<NodeId> activationNode;  // a new node to show activation maps of ("" = none)
    std::optional<std::int64_t> sample;    // a new sample to predict (-1 = none)
    std::optional<LrpSettings> lrp;        // new LRP settings (composite, per-node overrides) for the heatmaps
    std::optional<std::vector<std::int64_t>> gridSamples;  // new samples for the heatmap grid (empty = none)
    int flippingSamples = 0;  // > 0: pixel-flipping curves over this many samples are asked for
    bool uiReady = true;     // the UI has taken the last update
  };

  // UI side.
  void run();
  void pause();
  void cancel();
  void stepBatch();  // pauses a free run first
  void stepEpoch();
  void setDelay(int milliseconds);
  void showActivations(const NodeId& node);
  void showSample(std::int64_t index);
  void setLrp(const LrpSettings& lrp);
  void showGrid(std::vector<std::int64_t> samples);
  void evaluateFlipping(int samples);
  void uiReady();
  void markUiBusy();  // the worker posted an update

  // Worker side: blocks until there is something to do or `until` passes (or stop is requested), then returns
  // the wishes; node and sample requests are handed over once.
  Work wait(std::stop_token stop, Clock::time_point until, bool pendingForUi);
  // A step was taken; `epochEnded` ends a step-to-epoch-end request.
  void stepTaken(bool epochEnded);

 private:
  bool hasWorkLocked(bool pendingForUi) const;
  Work snapshotLocked();

  mutable std::mutex m_mutex;
  std::condition_variable_any m_changed;
  bool m_running = false, m_cancelled = false, m_toEpochEnd = false, m_uiReady = true;
  bool m_modeChanged = false;
  int m_batches = 0, m_delayMs = 0;
  std::optional<NodeId> m_activationNode;
  std::optional<std::int64_t> m_sample;
  std::optional<LrpSettings> m_lrp;
  std::optional<std::vector<std::int64_t>> m_gridSamples;
  int m_flippingSamples = 0;
};

}  // namespace ffn::views

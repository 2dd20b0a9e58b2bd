#pragma once
// RunCommands: what the UI asks of a run's worker thread — run, pause, step a batch or an epoch, cancel, the
// demo speed, and which pictures to keep fresh — behind one mutex. The UI side only sets wishes and returns at
// once; the worker takes them between minibatches (wait), so a button press never waits for a training step.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <stop_token>

#include "core/graph/Graph.h"

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
    std::optional<std::string> composite;  // a new LRP composite for the heatmaps ("" = the project's)
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
  void setComposite(const std::string& name);
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
  std::optional<std::string> m_composite;
};

}  // namespace ffn::views

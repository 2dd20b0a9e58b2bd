#pragma once
// TrainingSession: the UI's handle on one training run at a time. It starts a RunWorker on its own thread from a
// snapshot of the project, forwards the toolbar's commands to it (they return at once), and turns the worker's
// updates — delivered as queued calls, carrying plain values — into signals for the views. It also keeps the
// run's full progress history, from which the run is recorded with the project when it ends.
//
// A run that finishes, is stopped or fails keeps its worker and network: the pictures (decision boundary,
// activation maps, predictions) still answer, and the trained parameters are not lost. Starting another run or
// reset() ends it.
#include <QObject>
#include <memory>
#include <thread>
#include <vector>

#include "views/run/RunCommands.h"
#include "views/run/RunUpdate.h"
#include "views/run/RunWorker.h"

namespace ffn::views {

class TrainingSession : public QObject {
  Q_OBJECT

 public:
  explicit TrainingSession(QObject* parent = nullptr);
  ~TrainingSession() override;

  // Ends any current run and starts a new one, paused until run() or a step.
  void start(RunRequest request);
  void run();
  void pause();
  void stepBatch();
  void stepEpoch();
  void stop();   // cancels training; the network stays for looking at
  void reset();  // ends the run and forgets it
  void setDelay(int milliseconds);
  // Keep the activation maps of this node fresh ("" for none), and this sample's prediction (-1 for none).
  void showActivations(const NodeId& node);
  void showSample(std::int64_t index);
  // The LRP settings of the heatmaps from now on (a run starts with those of its project snapshot).
  void setLrp(const LrpSettings& lrp);
  // Keep heatmaps of these samples (of the browsed split) fresh for the grid; none: no grid.
  void showGrid(std::vector<std::int64_t> samples);
  // Pixel-flipping curves over the first `samples` browsed samples, once, with the current weights.
  void evaluateFlipping(int samples);

  bool active() const { return m_worker != nullptr; }
  RunState state() const { return m_state; }
  const RunInfo& info() const { return m_info; }
  const std::vector<TrainingProgress>& history() const { return m_history; }
  const RunRequest& request() const { return m_request; }
  int serial() const { return m_serial; }  // counts runs started; tells updates of an old run apart

 Q_SIGNALS:
  void runStarted();
  void prepared(const ffn::views::RunInfo& info);
  void progressed(const std::vector<ffn::TrainingProgress>& points);
  void stateChanged(ffn::views::RunState state, const QString& message);
  void boundaryUpdated(const QImage& image);
  void activationsUpdated(const ffn::views::ActivationMaps& maps);
  void weightsUpdated(const ffn::views::WeightTiles& tiles);
  void histogramsUpdated(const std::vector<ffn::views::Histogram>& weights,
                         const std::vector<ffn::views::Histogram>& activations);
  void samplePredicted(const ffn::views::SamplePrediction& prediction);
  void gridUpdated(const ffn::views::HeatmapGrid& grid);
  void flippingUpdated(const ffn::views::FlippingCurves& curves);
  void permutationUpdated(const ffn::views::PermutationMatrix& matrix);
  void runReset();

 private:
  void deliver(int serial, RunUpdate update);
  void endWorker();

  std::unique_ptr<RunCommands> m_commands;
  std::unique_ptr<RunWorker> m_worker;
  std::jthread m_thread;  // declared last: joined first, while the worker and commands still exist
  RunRequest m_request;
  RunState m_state = RunState::Idle;
  RunInfo m_info;
  std::vector<TrainingProgress> m_history;
  int m_serial = 0;
  int m_delayMs = 0;
};

}  // namespace ffn::views

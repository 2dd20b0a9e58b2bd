#pragma once
// RunWorker: the body of a training run's worker thread. It builds the run from a snapshot of the project through
// core's ProjectRun (the same path as `ffnlab-cli train`, so the same project and seed give the same numbers),
// then steps the trainer one minibatch at a time as RunCommands ask, and between minibatches renders what the UI
// shows. Updates leave through `post` as plain values, at most one in flight: points pile up while the UI is
// busy and go out together, so a slow UI never queues a backlog.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "core/data/Batch.h"
#include "core/project/Project.h"
#include "views/run/RunCommands.h"
#include "views/run/RunUpdate.h"

namespace ffn {
class Backend;
class ProjectRun;
}  // namespace ffn

namespace ffn::views {

class HeatmapRenderer;
class PlaneRenderer;
class WeightRenderer;

struct RunRequest {
  Project project;        // a snapshot: later edits of the document do not reach a running run
  std::string directory;  // the project file's folder (relative data paths)
  int threads = 1;        // compute threads of the CPU backend
};

class RunWorker {
 public:
  using Post = std::function<void(RunUpdate)>;
  RunWorker(RunRequest request, RunCommands& commands, Post post);
  ~RunWorker();

  void run(std::stop_token stop);

 private:
  using Clock = std::chrono::steady_clock;
  bool prepare();
  void step(const RunCommands::Work& work);
  void setState(RunState state, const QString& message = {});
  std::optional<std::size_t> layerIndexOf(const NodeId& node) const;
  // Renders the pictures that are due and posts everything pending, when the UI is ready for more.
  void maybePost(bool uiReady, bool force);
  void renderHeatmaps(Clock::time_point now);
  PermutationMatrix permutationMatrix();
  // Pictures the UI asked for that are not drawn yet: they go out as soon as the UI is ready.
  bool askedPicturesDue() const;
  Clock::time_point wakeTime() const;

  RunRequest m_request;
  RunCommands& m_commands;
  Post m_post;
  std::unique_ptr<Backend> m_backend;  // declared before the run, which computes on it
  std::unique_ptr<ProjectRun> m_run;
  std::unique_ptr<PlaneRenderer> m_plane;
  std::unique_ptr<WeightRenderer> m_weights;
  std::unique_ptr<HeatmapRenderer> m_heatmaps;  // image data only
  std::vector<std::int64_t> m_gridSamples;
  int m_flippingSamples = 0;  // asked for and not yet computed
  const Dataset* m_browsed = nullptr;  // the split the dataset browser shows
  Tensor m_probe;                      // a fixed batch for activation histograms
  Batch m_basis;                       // the permutation task's k basis vectors and targets (else empty)
  double m_bitThreshold = 0.5;         // where the rule decides a bit is 1
  bool m_showPermutation = false;      // the permutation task, with a k small enough to show its matrix

  RunState m_state = RunState::Preparing;
  RunCommands::Work m_work;
  RunUpdate m_pending;
  bool m_stateChanged = false;
  Clock::time_point m_lastPost{}, m_nextStep{};
  Clock::time_point m_lastBoundary{}, m_lastActivations{}, m_lastWeights{}, m_lastSample{}, m_lastGrid{};
  std::int64_t m_steps = 0, m_boundaryStep = -1, m_activationStep = -1, m_weightStep = -1, m_sampleStep = -1;
  std::int64_t m_gridStep = -1;
  bool m_gridChanged = false;
  NodeId m_activationNode;
  bool m_activationChanged = false;
  std::int64_t m_sample = -1;
  bool m_sampleChanged = false;
};

}  // namespace ffn::views

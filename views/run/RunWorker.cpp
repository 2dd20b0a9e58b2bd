#include "views/run/RunWorker.h"

#include <algorithm>

#include "core/backend/BackendFactory.h"
#include "core/backend/cpu/CpuBackend.h"
#include "core/base/ThreadPriority.h"
#include "core/project/ProjectRun.h"
#include "views/run/HeatmapRenderer.h"
#include "views/run/PlaneRenderer.h"
#include "views/run/SampleRenderer.h"
#include "views/run/WeightRenderer.h"

namespace ffn::views {
namespace {

using namespace std::chrono_literals;

// How often each kind of update may go out: often enough to look live, rarely enough to cost the training
// little (a decision boundary is ~12,500 forward passes of a small net, a fraction of a millisecond).
constexpr auto kPostInterval = 40ms;
constexpr auto kBoundaryInterval = 100ms;
constexpr auto kActivationInterval = 200ms;
constexpr auto kSampleInterval = 300ms;
constexpr auto kWeightInterval = 500ms;
constexpr auto kGridInterval = 1000ms;  // a grid is one LRP pass over up to 64 samples
constexpr int kFlippingSteps = 20;
constexpr std::int64_t kBrowsedSamples = 1000;
constexpr std::int64_t kProbeSamples = 256;
constexpr std::int64_t kMaxPermutationK = 64;  // a larger matrix is too fine to read

QString qs(const std::string& text) { return QString::fromStdString(text); }

}  // namespace

RunWorker::RunWorker(RunRequest request, RunCommands& commands, Post post)
    : m_request(std::move(request)), m_commands(commands), m_post(std::move(post)) {}

RunWorker::~RunWorker() = default;

void RunWorker::setState(RunState state, const QString& message) {
  if (state == m_state && message.isEmpty()) return;
  m_state = state;
  m_stateChanged = true;
  m_pending.state = state;
  if (!message.isEmpty()) m_pending.message = message;
}

bool RunWorker::prepare() {
  // The project's device, as `ffnlab-cli train --device` picks it; the CPU (with the thread count chosen here) when
  // the project asks for it or the device is not available.
  QString deviceNote;
  if (m_request.project.device == "cpu") {
    m_backend = std::make_unique<CpuBackend>(m_request.threads);
  } else {
    BackendChoice choice = createBackendWithFallback(m_request.project.device);
    m_backend = std::move(choice.backend);
    if (!choice.warning.empty()) deviceNote = qs(choice.warning);
  }
  auto run = ProjectRun::create(m_request.project, m_request.directory, *m_backend);
  if (!run) {
    setState(RunState::Failed, qs(run.message()));
    return false;
  }
  m_run = std::move(*run);
  const DataSplits data = m_run->data().splits();
  Network& net = m_run->network();
  RunInfo info;
  info.dataDescription = qs(m_run->data().description);
  if (!deviceNote.isEmpty()) info.dataDescription += QStringLiteral("; ") + deviceNote;
  info.stepsPerEpoch = m_run->trainer().stepsPerEpoch();
  info.epochs = m_run->project().training.epochs;
  info.classes = data.train->classCount();
  for (const auto& name : data.train->classNames()) info.classNames << qs(name);
  info.weightCount = net.weightCount();
  for (std::size_t i = 0; i < net.layerCount(); ++i) {
    const NetworkLayer& layer = net.layer(i);
    info.layers.push_back({layer.id, qs(layer.label), qs(layer.layer->kind())});
  }
  info.plane = PlaneRenderer::collect(data);
  if (info.plane) m_plane = std::make_unique<PlaneRenderer>(info.plane->bounds);
  m_browsed = data.test ? data.test : data.validation ? data.validation : data.train;
  info.samplesSplit = data.test ? QStringLiteral("test") : data.validation ? QStringLiteral("validation")
                                                                           : QStringLiteral("train");
  info.samples = SampleRenderer::images(*m_browsed, kBrowsedSamples);
  m_weights = std::make_unique<WeightRenderer>(net);
  if (SampleRenderer::isImageData(*m_browsed)) m_heatmaps = std::make_unique<HeatmapRenderer>(*m_run);
  const Json& dataset = m_request.project.dataset;
  if (dataset.is_object() && dataset.value("kind", std::string()) == "permutation") {
    data.train->makeRangeBatch(0, data.train->size(), m_basis);  // the k pairs (e_i, P e_i)
    m_showPermutation = m_basis.hasTargets() && m_basis.targets.cols() <= kMaxPermutationK;
    if (m_showPermutation) info.permutationK = static_cast<int>(m_basis.targets.cols());
    // The NTK ensemble decides "1" where the members' mean output exceeds its tolerance (published: 0).
    const Json& params = m_request.project.training.ruleParams;
    m_bitThreshold = m_request.project.training.rule == "ntk-ensemble"
                         ? (params.is_object() ? params.value("tolerance", 0.0) : 0.0)
                         : 0.5;
  }
  Batch probe;
  data.train->makeRangeBatch(0, std::min(kProbeSamples, data.train->size()), probe);
  m_probe = std::move(probe.inputs);
  m_pending.info = std::move(info);
  setState(RunState::Paused);
  return true;
}

std::optional<std::size_t> RunWorker::layerIndexOf(const NodeId& node) const {
  const Network& net = m_run->network();
  for (std::size_t i = 0; i < net.layerCount(); ++i)
    if (net.layer(i).id == node) return i;
  // The Output node is no layer of its own: it shows the scores the last layer hands it.
  const Node* graphNode = m_request.project.graph.node(node);
  if (graphNode && graphNode->kind == "Output" && net.layerCount() > 0) return net.layerCount() - 1;
  return std::nullopt;
}

void RunWorker::step(const RunCommands::Work& work) {
  auto progress = m_run->trainer().stepBatch();
  if (!progress) {
    setState(RunState::Failed, qs(progress.message()));
    return;
  }
  ++m_steps;
  const bool epochEnded = progress->epochEnd;
  m_pending.points.push_back(std::move(*progress));
  m_commands.stepTaken(epochEnded);
  if (m_run->trainer().finished()) {
    setState(RunState::Finished);
    return;
  }
  const bool stillGoing = work.running || (work.toEpochEnd && !epochEnded) || work.batches > 1;
  setState(stillGoing ? RunState::Running : RunState::Paused);
}

RunWorker::Clock::time_point RunWorker::wakeTime() const {
  // Not time_point::max(): waiting until then overflows inside the condition variable's clock conversion.
  Clock::time_point until = Clock::now() + 1h;
  if (canTrain(m_state) && m_work.running && !m_work.cancelled) until = m_nextStep;
  // While the UI is busy there is no point waking for it: uiReady() wakes the worker.
  if (m_work.uiReady) {
    if (!m_pending.empty() || m_stateChanged) until = std::min(until, m_lastPost + kPostInterval);
    // Pictures of a network that changed since they were drawn are due soon even while paused.
    if (m_plane && m_boundaryStep != m_steps) until = std::min(until, m_lastBoundary + kBoundaryInterval);
    if (m_sample >= 0 && m_sampleStep != m_steps) until = std::min(until, m_lastSample + kSampleInterval);
    if (m_heatmaps && !m_gridSamples.empty() && m_gridStep != m_steps)
      until = std::min(until, m_lastGrid + kGridInterval);
  }
  return until;
}

void RunWorker::maybePost(bool uiReady, bool force) {
  const auto now = Clock::now();
  if (!uiReady || (!force && now - m_lastPost < kPostInterval)) return;
  if (m_run) {
    Network& net = m_run->network();
    TrainingRule& rule = m_run->rule();
    if (m_plane && m_boundaryStep != m_steps && now - m_lastBoundary >= kBoundaryInterval) {
      m_pending.boundary = m_plane->boundary(net, rule);
      m_boundaryStep = m_steps;
      m_lastBoundary = now;
    }
    if (m_plane && !m_activationNode.empty() &&
        (m_activationChanged || (m_activationStep != m_steps && now - m_lastActivations >= kActivationInterval))) {
      if (auto layer = layerIndexOf(m_activationNode)) {
        const Node* node = m_request.project.graph.node(m_activationNode);
        m_pending.activations =
            m_plane->activations(net, *layer, m_activationNode, node ? qs(node->label) : qs(m_activationNode));
      } else {
        m_pending.activations = ActivationMaps{m_activationNode, {}, 0, {}, 0.0, 0.0, false};
      }
      m_activationChanged = false;
      m_activationStep = m_steps;
      m_lastActivations = now;
    }
    if (m_sample >= 0 && (m_sampleChanged || (m_sampleStep != m_steps && now - m_lastSample >= kSampleInterval))) {
      m_pending.sample = SampleRenderer::predict(net, rule, *m_browsed, m_sample);
      if (m_heatmaps)
        m_pending.sample->heatmap = m_heatmaps->render(*m_browsed, m_sample, m_pending.sample->heatmapError);
      m_sampleChanged = false;
      m_sampleStep = m_steps;
      m_lastSample = now;
    }
    if (m_heatmaps) renderHeatmaps(now);
    if (m_weightStep != m_steps && (m_weightStep < 0 || now - m_lastWeights >= kWeightInterval)) {
      if (m_weights->hasTiles()) m_pending.weights = m_weights->tiles(net);
      m_pending.weightHistograms = WeightRenderer::weightHistograms(net);
      m_pending.activationHistograms = WeightRenderer::activationHistograms(net, m_probe);
      if (m_showPermutation) m_pending.permutation = permutationMatrix();
      m_weightStep = m_steps;
      m_lastWeights = now;
    }
  }
  if (m_pending.empty()) return;
  m_commands.markUiBusy();
  m_post(std::exchange(m_pending, RunUpdate{}));
  m_stateChanged = false;
  m_lastPost = Clock::now();
}

PermutationMatrix RunWorker::permutationMatrix() {
  // inputs:[k, k] (the basis vectors) -> outputs:[k, k] (row i: what the network makes of e_i)
  const Tensor& outputs = m_run->rule().predict(m_run->network(), m_basis.inputs);
  PermutationMatrix matrix;
  matrix.k = static_cast<int>(m_basis.targets.cols());
  matrix.threshold = m_bitThreshold;
  const std::int64_t rows = std::min(outputs.rows(), m_basis.targets.rows());
  if (outputs.cols() != matrix.k || rows != matrix.k) return PermutationMatrix{};
  matrix.values.assign(outputs.data(), outputs.data() + rows * matrix.k);
  matrix.targets.assign(m_basis.targets.data(), m_basis.targets.data() + rows * matrix.k);
  for (std::int64_t r = 0; r < rows; ++r) {
    bool exact = true;
    for (int c = 0; c < matrix.k; ++c) {
      const std::size_t i = static_cast<std::size_t>(r * matrix.k + c);
      exact = exact && ((matrix.values[i] > matrix.threshold) == (matrix.targets[i] > 0.5f));
    }
    matrix.exactRows += exact ? 1 : 0;
  }
  return matrix;
}

bool RunWorker::askedPicturesDue() const {
  return (m_sampleChanged && m_sample >= 0) || (m_heatmaps && m_gridChanged && !m_gridSamples.empty()) ||
         m_flippingSamples > 0;
}

void RunWorker::renderHeatmaps(Clock::time_point now) {
  if (!m_gridSamples.empty() &&
      (m_gridChanged || (m_gridStep != m_steps && now - m_lastGrid >= kGridInterval))) {
    m_pending.grid = m_heatmaps->grid(*m_browsed, m_gridSamples);
    m_gridChanged = false;
    m_gridStep = m_steps;
    m_lastGrid = now;
  }
  if (m_flippingSamples > 0) {
    m_pending.flipping = m_heatmaps->flipping(*m_browsed, m_flippingSamples, kFlippingSteps);
    m_flippingSamples = 0;
  }
}

void RunWorker::run(std::stop_token stop) {
  // Below the window's thread, before the backend makes its compute threads (they inherit it): a run on every
  // core otherwise takes turns with the UI thread and the window stutters.
  lowerCurrentThreadPriority();
  setState(RunState::Preparing);
  maybePost(true, true);
  const bool prepared = prepare();
  maybePost(true, true);
  while (!stop.stop_requested()) {
    m_work = m_commands.wait(stop, prepared ? wakeTime() : Clock::now() + 1h,
                             !m_pending.empty() || m_stateChanged || (m_plane && m_boundaryStep != m_steps) ||
                                 askedPicturesDue());
    if (stop.stop_requested() || !prepared) continue;
    if (m_work.activationNode) {
      m_activationNode = *m_work.activationNode;
      m_activationChanged = true;
    }
    if (m_work.lrp && m_heatmaps && m_heatmaps->setLrp(*m_work.lrp)) m_sampleChanged = m_gridChanged = true;
    if (m_work.gridSamples) {
      m_gridSamples = std::move(*m_work.gridSamples);
      m_gridChanged = true;
    }
    if (m_work.flippingSamples > 0 && m_heatmaps) m_flippingSamples = m_work.flippingSamples;
    if (m_work.sample) {
      m_sample = *m_work.sample;
      m_sampleChanged = true;
    }
    bool stepped = false;
    if (canTrain(m_state)) {
      if (m_work.cancelled) {
        setState(RunState::Stopped);
      } else if (m_work.batches > 0 || m_work.toEpochEnd || (m_work.running && Clock::now() >= m_nextStep)) {
        step(m_work);
        stepped = true;
        m_nextStep = Clock::now() + std::chrono::milliseconds(m_work.delayMs);
      } else if (!m_work.running && m_state == RunState::Running) {
        setState(RunState::Paused);
      } else if (m_work.running && m_state == RunState::Paused) {
        setState(RunState::Running);
      }
    }
    // Requests and state changes go out at once; training progress at the throttled pace.
    maybePost(m_work.uiReady, m_stateChanged || m_activationChanged || m_sampleChanged || askedPicturesDue() ||
                                  !stepped);
  }
}

}  // namespace ffn::views

#include "views/run/TrainingSession.h"

#include <QMetaObject>

namespace ffn::views {

TrainingSession::TrainingSession(QObject* parent) : QObject(parent) {}

TrainingSession::~TrainingSession() { endWorker(); }

void TrainingSession::endWorker() {
  if (m_thread.joinable()) {
    m_thread.request_stop();
    m_thread.join();
  }
  m_worker.reset();
  m_commands.reset();
}

void TrainingSession::start(RunRequest request) {
  endWorker();
  ++m_serial;
  m_request = request;
  m_history.clear();
  m_info = RunInfo{};
  m_state = RunState::Preparing;
  m_commands = std::make_unique<RunCommands>();
  m_commands->setDelay(m_delayMs);
  const int serial = m_serial;
  // Called on the worker thread: the update travels as a queued call into this object's (the UI) thread. If the
  // session is gone by then, Qt drops the call with it.
  auto post = [this, serial](RunUpdate update) {
    auto shared = std::make_shared<RunUpdate>(std::move(update));
    QMetaObject::invokeMethod(
        this, [this, serial, shared] { deliver(serial, std::move(*shared)); }, Qt::QueuedConnection);
  };
  m_worker = std::make_unique<RunWorker>(std::move(request), *m_commands, post);
  RunWorker* worker = m_worker.get();
  m_thread = std::jthread([worker](std::stop_token stop) { worker->run(stop); });
  Q_EMIT runStarted();
  Q_EMIT stateChanged(m_state, {});
}

void TrainingSession::run() {
  if (m_commands) m_commands->run();
}
void TrainingSession::pause() {
  if (m_commands) m_commands->pause();
}
void TrainingSession::stepBatch() {
  if (m_commands) m_commands->stepBatch();
}
void TrainingSession::stepEpoch() {
  if (m_commands) m_commands->stepEpoch();
}
void TrainingSession::stop() {
  if (m_commands) m_commands->cancel();
}

void TrainingSession::reset() {
  endWorker();
  ++m_serial;  // anything still queued from the old run is ignored
  m_history.clear();
  m_info = RunInfo{};
  m_state = RunState::Idle;
  Q_EMIT runReset();
  Q_EMIT stateChanged(m_state, {});
}

void TrainingSession::setDelay(int milliseconds) {
  m_delayMs = milliseconds;
  if (m_commands) m_commands->setDelay(milliseconds);
}

void TrainingSession::showActivations(const NodeId& node) {
  if (m_commands) m_commands->showActivations(node);
}

void TrainingSession::showSample(std::int64_t index) {
  if (m_commands) m_commands->showSample(index);
}

void TrainingSession::setLrp(const LrpSettings& lrp) {
  if (m_commands) m_commands->setLrp(lrp);
}

void TrainingSession::showGrid(std::vector<std::int64_t> samples) {
  if (m_commands) m_commands->showGrid(std::move(samples));
}

void TrainingSession::evaluateFlipping(int samples) {
  if (m_commands) m_commands->evaluateFlipping(samples);
}

void TrainingSession::deliver(int serial, RunUpdate update) {
  if (serial != m_serial) return;  // from a run that has since been replaced
  if (update.info) {
    m_info = std::move(*update.info);
    Q_EMIT prepared(m_info);
  }
  if (!update.points.empty()) {
    m_history.insert(m_history.end(), update.points.begin(), update.points.end());
    Q_EMIT progressed(update.points);
  }
  if (update.boundary) Q_EMIT boundaryUpdated(*update.boundary);
  if (update.activations) Q_EMIT activationsUpdated(*update.activations);
  if (update.weights) Q_EMIT weightsUpdated(*update.weights);
  if (update.weightHistograms || update.activationHistograms)
    Q_EMIT histogramsUpdated(update.weightHistograms.value_or(std::vector<Histogram>{}),
                             update.activationHistograms.value_or(std::vector<Histogram>{}));
  if (update.sample) Q_EMIT samplePredicted(*update.sample);
  if (update.grid) Q_EMIT gridUpdated(*update.grid);
  if (update.flipping) Q_EMIT flippingUpdated(*update.flipping);
  if (update.permutation) Q_EMIT permutationUpdated(*update.permutation);
  if (update.state && (*update.state != m_state || !update.message.isEmpty())) {
    m_state = *update.state;
    Q_EMIT stateChanged(m_state, update.message);
  }
  // Only now may the next update come: at most one is ever queued, however slow the views are.
  if (m_commands && serial == m_serial) m_commands->uiReady();
}

}  // namespace ffn::views

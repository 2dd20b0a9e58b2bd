#include "views/run/RunCommands.h"

#include <algorithm>

namespace ffn::views {

void RunCommands::run() {
  {
    std::lock_guard lock(m_mutex);
    m_running = true;
    m_modeChanged = true;
  }
  m_changed.notify_all();
}

void RunCommands::pause() {
  {
    std::lock_guard lock(m_mutex);
    m_running = false;
    m_toEpochEnd = false;
    m_batches = 0;
    m_modeChanged = true;
  }
  m_changed.notify_all();
}

void RunCommands::cancel() {
  {
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
    m_running = false;
    m_modeChanged = true;
  }
  m_changed.notify_all();
}

void RunCommands::stepBatch() {
  {
    std::lock_guard lock(m_mutex);
    m_running = false;
    m_modeChanged = true;
    ++m_batches;
  }
  m_changed.notify_all();
}

void RunCommands::stepEpoch() {
  {
    std::lock_guard lock(m_mutex);
    m_running = false;
    m_modeChanged = true;
    m_toEpochEnd = true;
  }
  m_changed.notify_all();
}

void RunCommands::setDelay(int milliseconds) {
  {
    std::lock_guard lock(m_mutex);
    m_delayMs = std::max(0, milliseconds);
  }
  m_changed.notify_all();
}

void RunCommands::showActivations(const NodeId& node) {
  {
    std::lock_guard lock(m_mutex);
    m_activationNode = node;
  }
  m_changed.notify_all();
}

void RunCommands::showSample(std::int64_t index) {
  {
    std::lock_guard lock(m_mutex);
    m_sample = index;
  }
  m_changed.notify_all();
}

void RunCommands::setLrp(const LrpSettings& lrp) {
  {
    std::lock_guard lock(m_mutex);
    m_lrp = lrp;
  }
  m_changed.notify_all();
}

void RunCommands::showGrid(std::vector<std::int64_t> samples) {
  {
    std::lock_guard lock(m_mutex);
    m_gridSamples = std::move(samples);
  }
  m_changed.notify_all();
}

void RunCommands::evaluateFlipping(int samples) {
  {
    std::lock_guard lock(m_mutex);
    m_flippingSamples = std::max(0, samples);
  }
  m_changed.notify_all();
}

void RunCommands::uiReady() {
  {
    std::lock_guard lock(m_mutex);
    m_uiReady = true;
  }
  m_changed.notify_all();
}

void RunCommands::markUiBusy() {
  std::lock_guard lock(m_mutex);
  m_uiReady = false;
}

bool RunCommands::hasWorkLocked(bool pendingForUi) const {
  return m_modeChanged || m_batches > 0 || m_toEpochEnd || m_activationNode || m_sample || m_lrp ||
         m_gridSamples || m_flippingSamples > 0 ||
         (pendingForUi && m_uiReady);
}

RunCommands::Work RunCommands::snapshotLocked() {
  Work work;
  work.running = m_running;
  work.cancelled = m_cancelled;
  work.batches = m_batches;
  work.toEpochEnd = m_toEpochEnd;
  work.delayMs = m_delayMs;
  work.activationNode = std::exchange(m_activationNode, std::nullopt);
  work.sample = std::exchange(m_sample, std::nullopt);
  work.lrp = std::exchange(m_lrp, std::nullopt);
  work.gridSamples = std::exchange(m_gridSamples, std::nullopt);
  work.flippingSamples = std::exchange(m_flippingSamples, 0);
  work.uiReady = m_uiReady;
  m_modeChanged = false;
  return work;
}

RunCommands::Work RunCommands::wait(std::stop_token stop, Clock::time_point until, bool pendingForUi) {
  std::unique_lock lock(m_mutex);
  m_changed.wait_until(lock, stop, until, [&] { return hasWorkLocked(pendingForUi); });
  return snapshotLocked();
}

void RunCommands::stepTaken(bool epochEnded) {
  std::lock_guard lock(m_mutex);
  if (m_batches > 0)
    --m_batches;
  else if (m_toEpochEnd && epochEnded)
    m_toEpochEnd = false;
}

}  // namespace ffn::views

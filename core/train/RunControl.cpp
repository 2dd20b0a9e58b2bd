#include "core/train/RunControl.h"

namespace ffn {

void RunControl::pause() {
  std::lock_guard lock(m_mutex);
  m_paused = true;
}

void RunControl::resume() {
  {
    std::lock_guard lock(m_mutex);
    m_paused = false;
  }
  m_changed.notify_all();
}

bool RunControl::waitWhilePaused(std::stop_token stop) {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, stop, [this] { return !m_paused.load(); });
  return !stop.stop_requested();
}

}  // namespace ffn

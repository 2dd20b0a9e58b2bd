#pragma once
// Pause and resume for a run on another thread. Cancelling is a std::stop_token; pausing blocks the training
// thread between minibatches until resumed or cancelled.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace ffn {

class RunControl {
 public:
  void pause();
  void resume();
  bool paused() const { return m_paused.load(); }
  // Blocks while paused; returns false if the stop token was triggered meanwhile.
  bool waitWhilePaused(std::stop_token stop);

 private:
  std::atomic<bool> m_paused{false};
  std::mutex m_mutex;
  std::condition_variable_any m_changed;
};

}  // namespace ffn

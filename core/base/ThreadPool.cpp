#include "core/base/ThreadPool.h"

#include <chrono>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FFN_CPU_RELAX() _mm_pause()
#else
#define FFN_CPU_RELAX() std::this_thread::yield()
#endif

namespace ffn {
namespace {

// How long a worker keeps spinning for the next task before it sleeps: long enough to bridge the gaps between
// the ops of one training step, short enough not to burn a core when nothing follows.
constexpr auto kSpinTime = std::chrono::microseconds(200);

// The pool whose task this thread is running, if any.
thread_local const ThreadPool* t_runningTaskOf = nullptr;

}  // namespace

bool ThreadPool::insideTask() const { return t_runningTaskOf == this; }

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) m_workers.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(m_sleepMutex);
    m_stopping = true;
    m_generation.fetch_add(1);
  }
  m_wake.notify_all();
  m_workers.clear();  // joins
}

void ThreadPool::runChunks(std::uint64_t run) {
  std::uint64_t claim = m_claim.load(std::memory_order_acquire);
  while (true) {
    if ((claim >> 32) != (run & 0xffffffffULL)) return;
    const std::uint64_t chunk = claim & 0xffffffffULL;
    if (chunk >= static_cast<std::uint64_t>(m_chunks.load())) return;
    if (!m_claim.compare_exchange_weak(claim, claim + 1, std::memory_order_acq_rel)) continue;
    const ThreadPool* outer = std::exchange(t_runningTaskOf, this);
    (*m_task.load())(static_cast<int>(chunk));
    t_runningTaskOf = outer;
    m_pending.fetch_sub(1, std::memory_order_release);
    claim = m_claim.load(std::memory_order_acquire);
  }
}

void ThreadPool::run(int chunks, const std::function<void(int)>& task) {
  if (chunks <= 0) return;
  if (m_workers.empty() || chunks == 1 || insideTask()) {
    for (int c = 0; c < chunks; ++c) task(c);
    return;
  }
  const std::uint64_t run = m_generation.load() + 1;
  m_task = &task;
  m_chunks = chunks;
  m_pending.store(chunks);
  m_claim.store((run & 0xffffffffULL) << 32, std::memory_order_release);
  {
    // Publishing under the lock pairs with a worker's check-then-sleep, so no wake-up is lost.
    std::lock_guard lock(m_sleepMutex);
    m_generation.store(run, std::memory_order_release);
    if (m_sleepers > 0) m_wake.notify_all();
  }
  runChunks(run);
  while (m_pending.load(std::memory_order_acquire) > 0) FFN_CPU_RELAX();
  // Mark the run exhausted before the next one rewrites the task: a worker holding a stale copy of the claim
  // word then fails its compare-exchange instead of claiming a chunk with the new task.
  m_claim.store(((run & 0xffffffffULL) << 32) | 0xffffffffULL, std::memory_order_release);
}

void ThreadPool::workerLoop(int) {
  // The generation the pool was made with, not the one current when this thread got going: a run published in
  // between is still this thread's to join (it had been missed, leaving a fresh pool's first runs to the caller,
  // and a task waiting for another chunk of its run waiting for good).
  std::uint64_t seen = 0;
  while (!m_stopping.load()) {
    // Spin for a short while, then sleep until the generation changes.
    const auto spinUntil = std::chrono::steady_clock::now() + kSpinTime;
    while (m_generation.load(std::memory_order_acquire) == seen && std::chrono::steady_clock::now() < spinUntil)
      for (int i = 0; i < 64; ++i) FFN_CPU_RELAX();
    if (m_generation.load(std::memory_order_acquire) == seen) {
      std::unique_lock lock(m_sleepMutex);
      ++m_sleepers;
      // A worker that starts after the pool is already being destroyed must not wait for a run that never comes.
      m_wake.wait(lock, [&] { return m_generation.load() != seen || m_stopping.load(); });
      --m_sleepers;
    }
    seen = m_generation.load(std::memory_order_acquire);
    if (m_stopping) return;
    runChunks(seen);
  }
}

}  // namespace ffn

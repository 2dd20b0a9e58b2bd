#pragma once
// ThreadPool: a few persistent workers for splitting one op across cores (a GEMM's output blocks, an element-wise
// op's ranges). A training step issues dozens of small ops back to back, so waking sleeping threads for each would
// cost more than the work: workers spin briefly after a task (staying hot within a step) and then sleep on an
// atomic wait (idle between runs). The calling thread always takes the first chunk itself.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ffn {

class ThreadPool {
 public:
  // threads = total threads including the caller; 1 runs everything inline.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threadCount() const { return static_cast<int>(m_workers.size()) + 1; }
  // Threads a run started now would use: 1 from inside one of this pool's tasks (a task that issues a split op
  // runs it on its own thread), threadCount() elsewhere.
  int availableThreads() const { return insideTask() ? 1 : threadCount(); }
  // Runs task(chunk) for chunk in [0, chunks), spread over the threads, and returns when all are done.
  // Chunks are claimed dynamically; the task must not depend on which thread runs it. Called from inside one of
  // this pool's tasks, it runs every chunk on the calling thread.
  void run(int chunks, const std::function<void(int chunk)>& task);

 private:
  bool insideTask() const;
  void workerLoop(int index);
  void runChunks(std::uint64_t run);

  std::vector<std::jthread> m_workers;
  std::atomic<const std::function<void(int)>*> m_task{nullptr};
  std::atomic<int> m_chunks{0};
  // Run id (high 32 bits) and next unclaimed chunk (low 32 bits) in one word, so a worker still finishing the
  // previous run can never claim a chunk of the next one.
  std::atomic<std::uint64_t> m_claim{0};
  std::atomic<int> m_pending{0};  // chunks not yet finished
  std::atomic<std::uint64_t> m_generation{0};  // the current run id
  // Sleeping uses a mutex and condition variable (libstdc++ 12's atomic::wait can lose wake-ups).
  std::mutex m_sleepMutex;
  std::condition_variable m_wake;
  int m_sleepers = 0;  // guarded by m_sleepMutex
  std::atomic<bool> m_stopping{false};
};

}  // namespace ffn

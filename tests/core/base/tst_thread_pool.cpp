// ThreadPool: every chunk runs exactly once per run, across many back-to-back runs; a fresh pool's workers join its
// first run; a run started inside a task stays on that task's thread; and pools that are created and destroyed at
// once (before their workers start) shut down cleanly.
#include <QtTest>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

#include "core/base/ThreadPool.h"
#include "tests/support/TestSupport.h"

using namespace ffn;

class ThreadPoolTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void everyChunkRunsExactlyOnce() {
    ThreadPool pool(3);
    QCOMPARE(pool.threadCount(), 3);
    for (int run = 0; run < 2000; ++run) {
      const int chunks = 1 + run % 7;
      std::vector<std::atomic<int>> counts(static_cast<std::size_t>(chunks));
      pool.run(chunks, [&](int chunk) { counts[static_cast<std::size_t>(chunk)].fetch_add(1); });
      for (int c = 0; c < chunks; ++c) QCOMPARE(counts[static_cast<std::size_t>(c)].load(), 1);
    }
  }

  void workersTakePartWhenTheWorkIsLong() {
    ThreadPool pool(2);
    std::atomic<int> otherThread{0};
    const auto caller = std::this_thread::get_id();
    for (int run = 0; run < 50; ++run)
      pool.run(2, [&](int) {
        volatile double sink = 0;
        for (int i = 0; i < 200000; ++i) sink = sink + i;
        if (std::this_thread::get_id() != caller) ++otherThread;
      });
    QVERIFY(otherThread.load() > 0);
  }

  void immediateDestructionDoesNotHang() {
    for (int i = 0; i < 500; ++i) ThreadPool pool(2);
    for (int i = 0; i < 100; ++i) {
      ThreadPool pool(2);
      std::atomic<int> n{0};
      pool.run(4, [&](int) { ++n; });
      QCOMPARE(n.load(), 4);
    }
  }

  void aFreshPoolsFirstRunHasItsWorkers() {
    // A worker that got going after the first run was published used to wait for the next one: the run's other
    // chunks were left to the caller, and a chunk waiting for another chunk of its run waited for good.
    for (int pool = 0; pool < 20; ++pool) {
      ThreadPool fresh(2);
      std::atomic<int> started{0};
      std::atomic<bool> met{true};
      fresh.run(2, [&](int) {
        if (!ffn::test::meetAt(started, 2)) met = false;
      });
      QVERIFY2(met.load(), "the worker did not take part in the first run");
    }
  }

  void aRunInsideATaskStaysOnThatTasksThread() {
    // A task that issues a split op (CpuBackend::concurrently's tasks) must neither wait for threads busy with
    // the outer run's other chunks nor hand its chunks to them.
    ThreadPool pool(2);
    QCOMPARE(pool.availableThreads(), 2);
    for (int run = 0; run < 200; ++run) {
      std::array<std::vector<std::thread::id>, 2> nested;
      std::array<int, 2> available{};
      pool.run(2, [&](int outer) {
        available[static_cast<std::size_t>(outer)] = pool.availableThreads();
        pool.run(5, [&](int) { nested[static_cast<std::size_t>(outer)].push_back(std::this_thread::get_id()); });
        nested[static_cast<std::size_t>(outer)].push_back(std::this_thread::get_id());  // the task's own thread
      });
      for (std::size_t outer = 0; outer < 2; ++outer) {
        QCOMPARE(available[outer], 1);
        QCOMPARE(nested[outer].size(), std::size_t{6});
        for (const auto& id : nested[outer]) QCOMPARE(id, nested[outer].back());
      }
    }
    QCOMPARE(pool.availableThreads(), 2);
  }

  void singleThreadRunsInline() {
    ThreadPool pool(1);
    const auto caller = std::this_thread::get_id();
    bool inline_ = true;
    pool.run(5, [&](int) { inline_ = inline_ && std::this_thread::get_id() == caller; });
    QVERIFY(inline_);
  }
};

QTEST_APPLESS_MAIN(ThreadPoolTest)
#include "tst_thread_pool.moc"

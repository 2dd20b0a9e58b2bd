// ThreadPriority: a thread that lowers its priority runs at a higher nice value than the thread that started it,
// and the compute pool it then creates inherits that value in every worker (how the lab's training run and its
// backend's threads all yield to the window's thread). Linux only: elsewhere the call reports that it did nothing.
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "core/base/ThreadPool.h"
#include "core/base/ThreadPriority.h"

using namespace ffn;

class ThreadPriorityTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void loweredThreadAndItsPoolRunBelowTheCaller() {
#if !defined(__linux__)
    QVERIFY(!lowerCurrentThreadPriority());
    QSKIP("per-thread priority is only set on Linux");
#else
    const int callerNice = currentThreadNice();
    if (callerNice >= 19) QSKIP("this test already runs at the lowest priority");
    const int expected = std::min(19, callerNice + kBackgroundNiceIncrement);
    bool lowered = false;
    int threadNice = 0;
    std::set<int> poolNices;
    std::atomic<int> workerChunks{0};
    std::thread background([&] {
      lowered = lowerCurrentThreadPriority();
      threadNice = currentThreadNice();
      ThreadPool pool(2);
      const auto self = std::this_thread::get_id();
      std::mutex guard;
      // Long chunks, many runs: the worker takes part (as in ThreadPool's own test).
      for (int run = 0; run < 50 && workerChunks.load() == 0; ++run)
        pool.run(2, [&](int) {
          volatile double sink = 0;
          for (int i = 0; i < 200000; ++i) sink = sink + i;
          if (std::this_thread::get_id() != self) ++workerChunks;
          std::lock_guard lock(guard);
          poolNices.insert(currentThreadNice());
        });
    });
    background.join();
    QVERIFY(lowered);
    QCOMPARE(threadNice, expected);
    QVERIFY2(workerChunks.load() > 0, "the pool's worker never ran a chunk");
    QCOMPARE(poolNices, std::set<int>{expected});
    QCOMPARE(currentThreadNice(), callerNice);  // only the thread that asked
#endif
  }
};

QTEST_APPLESS_MAIN(ThreadPriorityTest)
#include "tst_thread_priority.moc"

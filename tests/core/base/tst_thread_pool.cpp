// ThreadPool: every chunk runs exactly once per run, across many back-to-back runs, and pools that are created
// and destroyed at once (before their workers start) shut down cleanly.
#include <QtTest>

#include <atomic>
#include <vector>

#include "core/base/ThreadPool.h"

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

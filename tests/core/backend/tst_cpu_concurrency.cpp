// CpuBackend::concurrently: with as many tasks as threads, each task gets a thread of its own and every op inside
// it runs whole on that thread, giving the bits it gives outside; with more threads than tasks, on one thread,
// with OpenBLAS's products (whose last bits depend on how a product is split), or inside a weight-reuse scope
// (whose packed-weights cache is filled by one thread at a time), the tasks run one after another on the caller's
// thread.
#include <QtTest>

#include <array>
#include <atomic>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

#include "core/backend/cpu/CpuBackend.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

bool sameBits(const Tensor& a, const Tensor& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * 4) == 0;
}

// Which thread ran each task, and in what order the tasks started.
struct TaskLog {
  std::array<std::thread::id, 2> thread;
  std::vector<int> order;
};

std::array<std::function<void()>, 2> loggingTasks(TaskLog& log) {
  return {[&log] { log.thread[0] = std::this_thread::get_id(), log.order.push_back(0); },
          [&log] { log.thread[1] = std::this_thread::get_id(), log.order.push_back(1); }};
}

}  // namespace

class CpuConcurrency : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void twoTasksRunSideBySideAndTheirProductsKeepTheirBits() {
    CpuBackend backend(2);
    if (!backend.packsEveryProduct()) QSKIP("no packed kernel in this build: the tasks run in order (tested below)");
    QCOMPARE(backend.threadCount(), 2);
    // A layer's two backward products: dW = dy^T x and dx = dy W, large enough that outside a task each splits.
    const Tensor x = randomTensor(Shape{128, 300}, 1), w = randomTensor(Shape{200, 300}, 2);
    const Tensor dy = randomTensor(Shape{128, 200}, 3);
    Tensor dwAlone(Shape{200, 300}), dxAlone(Shape{128, 300});
    backend.gemm(Transpose::Yes, Transpose::No, 1.0f, dy, x, 0.0f, dwAlone);
    backend.gemm(Transpose::No, Transpose::No, 1.0f, dy, w, 0.0f, dxAlone);

    for (int round = 0; round < 20; ++round) {
      Tensor dw(Shape{200, 300}), dx(Shape{128, 300});
      std::array<std::thread::id, 2> thread;
      std::array<int, 2> threadsSeen{};
      // Each task waits (a while at most) for the other to start: only two threads at once get both past this.
      std::atomic<int> started{0};
      std::atomic<bool> metTheOther{true};
      auto rendezvous = [&](int task) {
        thread[static_cast<std::size_t>(task)] = std::this_thread::get_id();
        threadsSeen[static_cast<std::size_t>(task)] = backend.threadCount();
        if (!meetAt(started, 2)) metTheOther = false;
      };
      const std::array<std::function<void()>, 2> tasks{
          [&] { rendezvous(0), backend.gemm(Transpose::Yes, Transpose::No, 1.0f, dy, x, 0.0f, dw); },
          [&] { rendezvous(1), backend.gemm(Transpose::No, Transpose::No, 1.0f, dy, w, 0.0f, dx); }};
      backend.concurrently(tasks);
      QVERIFY2(metTheOther.load(), "the two tasks did not run at the same time");
      QVERIFY(thread[0] != thread[1]);
      QCOMPARE(threadsSeen[0], 1);  // an op inside a task runs whole on the task's thread
      QCOMPARE(threadsSeen[1], 1);
      QVERIFY2(sameBits(dw, dwAlone), "the weight gradient differs from the one split over both threads");
      QVERIFY2(sameBits(dx, dxAlone), "the input gradient differs from the one split over both threads");
    }
    QCOMPARE(backend.threadCount(), 2);
  }

  void tasksRunInOrderWhereTheyCannotEachHaveAThread() {
    const auto caller = std::this_thread::get_id();
    auto expectInOrderOnCaller = [&](Backend& backend, const char* where) {
      TaskLog log;
      const auto tasks = loggingTasks(log);
      backend.concurrently(tasks);
      QVERIFY2((log.order == std::vector<int>{0, 1}), where);
      QVERIFY2(log.thread[0] == caller && log.thread[1] == caller, where);
    };
    CpuBackend one(1), three(3), two(2);
    expectInOrderOnCaller(one, "one thread");
    expectInOrderOnCaller(three, "more threads than tasks");
    {
      WeightReuseScope reuse(two);
      expectInOrderOnCaller(two, "inside a weight-reuse scope");
    }
    qputenv("FFN_CPU_GEMM", "openblas");
    CpuBackend openblas(2);
    qunsetenv("FFN_CPU_GEMM");
    expectInOrderOnCaller(openblas, "with OpenBLAS's products");
  }
};

QTEST_GUILESS_MAIN(CpuConcurrency)
#include "tst_cpu_concurrency.moc"

// The trainer with backprop on real data: learning, determinism, divergence, cancelling and pausing.
#include <QtTest>

#include <atomic>
#include <cstring>
#include <thread>

#include "core/backend/cpu/CpuBackend.h"
#include "core/project/ProjectFile.h"
#include "core/project/ProjectRun.h"
#include "tests/support/ExampleProjects.h"

using namespace ffn;

using test::exampleProject;
using test::exampleRun;
using test::kExamples;

class TrainerTest : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend;

 private Q_SLOTS:
  void spiralLearnsToNinetyFivePercent() {
    QElapsedTimer timer;
    timer.start();
    auto run = exampleRun(exampleProject("spiral-bp.ffnlab"), m_backend);
    auto summary = run->trainer().run({}, {});
    QVERIFY2(summary.ok(), summary.ok() ? "" : summary.message().c_str());
    QVERIFY(summary->last.hasTest);
    const double accuracy = summary->last.test.accuracy();
    qInfo("spiral test accuracy %.3f after %d epochs in %.2f s", accuracy, summary->epochsCompleted,
          timer.elapsed() / 1000.0);
    QVERIFY2(accuracy >= 0.95, qPrintable(QString::number(accuracy)));
  }

  void sameSeedSameBitsOtherSeedOtherBits() {
    Project project = exampleProject("spiral-bp.ffnlab");
    project.training.epochs = 3;
    project.graph.node("dense1")->params["units"] = 16;
    auto train = [&](std::uint64_t seed) {
      project.seed = seed;
      auto run = exampleRun(project, m_backend);
      auto summary = run->trainer().run({}, {});
      if (!summary) qFatal("%s", summary.message().c_str());
      return Tensor(run->network().weights());
    };
    const Tensor a = train(5), b = train(5), c = train(6);
    QCOMPARE(a.size(), b.size());
    QVERIFY(std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0);
    QVERIFY(std::memcmp(a.data(), c.data(), sizeof(float) * a.size()) != 0);
  }

  void threadCountChangesOnlyRounding() {
    // With the packed kernel (AVX-512) every product is the same chain of FMAs at any split: 1 and 3 threads give
    // the same bits after a whole epoch. With OpenBLAS the GEMM blocks follow the thread count: they agree up to
    // float rounding.
    Project project = exampleProject("fmnist-mlp-bp.ffnlab");
    project.dataset["trainLimit"] = 512;
    project.dataset["testLimit"] = 100;
    project.training.epochs = 1;
    auto train = [&](int threads) {
      CpuBackend backend(threads);
      auto run = exampleRun(project, backend);
      auto summary = run->trainer().run({}, {});
      if (!summary) qFatal("%s", summary.message().c_str());
      return Tensor(run->network().weights());
    };
    const Tensor one = train(1), three = train(3);
    const double difference = (one.vector() - three.vector()).norm() / one.vector().norm();
    QVERIFY2(difference < 1e-4, qPrintable(QString::number(difference)));
    QVERIFY(std::memcmp(one.data(), train(1).data(), sizeof(float) * one.size()) == 0);
    if (CpuBackend(1).packsEveryProduct())
      QVERIFY(std::memcmp(one.data(), three.data(), sizeof(float) * one.size()) == 0);
  }

  void divergenceStopsWithMessageAndFiniteWeights() {
    Project project = exampleProject("spiral-bp.ffnlab");
    project.training.optimizer.kind = "sgd";
    project.training.optimizer.learningRate = 1e30;
    auto run = exampleRun(project, m_backend);
    auto summary = run->trainer().run({}, {});
    QVERIFY(!summary.ok());
    const QString message = QString::fromStdString(summary.message());
    QVERIFY2(message.contains("stopped at epoch") && (message.contains("NaN") || message.contains("infinit")),
             qPrintable(message));
    QVERIFY(run->network().weights().vector().allFinite());
  }

  void stopTokenCancelsBetweenSteps() {
    auto run = exampleRun(exampleProject("spiral-bp.ffnlab"), m_backend);
    std::stop_source stop;
    int steps = 0;
    auto summary = run->trainer().run(stop.get_token(), [&](const TrainingProgress&) {
      if (++steps == 20) stop.request_stop();
    });
    QVERIFY(summary.ok());
    QVERIFY(summary->stopped);
    QCOMPARE(steps, 20);
    QCOMPARE(summary->last.step, std::int64_t{20});
  }

  void pauseBlocksUntilResumed() {
    Project project = exampleProject("spiral-bp.ffnlab");
    project.training.epochs = 2;
    auto run = exampleRun(project, m_backend);
    RunControl control;
    control.pause();
    std::atomic<int> steps{0};
    std::jthread worker([&](std::stop_token stop) {
      (void)run->trainer().run(stop, [&](const TrainingProgress&) { ++steps; }, &control);
    });
    QTest::qWait(150);
    QCOMPARE(steps.load(), 0);
    control.resume();
    worker.join();
    QCOMPARE(steps.load(), static_cast<int>(2 * run->trainer().stepsPerEpoch()));
  }

  void steppingByBatchAndEpoch() {
    auto run = exampleRun(exampleProject("spiral-bp.ffnlab"), m_backend);
    Trainer& trainer = run->trainer();
    auto first = trainer.stepBatch();
    QVERIFY(first.ok());
    QCOMPARE(first->step, std::int64_t{1});
    QVERIFY(!first->epochEnd);
    auto epoch = trainer.stepEpoch();
    QVERIFY(epoch.ok());
    QVERIFY(epoch->epochEnd);
    QCOMPARE(epoch->step, trainer.stepsPerEpoch());
    QVERIFY(epoch->hasTest);
  }

  void mismatchedInputShapeIsExplained() {
    Project project = exampleProject("spiral-bp.ffnlab");
    project.graph.node("input")->params["shape"] = Json::array({3});
    auto run = ProjectRun::create(project, kExamples, m_backend);
    QVERIFY(!run.ok());
    QVERIFY2(QString::fromStdString(run.message()).contains("[2]"), run.message().c_str());
  }

  void fashionMnistSubsetLearnsWellAboveChance() {
    Project project = exampleProject("fmnist-mlp-bp.ffnlab");
    project.dataset["trainLimit"] = 3000;
    project.dataset["testLimit"] = 1000;
    project.training.epochs = 2;
    auto run = exampleRun(project, m_backend);
    auto summary = run->trainer().run({}, {});
    QVERIFY2(summary.ok(), summary.ok() ? "" : summary.message().c_str());
    const double accuracy = summary->last.test.accuracy();
    qInfo("Fashion-MNIST 3000-sample test accuracy %.3f", accuracy);
    QVERIFY2(accuracy > 0.65, qPrintable(QString::number(accuracy)));  // chance is 0.10
  }
};

QTEST_GUILESS_MAIN(TrainerTest)
#include "tst_trainer.moc"

// The local rules end to end, through the project files a user opens: each 2-D example learns well above chance in
// seconds, its rule's live metrics reach the per-epoch metrics CSV, and its saved weights — the network's and the
// rule's own tensors — reproduce the test accuracy exactly in a differently seeded run (what `ffnlab-cli eval
// --weights` does). The Fashion-MNIST examples open, prepare and step on a slice of the data.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/backend/cpu/CpuBackend.h"
#include "core/project/ProjectFile.h"
#include "core/project/ProjectRun.h"
#include "tests/support/ExampleProjects.h"
#include "core/project/WeightsFile.h"
#include "core/train/MetricsLog.h"

using namespace ffn;

using test::exampleProject;
using test::exampleRun;
using test::kExamples;

class RuleExamplesTest : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend;

 private Q_SLOTS:
  void learnsReportsAndReloads_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<double>("minimumAccuracy");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<int>("ruleTensors");
    QTest::newRow("ff") << "blobs-ff.ffnlab" << 0.9 << "ff_goodness_pos_layer1" << 1;        // chance 1/3
    QTest::newRow("mf") << "moons-mf.ffnlab" << 0.9 << "mf_local_accuracy_layer2" << 2;      // chance 1/2
    QTest::newRow("ccl") << "circles-ccl.ffnlab" << 0.9 << "ccl_alignment_loss_layer1" << 3;  // chance 1/2
  }
  void learnsReportsAndReloads() {
    QFETCH(QString, file);
    QFETCH(double, minimumAccuracy);
    QFETCH(QString, metric);
    QFETCH(int, ruleTensors);
    const Project project = exampleProject(file.toStdString());
    auto run = exampleRun(project, m_backend);
    MetricsLog log;
    auto summary = run->trainer().run({}, [&](const TrainingProgress& p) {
      if (p.epochEnd) log.record(p);
    });
    QVERIFY2(summary.ok(), summary.ok() ? "" : summary.message().c_str());
    const EvalStats trained = summary->last.test;
    qInfo("%s: test accuracy %.3f after %d epochs", qPrintable(file), trained.accuracy(), summary->epochsCompleted);
    QVERIFY2(trained.accuracy() >= minimumAccuracy, qPrintable(QString::number(trained.accuracy())));

    // The rule's metric is a column of every epoch's row, with a number in it.
    QCOMPARE(log.rowCount(), static_cast<std::size_t>(project.training.epochs));
    const std::string csv = log.toCsv();
    QVERIFY2(csv.substr(0, csv.find('\n')).find(metric.toStdString()) != std::string::npos, csv.substr(0, 300).c_str());
    QVERIFY(std::isfinite(log.value(log.rowCount() - 1, metric.toStdString())));

    // Saved with the rule's tensors, loaded into a run with other initial weights: the same test result.
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/weights.safetensors").toStdString();
    const auto tensors = run->rule().ruleTensors();
    QCOMPARE(static_cast<int>(tensors.size()), ruleTensors);
    QVERIFY(saveWeights(run->network(), path, {}, tensors).ok());
    Project other = project;
    other.seed = project.seed + 1;
    auto reloaded = exampleRun(other, m_backend);
    QVERIFY(reloaded->trainer().evaluate(*reloaded->data().test).correct != trained.correct ||
            reloaded->trainer().evaluate(*reloaded->data().test).lossSum != trained.lossSum);
    const Status loaded = loadWeights(reloaded->network(), path, reloaded->rule().ruleTensors());
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
    reloaded->network().finishTraining();
    const EvalStats again = reloaded->trainer().evaluate(*reloaded->data().test);
    QCOMPARE(again.correct, trained.correct);
    QCOMPARE(again.lossSum, trained.lossSum);

    // Without the rule's tensors the file does not fit: it names them.
    const Status bare = loadWeights(reloaded->network(), path);
    QVERIFY(!bare.ok());
    QVERIFY2(bare.message().find("rule." + tensors[0].name) != std::string::npos, bare.message().c_str());
  }

  void fashionMnistExamplesRun_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("ff") << "fmnist-ff.ffnlab";
    QTest::newRow("mf") << "fmnist-mf.ffnlab";
    QTest::newRow("ccl") << "fmnist-ccl.ffnlab";
  }
  void fashionMnistExamplesRun() {
    QFETCH(QString, file);
    Project project = exampleProject(file.toStdString());
    project.dataset["trainLimit"] = 600;
    project.dataset["testLimit"] = 200;
    project.training.epochs = 1;
    auto run = exampleRun(project, m_backend);
    auto summary = run->trainer().run({}, {});
    QVERIFY2(summary.ok(), summary.ok() ? "" : summary.message().c_str());
    QVERIFY(summary->last.hasTest);
    QVERIFY(!summary->last.metrics.empty());
  }

  void rulesAreChosenByName() {
    // `--rule mf` on a project made for another rule: the rule's own checks explain what the graph lacks.
    RunOverrides overrides;
    overrides.rule = "ccl";
    auto run = ProjectRun::create(exampleProject("moons-mf.ffnlab"), kExamples, m_backend, overrides);
    QVERIFY(!run.ok());
    QVERIFY2(run.message().find("without bias") != std::string::npos, run.message().c_str());
    overrides.rule = "mf";
    QVERIFY(ProjectRun::create(exampleProject("blobs-ff.ffnlab"), kExamples, m_backend, overrides).ok());
  }
};

QTEST_GUILESS_MAIN(RuleExamplesTest)
#include "tst_rule_examples.moc"

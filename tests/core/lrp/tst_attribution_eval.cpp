// Attribution evaluation on a real model: a Fashion-MNIST MLP (the example project's 784-256-256-10, trained here
// on a 6,000-image slice) explained through the project (ProjectExplainer), then MoRF / LeRF perturbation curves.
// LRP must beat a random order by a clear margin for every preset composite and baseline; the random order's
// ABPC stays near zero.
#include <QtTest>

#include "core/backend/cpu/CpuBackend.h"
#include "core/lrp/PerturbationCurves.h"
#include "core/project/ProjectExplainer.h"
#include "core/project/ProjectFile.h"

using namespace ffn;

namespace {

const std::string kExamples = std::string(FFN_SOURCE_DIR) + "/resources/examples";
constexpr std::int64_t kSamples = 400;

}  // namespace

class AttributionEval : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend;
  std::unique_ptr<ProjectRun> m_run;
  Batch m_batch;

 private Q_SLOTS:
  void initTestCase();
  void lrpBeatsRandomOrder_data();
  void lrpBeatsRandomOrder();
  void curvesFallUnderMorfFromTheExplainedScore();
};

void AttributionEval::initTestCase() {
  auto project = loadProject(kExamples + "/fmnist-mlp-bp.ffnlab");
  QVERIFY2(project.ok(), project.ok() ? "" : project.message().c_str());
  project->dataset["trainLimit"] = 6000;
  project->dataset["testLimit"] = kSamples;
  project->training.epochs = 2;
  auto run = ProjectRun::create(*project, kExamples, m_backend);
  QVERIFY2(run.ok(), run.ok() ? "" : run.message().c_str());
  m_run = std::move(*run);
  auto summary = m_run->trainer().run({}, {});
  QVERIFY(summary.ok());
  qInfo("test accuracy %.3f", summary->last.test.accuracy());
  QVERIFY(summary->last.test.accuracy() > 0.7);
  m_run->network().finishTraining();
  m_run->data().test->makeRangeBatch(0, kSamples, m_batch);
}

void AttributionEval::lrpBeatsRandomOrder_data() {
  QTest::addColumn<QString>("composite");
  QTest::addColumn<QString>("baseline");
  for (const char* composite : {"epsilon-plus", "epsilon-gamma-box", "epsilon-alpha2-beta1", "epsilon"})
    QTest::newRow(composite) << composite << "zero";
  QTest::newRow("epsilon-plus, mean baseline") << "epsilon-plus" << "mean";
  QTest::newRow("epsilon-plus, blur baseline") << "epsilon-plus" << "blur";
}

void AttributionEval::lrpBeatsRandomOrder() {
  QFETCH(QString, composite);
  QFETCH(QString, baseline);
  auto lrp = explainProject(*m_run, composite.toStdString());
  QVERIFY2(lrp.ok(), lrp.ok() ? "" : lrp.message().c_str());
  QCOMPARE(lrp->samplesName, std::string("test"));
  auto explanation = lrp->explainer->explain(m_batch.inputs);
  QVERIFY(explanation.ok());
  PerturbationSettings settings;
  settings.baseline = *baselineFromName(baseline.toStdString());
  settings.mean = &lrp->statistics.mean;
  PerturbationCurves curves(settings.steps);
  Rng rng(3);
  QVERIFY(curves.add(*lrp->explainer, m_batch.inputs, *explanation, settings, rng).ok());
  QCOMPARE(curves.samples(), kSamples);
  const double abpc = curves.abpc(), random = curves.abpcRandom();
  qInfo("%s, %s baseline: ABPC %.3f, random order %.3f, conservation error %.3g", qPrintable(composite),
        qPrintable(baseline), abpc, random, explanation->medianConservationError());
  // The random order removes evidence as fast in both directions: its ABPC is small against LRP's.
  QVERIFY2(abpc > random + 1.0, qPrintable(QString("ABPC %1, random %2").arg(abpc).arg(random)));
  QVERIFY2(std::abs(random) < 0.25 * abpc, qPrintable(QString("random order ABPC %1").arg(random)));
}

void AttributionEval::curvesFallUnderMorfFromTheExplainedScore() {
  auto lrp = explainProject(*m_run, "epsilon");
  QVERIFY(lrp.ok());
  auto explanation = lrp->explainer->explain(m_batch.inputs);
  QVERIFY(explanation.ok());
  PerturbationCurves curves(10);
  Rng rng(1);
  PerturbationSettings settings;
  settings.steps = 10;
  QVERIFY(curves.add(*lrp->explainer, m_batch.inputs, *explanation, settings, rng).ok());
  // Step 0 is the unperturbed score (the same for every order); at the end every feature is the baseline, so
  // all orders meet again.
  double meanScore = 0.0;
  for (float s : explanation->scores) meanScore += s / static_cast<double>(kSamples);
  for (const auto& curve : {curves.morf(), curves.lerf(), curves.randomMorf(), curves.randomLerf()}) {
    QCOMPARE(curve.size(), std::size_t{11});
    QVERIFY(std::abs(curve.front() - meanScore) < 1e-3 * std::max(1.0, std::abs(meanScore)));
    QVERIFY(std::abs(curve.back() - curves.morf().back()) < 1e-3 * std::max(1.0, std::abs(meanScore)));
  }
  QVERIFY(curves.morf()[1] < curves.lerf()[1]);
  // Mismatched settings are refused.
  settings.steps = 5;
  QVERIFY(!curves.add(*lrp->explainer, m_batch.inputs, *explanation, settings, rng).ok());
}

QTEST_GUILESS_MAIN(AttributionEval)
#include "tst_attribution_eval.moc"

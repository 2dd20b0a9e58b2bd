// The NTK ensemble: the basis-input ops against finite differences and against the network path, the fused SGD
// step against the unfused one, the fused step's folded forward against a fresh forward, exact learning of a k = 4
// permutation on all 15 nonzero inputs, determinism across thread counts, members reproduced alone from their seeds,
// the rule run through ProjectRun and the Trainer as the GUI does, and the shipped example project opened and
// trained.
#include <QtTest>
#include <cmath>
#include <cstring>

#include "core/backend/cpu/CpuBackend.h"
#include "core/data/LoadedData.h"
#include "core/project/PermutationProject.h"
#include "core/project/ProjectRun.h"
#include "core/rules/EnsembleMember.h"
#include "core/rules/NtkEnsemble.h"
#include "tests/support/ExampleProjects.h"
#include "tests/support/TestSupport.h"

using namespace ffn;

namespace {

struct Run {
  std::unique_ptr<ProjectRun> run;
  NtkEnsemble* rule = nullptr;
};

Run makeRun(const PermutationProjectOptions& options, Backend& backend) {
  auto run = ProjectRun::create(permutationProject(options), "", backend);
  if (!run) qFatal("%s", run.message().c_str());
  auto* rule = dynamic_cast<NtkEnsemble*>(&(*run)->rule());
  if (!rule) qFatal("not an NTK ensemble");
  return {std::move(*run), rule};
}

// Trains the whole ensemble through the Trainer, as the GUI does.
void train(Run& r) {
  auto summary = r.run->trainer().run({}, {});
  if (!summary) qFatal("%s", summary.message().c_str());
}

Batch wholeSet(const Dataset& data) {
  Batch batch;
  data.makeRangeBatch(0, data.size(), batch);
  return batch;
}

bool sameBits(const Tensor& a, const Tensor& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0;
}

double worstRelative(const Tensor& a, const Tensor& b) {
  const double scale = std::max(1e-6, static_cast<double>(b.vector().cwiseAbs().maxCoeff()));
  return static_cast<double>((a.vector() - b.vector()).cwiseAbs().maxCoeff()) / scale;
}

PermutationProjectOptions small(int k, int width, int members, int epochs, double lr) {
  PermutationProjectOptions o;
  o.k = k;
  o.width = width;
  o.members = members;
  o.epochs = epochs;
  o.learningRate = lr;
  return o;
}

// k = 6 at an odd width: 333 units end in a partial block and a partial strip.
Project sixBitProject() {
  PermutationProjectOptions o;
  o.k = 6;
  o.width = 333;
  return permutationProject(o);
}

MemberSettings sgdMember(int epochs, double lr) {
  MemberSettings settings;
  settings.epochs = epochs;
  settings.optimizer.kind = "sgd";
  settings.optimizer.learningRate = lr;
  return settings;
}

}  // namespace

class NtkEnsembleTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void basisOpsMatchFiniteDifferences() {
    // The member's own loss (PyTorch's mean squared error) through the basis ops; 300 units span three blocks.
    const std::int64_t k = 5, m = 300;
    CpuBackend backend(1);
    Tensor w1t = test::randomTensor(Shape{k, m}, 1, 0.5f), b1 = test::randomTensor(Shape{m}, 2, 0.3f);
    Tensor w2 = test::randomTensor(Shape{k, m}, 3, 0.1f), b2 = test::randomTensor(Shape{k}, 4, 0.1f);
    Tensor index(Shape{k}), targets(Shape{k, k}), out(Shape{k, k}), gradOut(Shape{k, k});
    const int order[] = {3, 0, 4, 1, 2};
    for (std::int64_t n = 0; n < k; ++n) {
      index.mutableData()[n] = static_cast<float>(order[n]);
      targets.mutableData()[n * k + (n + 2) % k] = 1.0f;
    }
    const double cells = static_cast<double>(k * k);
    auto loss = [&] {
      backend.basisReluForward(index, w1t, b1, w2, b2, out);
      return 2.0 * backend.meanSquaredError(out, targets, 1.0f, gradOut).lossSum / cells;
    };
    loss();
    backend.meanSquaredError(out, targets, static_cast<float>(2.0 / cells), gradOut);
    Tensor dw1t(Shape{k, m}), db1(Shape{m}), dw2(Shape{k, m}), db2(Shape{k});
    backend.basisReluBackward(index, w1t, b1, w2, gradOut, dw1t, db1, dw2, db2);
    // Relative to the largest gradient entry: the loss is O(1), its gradients O(1e-2).
    for (auto [values, grad, name] : {std::tuple{&w1t, &dw1t, "w1t"}, std::tuple{&b1, &db1, "b1"},
                                      std::tuple{&w2, &dw2, "w2"}, std::tuple{&b2, &db2, "b2"}}) {
      const double scale = std::max(1e-3, static_cast<double>(grad->vector().cwiseAbs().maxCoeff()));
      double worst = 0.0;
      for (std::int64_t i = 0; i < values->size(); i += 7) {
        float& v = values->mutableData()[i];
        const float original = v;
        v = original + 1e-3f;
        const double up = loss();
        v = original - 1e-3f;
        const double down = loss();
        v = original;
        worst = std::max(worst, std::fabs((up - down) / 2e-3 - grad->at(i)) / scale);
      }
      QVERIFY2(worst < 2e-2, qPrintable(QString("%1: worst relative error %2").arg(name).arg(worst)));
    }
  }

  void basisPathMatchesNetworkPath() {
    // One member of an odd width trained both ways for 30 epochs: the same weights up to float rounding.
    auto data = loadData(Json{{"kind", "permutation"}, {"k", 6}, {"seed", 3}}, "");
    QVERIFY(data.ok());
    const Batch train = wholeSet(*data->train);
    const Project project = sixBitProject();
    MemberSettings settings = sgdMember(30, 0.05);
    for (auto param : {Parameterization::Standard, Parameterization::Ntk}) {
      settings.parameterization = param;
      settings.allowBasisPath = true;
      auto fast = EnsembleMember::create(project.graph, settings, train);
      settings.allowBasisPath = false;
      auto slow = EnsembleMember::create(project.graph, settings, train);
      QVERIFY(fast.ok() && slow.ok());
      QVERIFY((*fast)->usesBasisPath());
      QVERIFY(!(*slow)->usesBasisPath());
      Tensor before;
      for (auto* member : {fast->get(), slow->get()}) {
        QVERIFY(member->start(0, 42).ok());
        before = member->network().weights();
        QCOMPARE(member->train(1000).value(), 30);
        QVERIFY(member->finish(train.inputs, false).ok());
      }
      const Tensor& a = (*fast)->network().weights();
      const Tensor& b = (*slow)->network().weights();
      QVERIFY2(worstRelative(a, b) < 1e-4, qPrintable(QString::number(worstRelative(a, b))));
      QVERIFY(worstRelative(a, before) > 1e-3);  // it did train
      QVERIFY(std::fabs((*fast)->lastLoss() - (*slow)->lastLoss()) < 1e-5);
    }
  }

  void fusedStepMatchesUnfusedStep() {
    // CpuBackend::basisReluSgdStep against basisReluBackward + the Optimizer's sgd step: 333 units end in a partial
    // strip, and the second training set repeats positions (their gradients add up in one row of W1^T).
    auto data = loadData(Json{{"kind", "permutation"}, {"k", 6}, {"seed", 5}}, "");
    QVERIFY(data.ok());
    const Batch permutation = wholeSet(*data->train);
    Batch repeated;
    repeated.inputs = Tensor(Shape{6, 6});
    repeated.targets = test::randomTensor(Shape{6, 6}, 9, 1.0f);
    const int ones[] = {2, 0, 2, 5, 1, 0};
    for (std::int64_t r = 0; r < 6; ++r) repeated.inputs.mutableData()[r * 6 + ones[r]] = 1.0f;
    const Project project = sixBitProject();
    MemberSettings settings = sgdMember(30, 0.05);
    for (const Batch* train : {&permutation, static_cast<const Batch*>(&repeated)})
      for (auto param : {Parameterization::Standard, Parameterization::Ntk}) {
        settings.parameterization = param;
        settings.allowFusedStep = true;
        auto fused = EnsembleMember::create(project.graph, settings, *train);
        settings.allowFusedStep = false;
        auto plain = EnsembleMember::create(project.graph, settings, *train);
        QVERIFY(fused.ok() && plain.ok());
        QVERIFY((*fused)->usesBasisPath() && (*fused)->usesFusedStep());
        QVERIFY((*plain)->usesBasisPath() && !(*plain)->usesFusedStep());
        Tensor before;
        for (auto* member : {fused->get(), plain->get()}) {
          QVERIFY(member->start(0, 7).ok());
          before = member->network().weights();
          QCOMPARE(member->train(1000).value(), 30);
          QVERIFY(member->finish(train->inputs, false).ok());
        }
        const Tensor& a = (*fused)->network().weights();
        const Tensor& b = (*plain)->network().weights();
        QVERIFY2(worstRelative(a, b) < 1e-5, qPrintable(QString::number(worstRelative(a, b))));
        QVERIFY(worstRelative(a, before) > 1e-3);  // it did train
        QVERIFY(std::fabs((*fused)->lastLoss() - (*plain)->lastLoss()) <= 1e-6 * (*plain)->lastLoss());
      }
    // Only plain SGD is fused: momentum, weight decay and gradient noise keep the Optimizer.
    for (auto change : {+[](OptimizerSettings& s) { s.kind = "momentum"; },
                        +[](OptimizerSettings& s) { s.weightDecay = 1e-4; },
                        +[](OptimizerSettings& s) { s.gradientNoise = 0.01; }}) {
      MemberSettings other = settings;
      other.allowFusedStep = true;
      change(other.optimizer);
      auto member = EnsembleMember::create(project.graph, other, permutation);
      QVERIFY(member.ok());
      QVERIFY((*member)->usesBasisPath() && !(*member)->usesFusedStep());
    }
  }

  void foldedForwardEqualsAFreshForward() {
    // CpuBackend::basisReluSgdStep with nextOut: the outputs it leaves are basisReluForward of the stepped weights,
    // bit for bit, epoch after epoch (each step's gradient made from the previous step's folded outputs, as a
    // member does), and the step itself is the same with or without them. Widths: a partial last block and strip
    // (333), five blocks the last of 88 units (600), whole blocks (512); positions repeat in the second set.
    CpuBackend backend(1);
    const std::int64_t k = 5;
    const std::vector<std::vector<int>> positionSets{{3, 0, 4, 1, 2}, {2, 0, 2, 4, 1, 0}};
    for (const std::int64_t m : {std::int64_t{333}, std::int64_t{600}, std::int64_t{512}})
      for (const auto& positions : positionSets) {
        const auto n = static_cast<std::int64_t>(positions.size());
        Tensor index(Shape{n}), targets = test::randomTensor(Shape{n, k}, 8, 1.0f);
        for (std::int64_t r = 0; r < n; ++r)
          index.mutableData()[r] = static_cast<float>(positions[static_cast<std::size_t>(r)]);
        Tensor w1t = test::randomTensor(Shape{k, m}, 1, 0.5f), b1 = test::randomTensor(Shape{m}, 2, 0.3f);
        Tensor w2 = test::randomTensor(Shape{k, m}, 3, 0.1f), b2 = test::randomTensor(Shape{k}, 4, 0.1f);
        Tensor plain[4] = {w1t, b1, w2, b2};  // stepped alongside without nextOut
        Tensor folded(Shape{n, k}), fresh(Shape{n, k}), gradOut(Shape{n, k}), before(Shape{n, k});
        backend.basisReluForward(index, w1t, b1, w2, b2, folded);
        before = folded;
        for (int epoch = 0; epoch < 5; ++epoch) {
          backend.meanSquaredError(folded, targets, 0.1f, gradOut);
          backend.basisReluSgdStep(index, gradOut, 0.2f, 1.0f, 0.5f, w1t, b1, w2, b2, folded);
          backend.basisReluSgdStep(index, gradOut, 0.2f, 1.0f, 0.5f, plain[0], plain[1], plain[2], plain[3]);
          backend.basisReluForward(index, w1t, b1, w2, b2, fresh);
          QVERIFY2(sameBits(folded, fresh), qPrintable(QString("m %1 epoch %2: worst relative %3")
                                                           .arg(m).arg(epoch).arg(worstRelative(folded, fresh))));
          for (auto [a, b] : {std::pair{&w1t, &plain[0]}, std::pair{&b1, &plain[1]}, std::pair{&w2, &plain[2]},
                              std::pair{&b2, &plain[3]}})
            QVERIFY(sameBits(*a, *b));
        }
        QVERIFY(worstRelative(folded, before) > 1e-3);  // the outputs did move
      }
  }

  void learnsAK4PermutationExactlyOnAllInputs() {
    // All 15 nonzero inputs, the 4 basis vectors (the training set) among them. A converged member's 0 bits there
    // are 0 up to float rounding, so the vote needs a tolerance above rounding (the paper's kernel check uses 1e-10
    // in double precision); with the published rule (mean > 0) exactly the 11 unseen inputs are certain.
    PermutationProjectOptions o = small(4, 2000, 40, 1000, 0.01);
    o.test = "all";
    o.seed = 11;
    o.tolerance = 1e-3;
    CpuBackend backend(1);
    Run r = makeRun(o, backend);
    train(r);
    const EnsembleCurve& curve = r.rule->testCurve();
    QCOMPARE(curve.members(), 40);
    QCOMPARE(curve.rows(), std::int64_t{15});
    QVERIFY(r.rule->basisPath());
    qInfo("exact match: 1 member %.3f, %d members %.3f; n for 100%%: %d", curve.exactMatch().front(), curve.members(),
          curve.exactMatch().back(), curve.membersFor(1.0));
    QCOMPARE(curve.exactMatch().back(), 1.0);
    QVERIFY(curve.membersFor(1.0) > 1);  // one member alone is not exact: the vote is what makes it exact
    QCOMPARE(r.rule->trainCurve().exactMatch().back(), 1.0);
    // The Trainer's test evaluation is the ensemble's exact match
    const EvalStats stats = r.run->trainer().evaluate(*r.run->data().test);
    QCOMPARE(stats.accuracy(), 1.0);

    // The same members under the published rule: every one of the 11 unseen inputs is still exact.
    const Batch test = wholeSet(*r.run->data().test);
    std::int64_t unseenExact = 0;
    for (std::int64_t row = 0; row < test.size(); ++row) {
      int ones = 0, right = 0;
      for (std::int64_t b = 0; b < 4; ++b) {
        ones += test.inputs.at(row * 4 + b) > 0.0f ? 1 : 0;
        right += (curve.mean(row, b) > 0.0f) == (test.targets.at(row * 4 + b) > 0.5f) ? 1 : 0;
      }
      if (ones > 1 && right == 4) ++unseenExact;
    }
    QCOMPARE(unseenExact, std::int64_t{11});
  }

  void sameSeedSameCurveAtAnyThreadCount() {
    PermutationProjectOptions o = small(5, 300, 6, 60, 0.02);
    auto curve = [&](int threads, std::uint64_t seed) {
      o.threads = threads;
      o.seed = seed;
      CpuBackend backend(1);
      Run r = makeRun(o, backend);
      train(r);
      return std::pair{r.rule->testCurve().meanSquaredError(), r.rule->testCurve().exactMatch()};
    };
    const auto a = curve(1, 4), b = curve(2, 4), c = curve(3, 4), d = curve(2, 5);
    QCOMPARE(a.first.size(), std::size_t{6});
    QVERIFY(a == b);
    QVERIFY(a == c);
    QVERIFY(a.first != d.first);
  }

  void memberReproducedAloneFromItsSeed() {
    PermutationProjectOptions o = small(5, 200, 3, 40, 0.02);
    o.threads = 2;
    CpuBackend backend(1);
    Run r = makeRun(o, backend);
    Tensor inEnsemble;
    r.rule->setMemberListener([&](const MemberResult& result) {
      if (result.index == 2) inEnsemble = result.testOutputs;
    });
    train(r);
    QVERIFY(!inEnsemble.empty());

    // Member 2 alone: the graph, the data, the optimiser and memberSeed(run seed, 2); nothing else.
    const Project& project = r.run->project();
    const Batch trainSet = wholeSet(*r.run->data().train);
    const Batch testSet = wholeSet(*r.run->data().test);
    MemberSettings settings{project.training.epochs, project.training.optimizer, Parameterization::Standard};
    auto member = EnsembleMember::create(project.graph, settings, trainSet);
    QVERIFY(member.ok());
    QVERIFY((*member)->start(2, NtkEnsemble::memberSeed(RunSeeds::from(project.seed).shuffle, 2)).ok());
    QCOMPARE((*member)->train(project.training.epochs).value(), project.training.epochs);
    auto alone = (*member)->finish(testSet.inputs, false);
    QVERIFY(alone.ok());
    QVERIFY(sameBits(alone->testOutputs, inEnsemble));
  }

  void exampleProjectOpensAndTrains() {
    // resources/examples/permutation-k10.ffnlab as a user opens it: the published setup, on the basis path with
    // the fused step; then a few members for a few epochs through ProjectRun and the Trainer.
    Project project = test::exampleProject("permutation-k10.ffnlab");
    QCOMPARE(project.training.rule, std::string("ntk-ensemble"));
    QCOMPARE(project.training.epochs, 10000);
    QCOMPARE(project.training.optimizer.kind, std::string("sgd"));
    QCOMPARE(project.training.optimizer.learningRate, 1e-3);
    QCOMPARE(project.dataset.value("k", 0), 10);
    QCOMPARE(project.dataset.value("test", std::string()), std::string("two-hot"));
    project.training.epochs = 3;
    project.training.ruleParams["members"] = 3;
    project.training.ruleParams["threads"] = 2;
    CpuBackend backend(1);
    auto run = test::exampleRun(project, backend);
    auto* rule = dynamic_cast<NtkEnsemble*>(&run->rule());
    QVERIFY(rule);
    QCOMPARE(rule->members(), 3);
    QCOMPARE(rule->parameterization(), Parameterization::Standard);
    const Batch trainSet = wholeSet(*run->data().train);
    QCOMPARE(trainSet.size(), std::int64_t{10});
    MemberSettings settings{project.training.epochs, project.training.optimizer, rule->parameterization()};
    auto member = EnsembleMember::create(project.graph, settings, trainSet);
    QVERIFY(member.ok());
    QVERIFY((*member)->usesBasisPath() && (*member)->usesFusedStep());
    QCOMPARE((*member)->network().layer(0).layer->outputShape().elementCount(), std::int64_t{50000});

    auto summary = run->trainer().run({}, {});
    QVERIFY2(summary.ok(), summary.ok() ? "" : summary.message().c_str());
    QVERIFY(rule->basisPath());
    const EnsembleCurve& curve = rule->testCurve();
    QCOMPARE(curve.members(), 3);
    QCOMPARE(curve.rows(), std::int64_t{1000});
    QCOMPARE(curve.exactMatch().size(), std::size_t{3});
    for (double rate : curve.exactMatch()) QVERIFY(rate >= 0.0 && rate <= 1.0);
    QVERIFY(std::isfinite(curve.meanSquaredError().back()) && curve.meanSquaredError().back() > 0.0);
    QVERIFY(rule->meanMemberSeconds() > 0.0);
  }

  void refusesDataWithoutTargets() {
    PermutationProjectOptions o;
    o.k = 2;  // the spiral's two features fit the Input; its class labels are no targets
    Project project = permutationProject(o);
    project.dataset = Json{{"kind", "spiral"}};
    CpuBackend backend(1);
    auto run = ProjectRun::create(project, "", backend);
    QVERIFY(!run.ok());
    QVERIFY2(run.message().find("target") != std::string::npos, run.message().c_str());
  }
};

QTEST_APPLESS_MAIN(NtkEnsembleTest)
#include "tst_ntk_ensemble.moc"

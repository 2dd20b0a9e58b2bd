// Optimiser updates against hand-computed references, moments flushed to zero before they turn denormal,
// schedules, gradient noise, and refusal of NaN gradients.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/backend/cpu/CpuBackend.h"
#include "core/base/Rng.h"
#include "core/optim/Optimizer.h"

using namespace ffn;

class Optimizers : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend;

  std::unique_ptr<Optimizer> make(OptimizerSettings s) {
    auto o = Optimizer::create(s, m_backend, 3);
    if (!o) qFatal("%s", o.message().c_str());
    return std::move(*o);
  }

 private Q_SLOTS:
  void sgdWithWeightDecay() {
    OptimizerSettings s;
    s.kind = "sgd";
    s.learningRate = 0.1;
    s.weightDecay = 0.5;
    auto opt = make(s);
    Tensor w(Shape{2}, std::vector<float>{1.0f, -2.0f});
    Tensor g(Shape{2}, std::vector<float>{0.5f, 0.25f});
    QVERIFY(opt->step(w, g).ok());
    // w - lr (g + wd w)
    QCOMPARE(w.at(0), 1.0f - 0.1f * (0.5f + 0.5f * 1.0f));
    QCOMPARE(w.at(1), -2.0f - 0.1f * (0.25f + 0.5f * -2.0f));
  }

  void momentumMatchesPyTorch() {
    OptimizerSettings s;
    s.kind = "momentum";
    s.learningRate = 0.1;
    s.momentum = 0.9;
    auto opt = make(s);
    Tensor w(Shape{1}, std::vector<float>{1.0f});
    Tensor g(Shape{1}, std::vector<float>{1.0f});
    QVERIFY(opt->step(w, g).ok());  // v = 1, w = 0.9
    QVERIFY(opt->step(w, g).ok());  // v = 1.9, w = 0.71
    QVERIFY(std::fabs(w.at(0) - 0.71f) < 1e-6f);
  }

  void adamFirstStepsMatchReference() {
    OptimizerSettings s;
    s.kind = "adam";
    s.learningRate = 0.01;
    auto opt = make(s);
    Tensor w(Shape{1}, std::vector<float>{0.5f});
    // Reference computed in double: m, v with bias correction.
    double wr = 0.5, m = 0, v = 0;
    const double grads[] = {0.3, -0.1, 0.7};
    for (int t = 1; t <= 3; ++t) {
      Tensor g(Shape{1}, std::vector<float>{static_cast<float>(grads[t - 1])});
      QVERIFY(opt->step(w, g).ok());
      m = 0.9 * m + 0.1 * grads[t - 1];
      v = 0.999 * v + 0.001 * grads[t - 1] * grads[t - 1];
      const double mh = m / (1 - std::pow(0.9, t)), vh = v / (1 - std::pow(0.999, t));
      wr -= 0.01 * mh / (std::sqrt(vh) + 1e-8);
      QVERIFY2(std::fabs(w.at(0) - wr) < 1e-6, qPrintable(QString("step %1: %2 vs %3").arg(t).arg(w.at(0)).arg(wr)));
    }
  }

  void decayedMomentsFlushToZero() {
    // A zero gradient shrinks Adam's first moment and momentum's velocity by 0.9 a step; from just above the
    // smallest normal float they would turn denormal (slow to compute with) and are flushed to zero instead. The
    // weight does not move, and the caller's thread keeps its own denormal mode.
    const float smallestNormal = std::numeric_limits<float>::min();
    Tensor g(Shape{1}, std::vector<float>{0.0f}), w(Shape{1}, std::vector<float>{0.25f});
    Tensor m(Shape{1}, std::vector<float>{1.02f * smallestNormal}), v(Shape{1}, std::vector<float>{1.0f});
    AdamSettings adam;
    adam.step = 7;
    m_backend.adamUpdate(adam, g, m, v, w);
    QVERIFY2(m.at(0) == 0.0f, qPrintable(QString::number(m.at(0))));  // exact: QCOMPARE is fuzzy with floats
    QVERIFY(v.at(0) == 0.999f);
    QVERIFY(w.at(0) == 0.25f);

    Tensor velocity(Shape{1}, std::vector<float>{1.02f * smallestNormal});
    m_backend.momentumUpdate(0.1f, 0.9f, false, 0.0f, g, velocity, w);
    QVERIFY2(velocity.at(0) == 0.0f, qPrintable(QString::number(velocity.at(0))));
    QVERIFY(w.at(0) == 0.25f);

    volatile float here = 1.02f * smallestNormal;
    here = here * 0.9f;
    QCOMPARE(std::fpclassify(here), FP_SUBNORMAL);
  }

  void adamSplitByTensorRowsEqualsTheFlatUpdate() {
    // Two layers' weights and biases with padding between them, as a Network lays them out: split by the
    // tensors' rows over 2 or 3 threads, every weight and moment has the bits of the update over the whole range,
    // and the padding is left alone.
    const std::vector<WeightRows> tensors{{0, 70, 33}, {2320, 70, 1}, {2400, 10, 70}, {3104, 10, 1}};
    const std::int64_t size = 3120;
    auto random = [](std::uint64_t seed, float scale) {
      Rng rng(seed);
      Tensor t(Shape{3120});
      rng.fillNormal(t.mutableValues(), 0.0f, scale);
      return t;
    };
    const Tensor g = random(1, 0.1f), m0 = random(2, 0.01f), v = random(3, 0.01f), p0 = random(4, 1.0f);
    Tensor v0(v.shape());
    for (std::int64_t i = 0; i < size; ++i) v0.mutableData()[i] = std::fabs(v.at(i));
    AdamSettings flat;
    flat.step = 3;
    flat.weightDecay = 0.01f;
    Tensor mFlat = m0, vFlat = v0, pFlat = p0;
    CpuBackend(1).adamUpdate(flat, g, mFlat, vFlat, pFlat);
    for (int threads : {2, 3}) {
      AdamSettings split = flat;
      split.tensors = tensors;
      Tensor m = m0, vv = v0, p = p0;
      CpuBackend(threads).adamUpdate(split, g, m, vv, p);
      for (std::int64_t i = 0; i < size; ++i) {
        const bool inTensor = std::any_of(tensors.begin(), tensors.end(), [&](const WeightRows& t) {
          return i >= t.offset && i < t.offset + t.rows * t.columns;
        });
        const Tensor& wantP = inTensor ? pFlat : p0;
        const Tensor& wantM = inTensor ? mFlat : m0;
        const Tensor& wantV = inTensor ? vFlat : v0;
        if (std::memcmp(p.data() + i, wantP.data() + i, 4) != 0 || std::memcmp(m.data() + i, wantM.data() + i, 4) != 0 ||
            std::memcmp(vv.data() + i, wantV.data() + i, 4) != 0)
          QFAIL(qPrintable(QString("element %1 differs on %2 threads").arg(i).arg(threads)));
      }
    }
  }

  void adamwDecouplesDecay() {
    OptimizerSettings s;
    s.kind = "adamw";
    s.learningRate = 0.1;
    s.weightDecay = 0.1;
    auto opt = make(s);
    Tensor w(Shape{1}, std::vector<float>{2.0f});
    Tensor g(Shape{1}, std::vector<float>{0.0f});
    QVERIFY(opt->step(w, g).ok());
    // zero gradient: only the decoupled decay acts, w * (1 - lr wd)
    QVERIFY(std::fabs(w.at(0) - 2.0f * (1.0f - 0.01f)) < 1e-6f);
  }

  void rangesKeepTheirOwnStepCounts() {
    OptimizerSettings s;
    s.kind = "adam";
    s.learningRate = 0.1;
    auto opt = make(s);
    Tensor w(Shape{2}, std::vector<float>{0.0f, 0.0f});
    Tensor g(Shape{2}, std::vector<float>{1.0f, 1.0f});
    QVERIFY(opt->step(w, g, {0, 1}).ok());
    QVERIFY(opt->step(w, g, {0, 1}).ok());
    QVERIFY(opt->step(w, g, {1, 1}).ok());
    // Adam's first bias-corrected step is exactly -lr * sign(g) whatever came before on another range.
    QVERIFY(std::fabs(w.at(1) + 0.1f) < 1e-6f);
    QVERIFY(std::fabs(w.at(0) + 0.2f) < 1e-5f);
  }

  void nanGradientLeavesWeightsUnchanged() {
    for (const char* kind : {"sgd", "momentum", "adam", "adamw"}) {
      OptimizerSettings s;
      s.kind = kind;
      auto opt = make(s);
      Tensor w(Shape{3}, std::vector<float>{1, 2, 3});
      Tensor g(Shape{3}, std::vector<float>{0.1f, std::numeric_limits<float>::quiet_NaN(), 0.1f});
      Status status = opt->step(w, g);
      QVERIFY(!status.ok());
      QVERIFY(QString::fromStdString(status.message()).contains("NaN"));
      QCOMPARE(w.at(0), 1.0f);
      QCOMPARE(w.at(2), 3.0f);
    }
  }

  void knownFinitenessIsTrusted() {
    // A caller that saw the gradients stored (Network::gradientsFinite) spares the pass: told they are not finite,
    // the step refuses and changes nothing; told they are, it updates exactly as after its own check.
    OptimizerSettings s;
    s.kind = "adam";
    auto checked = make(s), told = make(s), refused = make(s);
    Tensor w1(Shape{3}, std::vector<float>{1, 2, 3}), w2 = w1, w3 = w1;
    Tensor g(Shape{3}, std::vector<float>{0.1f, -0.2f, 0.3f});
    QVERIFY(checked->step(w1, g).ok());
    QVERIFY(told->step(w2, g, {}, true).ok());
    QCOMPARE(w2.at(0), w1.at(0));
    QCOMPARE(w2.at(1), w1.at(1));
    QCOMPARE(w2.at(2), w1.at(2));
    const Status status = refused->step(w3, g, {}, false);
    QVERIFY(!status.ok());
    QVERIFY(QString::fromStdString(status.message()).contains("NaN"));
    QCOMPARE(w3.at(1), 2.0f);
    QVERIFY(refused->step(w3, g).ok());  // the refused step did not count: this one is step 1, as checked's was
    QCOMPARE(w3.at(1), w1.at(1));
  }

  void unknownOptimiserAndBadRateRefused() {
    OptimizerSettings s;
    s.kind = "rmsprop";
    QVERIFY(!Optimizer::create(s, m_backend).ok());
    s.kind = "sgd";
    s.learningRate = -1;
    QVERIFY(!Optimizer::create(s, m_backend).ok());
  }

  void schedules() {
    LearningRateSchedule cosine{"cosine", 0.1};
    QCOMPARE(cosine.factor(0.0), 1.0);
    QVERIFY(std::fabs(cosine.factor(0.5) - 0.55) < 1e-12);
    QVERIFY(std::fabs(cosine.factor(1.0) - 0.1) < 1e-12);
    LearningRateSchedule linear{"linear", 0.0};
    QVERIFY(std::fabs(linear.factor(0.25) - 0.75) < 1e-12);
    LearningRateSchedule step;
    step.kind = "step";
    step.stepEvery = 0.5;
    step.stepGamma = 0.1;
    QCOMPARE(step.factor(0.49), 1.0);
    QVERIFY(std::fabs(step.factor(0.5) - 0.1) < 1e-12);
    LearningRateSchedule warm;
    warm.kind = "warmup-cosine";
    warm.warmupFraction = 0.1;
    QVERIFY(warm.factor(0.0) < 0.05);
    QVERIFY(std::fabs(warm.factor(0.1) - 1.0) < 1e-9);
  }

  void gradientNoiseHasThePublishedVariance() {
    // With eta = 1 at t = 0 the noise is N(0, 1): a zero gradient through SGD with lr 1 moves the weights by it.
    OptimizerSettings s;
    s.kind = "sgd";
    s.learningRate = 1.0;
    s.gradientNoise = 1.0;
    auto opt = make(s);
    const int n = 20000;
    Tensor w(Shape{n}, 0.0f), g(Shape{n}, 0.0f);
    QVERIFY(opt->step(w, g).ok());
    const double variance = w.vector().cast<double>().squaredNorm() / n;
    QVERIFY2(std::fabs(variance - 1.0) < 0.05, qPrintable(QString::number(variance)));
    // At t = 1 the variance is 1 / 2^0.55.
    w.setZero();
    g.setZero();
    QVERIFY(opt->step(w, g).ok());
    const double second = w.vector().cast<double>().squaredNorm() / n;
    QVERIFY2(std::fabs(second - std::pow(2.0, -0.55)) < 0.05, qPrintable(QString::number(second)));
  }

  void clippingScalesToTheNorm() {
    Tensor g(Shape{2}, std::vector<float>{3.0f, 4.0f});
    const double before = clipGradientNorm(m_backend, g, 1.0);
    QCOMPARE(before, 5.0);
    QVERIFY(std::fabs(g.at(0) - 0.6f) < 1e-6f && std::fabs(g.at(1) - 0.8f) < 1e-6f);
  }
};

QTEST_APPLESS_MAIN(Optimizers)
#include "tst_optimizers.moc"

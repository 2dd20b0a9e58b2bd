// The Output node's losses: values against closed forms and gradients against finite differences.
#include <QtTest>

#include <cmath>

#include "core/backend/cpu/CpuBackend.h"
#include "core/model/LossFunction.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

class LossFunctionTest : public QObject {
  Q_OBJECT

 private:
  CpuBackend m_backend;

  Batch makeBatch(bool withTargets) {
    Batch batch;
    batch.inputs = Tensor(Shape{4, 1});
    batch.labels = Tensor(Shape{4}, std::vector<float>{0, 2, 1, 2});
    if (withTargets) batch.targets = randomTensor(Shape{4, 3}, 9);
    return batch;
  }

  void checkGradient(LossKind kind, bool withTargets) {
    LossFunction loss;
    const Batch batch = makeBatch(withTargets);
    Tensor logits = randomTensor(Shape{4, 3}, 3, 2.0f);
    Tensor gradient;
    loss.evaluate(m_backend, kind, logits, batch, &gradient);
    auto meanLoss = [&] { return loss.evaluate(m_backend, kind, logits, batch, nullptr).lossSum / 4.0; };
    const auto check = compareWithFiniteDifferences(logits.mutableValues(), gradient.values(), meanLoss, 1e-3);
    QVERIFY2(check.worstError < 1e-3, check.where.c_str());
  }

 private Q_SLOTS:
  void crossEntropyValue() {
    LossFunction loss;
    Batch batch = makeBatch(false);
    Tensor logits(Shape{4, 3}, std::vector<float>{1, 2, 3, 0, 0, 0, 5, 1, -1, 0, 0, 10});
    const LossResult r = loss.evaluate(m_backend, LossKind::CrossEntropy, logits, batch, nullptr);
    double expected = 0.0;
    const int labels[] = {0, 2, 1, 2};
    for (int n = 0; n < 4; ++n) {
      double total = 0.0;
      for (int c = 0; c < 3; ++c) total += std::exp(static_cast<double>(logits.matrix()(n, c)));
      expected += std::log(total) - logits.matrix()(n, labels[n]);
    }
    QVERIFY(std::fabs(r.lossSum - expected) < 1e-5);
    // Only the last row is right: row 2 ties (argmax takes the first, class 0) and the others point elsewhere.
    QCOMPARE(r.correct, std::int64_t{1});
  }

  void crossEntropyGradient() { checkGradient(LossKind::CrossEntropy, false); }
  void mseGradientAgainstTargets() { checkGradient(LossKind::MeanSquaredError, true); }
  void mseGradientAgainstOneHotLabels() { checkGradient(LossKind::MeanSquaredError, false); }

  void mseValue() {
    LossFunction loss;
    Batch batch;
    batch.inputs = Tensor(Shape{2, 1});
    batch.targets = Tensor(Shape{2, 2}, std::vector<float>{1, 0, 0, 1});
    Tensor out(Shape{2, 2}, std::vector<float>{0.5f, 0.0f, 1.0f, 3.0f});
    const LossResult r = loss.evaluate(m_backend, LossKind::MeanSquaredError, out, batch, nullptr);
    QVERIFY(std::fabs(r.lossSum - 0.5 * (0.25 + 1.0 + 4.0)) < 1e-6);
    QCOMPARE(r.correct, std::int64_t{2});  // both rows peak where their targets do
  }
};

QTEST_APPLESS_MAIN(LossFunctionTest)
#include "tst_loss_function.moc"

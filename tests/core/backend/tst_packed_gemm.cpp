// The packed-weights GEMM (core/backend/cpu/PackedGemm.h) and the CPU backend's weight-reuse scope: products
// against a double-precision reference on edge shapes (tiles, panels and k blocks cut short), strided operands,
// rows that give the same bits alone or in any batch and at any thread count, and a cache that never hands out
// a packed copy of weights written since. The kernel itself is AVX-512 only; without it the tests run the
// packing with the portable kernel (the same sums) and check that the backend keeps to OpenBLAS.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <optional>
#include <tuple>

#include "core/backend/cpu/CpuBackend.h"
#include "core/backend/cpu/PackedGemm.h"
#include "core/lrp/Composite.h"
#include "core/lrp/Explainer.h"
#include "tests/core/backend/DeviceTestSupport.h"
#include "tests/support/TestSupport.h"

using namespace ffn;
using namespace ffn::test;

namespace {

// op(A) [m, k] * op(B) [k, n] in double; A stored with row stride lda, B [n, k] (transposed) or [k, n].
std::vector<double> reference(const float* a, std::int64_t lda, const float* b, std::int64_t ldb, bool transposed,
                              std::int64_t m, std::int64_t n, std::int64_t k) {
  std::vector<double> c(static_cast<std::size_t>(m * n), 0.0);
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      double sum = 0.0;
      for (std::int64_t kk = 0; kk < k; ++kk)
        sum += static_cast<double>(a[i * lda + kk]) * (transposed ? b[j * ldb + kk] : b[kk * ldb + j]);
      c[static_cast<std::size_t>(i * n + j)] = sum;
    }
  return c;
}

// Largest |got - want| over C [m, n] (row stride ldc), relative to sqrt(k) (the sums' rounding grows with k; the
// inputs are N(0, 1)).
double worstError(const float* c, std::int64_t ldc, const std::vector<double>& want, std::int64_t m, std::int64_t n,
                  std::int64_t k) {
  double worst = 0.0;
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      worst = std::max(worst, std::abs(c[i * ldc + j] - want[static_cast<std::size_t>(i * n + j)]));
  return worst / std::sqrt(static_cast<double>(std::max<std::int64_t>(k, 1)));
}

bool sameBits(std::span<const float> x, std::span<const float> y) {
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

}  // namespace

class PackedGemmTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void multiplyMatchesReference_data();
  void multiplyMatchesReference();
  void panelRangesAndStridesWriteOnlyTheirPart();
  void aRowHasTheSameBitsAloneAsInABatch();
  void fusedStoresMatchSeparatePasses_data();
  void fusedStoresMatchSeparatePasses();
  void divisorInTheStore();
  void backendScopeMatchesOpenBlasAndIgnoresThreadCount();
  void productsOutsideTheScope_data();
  void productsOutsideTheScope();
  void writtenWeightsAreRepacked();
  void cacheKeepsToItsBudget();
  void epilogueSeesEveryBlock();
  void explainerReusesItsPackedWeights();
};

void PackedGemmTest::multiplyMatchesReference_data() {
  QTest::addColumn<int>("m");
  QTest::addColumn<int>("n");
  QTest::addColumn<int>("k");
  QTest::addColumn<bool>("transposed");
  // Around the tile's 14 rows and 98-row blocks, the 32-column panels, the 16-wide A transposes and 256-deep k
  // blocks; and the MLP's own shapes.
  for (bool transposed : {true, false})
    for (auto [m, n, k] : {std::tuple{1, 1, 1}, {13, 31, 15}, {14, 32, 16}, {15, 33, 17}, {99, 70, 255},
                           {28, 10, 256}, {197, 64, 257}, {30, 256, 784}, {3, 784, 256}, {5, 7, 0}})
      QTest::newRow(qPrintable(QString("%1x%2x%3 %4").arg(m).arg(n).arg(k).arg(transposed ? "NT" : "NN")))
          << m << n << k << transposed;
}

void PackedGemmTest::multiplyMatchesReference() {
  QFETCH(int, m);
  QFETCH(int, n);
  QFETCH(int, k);
  QFETCH(bool, transposed);
  const Tensor a = randomTensor(Shape{m, std::max(k, 1)}, 1);
  const Tensor b = randomTensor(transposed ? Shape{n, std::max(k, 1)} : Shape{std::max(k, 1), n}, 2);
  const std::int64_t ldb = transposed ? std::max(k, 1) : n;
  packed::PackedMatrix packedB;
  packedB.pack(b.data(), ldb, transposed, k, n);
  QCOMPARE(packedB.panels(), (n + 31) / 32);
  Tensor c(Shape{m, n}, std::nanf(""));  // written, never read: NaN must not survive
  packed::multiply(a.data(), a.cols(), m, packedB, 0, packedB.panels(), c.mutableData(), n);
  const double error = worstError(c.data(), n, reference(a.data(), a.cols(), b.data(), ldb, transposed, m, n, k), m, n, k);
  QVERIFY2(error < 1e-5, qPrintable(QString("worst error %1").arg(error)));
}

void PackedGemmTest::panelRangesAndStridesWriteOnlyTheirPart() {
  // A and C as column ranges of wider matrices; panels [1, 3) only: C's other columns and its padding untouched.
  const std::int64_t m = 20, n = 100, k = 40, lda = 50, ldc = 120;
  const Tensor a = randomTensor(Shape{m, lda}, 3);
  const Tensor b = randomTensor(Shape{n, k}, 4);
  packed::PackedMatrix packedB;
  packedB.pack(b.data(), k, true, k, n);
  Tensor c(Shape{m, ldc}, 7.0f);
  std::vector<std::pair<std::int64_t, std::int64_t>> blocks;
  packed::multiply(a.data() + 3, lda, m, packedB, 1, 3, c.mutableData(), ldc, {}, {},
                   [&](std::int64_t begin, std::int64_t rows) { blocks.emplace_back(begin, rows); });
  QCOMPARE(blocks.size(), std::size_t{1});
  QCOMPARE(blocks[0], std::make_pair(std::int64_t{0}, m));
  const std::vector<double> want = reference(a.data() + 3, lda, b.data(), k, true, m, n, k);
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < ldc; ++j) {
      const float got = c.data()[i * ldc + j];
      if (j >= 32 && j < 96)
        QVERIFY(std::abs(got - want[static_cast<std::size_t>(i * n + j)]) < 1e-4);
      else
        QCOMPARE(got, 7.0f);
    }
}

void PackedGemmTest::aRowHasTheSameBitsAloneAsInABatch() {
  const std::int64_t m = 230, n = 50, k = 300;
  const Tensor a = randomTensor(Shape{m, k}, 5);
  const Tensor b = randomTensor(Shape{n, k}, 6);
  packed::PackedMatrix packedB;
  packedB.pack(b.data(), k, true, k, n);
  Tensor batch(Shape{m, n}), alone(Shape{1, n});
  packed::multiply(a.data(), k, m, packedB, 0, packedB.panels(), batch.mutableData(), n);
  for (std::int64_t row : {0, 13, 14, 97, 98, 229}) {
    packed::multiply(a.data() + row * k, k, 1, packedB, 0, packedB.panels(), alone.mutableData(), n);
    QVERIFY2(sameBits(alone.values(), batch.values().subspan(static_cast<std::size_t>(row * n), n)),
             qPrintable(QString("row %1").arg(row)));
  }
  // A panel of at most 16 columns goes through a kernel one vector wide: the same bits as those columns inside a
  // whole panel (B's first 48 of 50 rows: the last panel 16 wide; 40: 8 wide).
  for (std::int64_t narrow : {48, 40}) {
    packed::PackedMatrix fewer;
    fewer.pack(b.data(), k, true, k, narrow);
    Tensor part(Shape{m, narrow});
    packed::multiply(a.data(), k, m, fewer, 0, fewer.panels(), part.mutableData(), narrow);
    for (std::int64_t row = 0; row < m; ++row)
      QVERIFY2(sameBits(part.values().subspan(static_cast<std::size_t>(row * narrow), narrow),
                        batch.values().subspan(static_cast<std::size_t>(row * n), narrow)),
               qPrintable(QString("%1 columns, row %2").arg(narrow).arg(row)));
  }
  // A partial last tile goes through a kernel of its own height (every height from 1 to 13 here, some behind
  // whole tiles): the same bits as those rows inside whole tiles.
  for (std::int64_t rows = 1; rows < 28; ++rows) {
    Tensor part(Shape{rows, n}, std::nanf(""));
    packed::multiply(a.data() + 70 * k, k, rows, packedB, 0, packedB.panels(), part.mutableData(), n);
    QVERIFY2(sameBits(part.values(), batch.values().subspan(static_cast<std::size_t>(70 * n), rows * n)),
             qPrintable(QString("%1 rows").arg(rows)));
  }
}

void PackedGemmTest::fusedStoresMatchSeparatePasses_data() {
  QTest::addColumn<int>("m");
  QTest::addColumn<int>("n");
  QTest::addColumn<int>("k");
  for (auto [m, n, k] : {std::tuple{15, 45, 33}, {100, 64, 1100}, {3, 20, 0}})  // 1100: two k blocks
    QTest::newRow(qPrintable(QString("%1x%2x%3").arg(m).arg(n).arg(k))) << m << n << k;
}

void PackedGemmTest::fusedStoresMatchSeparatePasses() {
  // C = (A op(B) + bias) * factor, relu = max(C, 0), with strided factor and relu; NaN in the factor reaches C
  // and gives 0 in relu (as Eigen's ReLU on the CPU backend does).
  QFETCH(int, m);
  QFETCH(int, n);
  QFETCH(int, k);
  const Tensor a = randomTensor(Shape{m, std::max(k, 1)}, 15), b = randomTensor(Shape{n, std::max(k, 1)}, 16);
  const Tensor bias = randomTensor(Shape{n}, 17);
  Tensor factor = randomTensor(Shape{m, n + 5}, 18);
  factor.mutableData()[n + 5 + 2] = std::nanf("");  // row 1, column 2
  packed::PackedMatrix packedB;
  packedB.pack(b.data(), b.cols(), true, k, n);
  Tensor c(Shape{m, n}), relu(Shape{m, n + 3}, 9.0f);
  packed::multiply(a.data(), a.cols(), m, packedB, 0, packedB.panels(), c.mutableData(), n, {},
                   packed::FusedStore{.bias = bias.data(), .factor = factor.data(), .factorStride = n + 5,
                                      .relu = relu.mutableData(), .reluStride = n + 3});
  const std::vector<double> product = reference(a.data(), a.cols(), b.data(), b.cols(), true, m, n, k);
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      const double f = factor.data()[i * (n + 5) + j];
      const double want = (product[static_cast<std::size_t>(i * n + j)] + bias.data()[j]) * f;
      const float got = c.data()[i * n + j], gotRelu = relu.data()[i * (n + 3) + j];
      if (std::isnan(f)) {
        QVERIFY(std::isnan(got));
        QVERIFY(gotRelu == 0.0f);  // exact: QCOMPARE takes floats within 1e-5 of zero as zero
        continue;
      }
      QVERIFY2(std::abs(got - want) < 1e-4 * std::sqrt(std::max(k, 1)), qPrintable(QString("(%1, %2)").arg(i).arg(j)));
      QVERIFY(gotRelu == std::max(got, 0.0f));
    }
  for (std::int64_t i = 0; i < m; ++i)  // relu's padding columns untouched
    for (std::int64_t j = n; j < n + 3; ++j) QCOMPARE(relu.data()[i * (n + 3) + j], 9.0f);
}

void PackedGemmTest::divisorInTheStore() {
  // C = (A op(B) * factor) / (d + eps sign d), sign(0) = +1, 0 where that is 0 (eps = 0 and d = 0); d strided.
  const std::int64_t m = 15, n = 45, k = 33;
  const Tensor a = randomTensor(Shape{m, k}, 19), b = randomTensor(Shape{n, k}, 20);
  const Tensor factor = randomTensor(Shape{m, n}, 21);
  Tensor divisor = randomTensor(Shape{m, n + 2}, 22);
  for (std::int64_t j = 0; j < n; j += 5) divisor.mutableData()[(n + 2) + j] = 0.0f;  // row 1
  packed::PackedMatrix packedB;
  packedB.pack(b.data(), k, true, k, n);
  const std::vector<double> product = reference(a.data(), k, b.data(), k, true, m, n, k);
  for (float eps : {0.1f, 0.0f}) {
    Tensor c(Shape{m, n});
    packed::multiply(a.data(), k, m, packedB, 0, packedB.panels(), c.mutableData(), n, {},
                     packed::FusedStore{.factor = factor.data(), .factorStride = n, .divisor = divisor.data(),
                                        .divisorStride = n + 2, .stabilizer = eps});
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        const double z = divisor.data()[i * (n + 2) + j], d = z + (z >= 0.0 ? eps : -eps);
        const double want = d != 0.0 ? product[static_cast<std::size_t>(i * n + j)] * factor.data()[i * n + j] / d : 0.0;
        QVERIFY2(std::abs(c.data()[i * n + j] - want) < 1e-4 * std::max(1.0, std::abs(want)),
                 qPrintable(QString("eps %1 (%2, %3)").arg(eps).arg(i).arg(j)));
      }
  }
}

void PackedGemmTest::backendScopeMatchesOpenBlasAndIgnoresThreadCount() {
  // "plain": outside the scope (OpenBLAS, or the kernel packing per call); inside: packed once and kept.
  const Tensor x = randomTensor(Shape{300, 784}, 7), w = randomTensor(Shape{256, 784}, 8, 0.05f);
  std::vector<std::int64_t> packs;
  auto product = [&](int threads, bool reuse) {
    CpuBackend backend(threads);
    Tensor y(Shape{300, 256});
    std::optional<WeightReuseScope> scope;
    if (reuse) scope.emplace(backend);
    backend.gemm(Transpose::No, Transpose::Yes, 1.0f, x, w, 0.0f, y);
    packs.push_back(backend.packedWeights().packs());
    return y;
  };
  const Tensor plain = product(1, false), one = product(1, true), two = product(2, true);
  const std::int64_t packed = packed::available() ? 1 : 0;
  QCOMPARE(packs, (std::vector<std::int64_t>{0, packed, packed}));
  QVERIFY(normalisedMse(one.values(), plain.values()) < 1e-12);
  if (!packed::available()) QSKIP("no AVX-512 in this build: the backend keeps to OpenBLAS inside the scope");
  QVERIFY(sameBits(one.values(), two.values()));
}

void PackedGemmTest::productsOutsideTheScope_data() {
  QTest::addColumn<int>("m");
  QTest::addColumn<int>("n");
  QTest::addColumn<int>("k");
  QTest::addColumn<bool>("transposedA");
  QTest::addColumn<bool>("transposedB");
  QTest::addColumn<float>("beta");
  // A training step's products: forward x W^T (panel split, each thread packing its panels), input gradient
  // dy W, weight gradient dy^T x written or added to; few rows and many (row split); a narrow output.
  const std::tuple<int, int, int, bool, bool, float> cases[] = {
      {128, 256, 784, false, true, 0.0f}, {128, 256, 256, false, false, 0.0f}, {256, 784, 128, true, false, 0.0f},
      {256, 100, 128, true, false, 1.0f}, {10, 256, 128, true, false, 0.0f},  {500, 40, 300, false, true, 0.0f},
      {128, 10, 256, false, true, 1.0f},  {3, 33, 17, true, true, 0.0f}};
  for (auto [m, n, k, ta, tb, beta] : cases)
    QTest::newRow(qPrintable(QString("%1x%2x%3 %4%5 beta %6").arg(m).arg(n).arg(k).arg(ta ? "T" : "N").arg(tb ? "T" : "N").arg(beta)))
        << m << n << k << ta << tb << beta;
}

void PackedGemmTest::productsOutsideTheScope() {
  // Training's products (no weight-reuse scope): op(b) packed per call. Against a double reference, the operands
  // as column ranges of wider matrices; the same bits at 1 and 2 threads.
  QFETCH(int, m);
  QFETCH(int, n);
  QFETCH(int, k);
  QFETCH(bool, transposedA);
  QFETCH(bool, transposedB);
  QFETCH(float, beta);
  const Tensor aWide = randomTensor(transposedA ? Shape{k, m + 3} : Shape{m, k + 3}, 21);
  const Tensor bWide = randomTensor(transposedB ? Shape{n, k + 2} : Shape{k, n + 2}, 22);
  const TensorView a = TensorView(aWide).columnRange(1, transposedA ? m : k);
  const TensorView b = TensorView(bWide).columnRange(2, transposedB ? k : n);
  const Tensor before = randomTensor(Shape{m, n + 1}, 23);
  // op(a) as [m, k] and op(b) as [n, k] for the reference.
  std::vector<float> opA(static_cast<std::size_t>(m * k)), opBt(static_cast<std::size_t>(n * k));
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t kk = 0; kk < k; ++kk)
      opA[static_cast<std::size_t>(i * k + kk)] = transposedA ? a.data()[kk * a.rowStride() + i] : a.data()[i * a.rowStride() + kk];
  for (std::int64_t j = 0; j < n; ++j)
    for (std::int64_t kk = 0; kk < k; ++kk)
      opBt[static_cast<std::size_t>(j * k + kk)] = transposedB ? b.data()[j * b.rowStride() + kk] : b.data()[kk * b.rowStride() + j];
  const std::vector<double> product = reference(opA.data(), k, opBt.data(), k, true, m, n, k);
  std::vector<Tensor> results;
  for (int threads : {1, 2}) {
    CpuBackend backend(threads);
    Tensor cWide = before;
    const TensorView c = TensorView(cWide).columnRange(1, n);
    backend.gemm(transposedA ? Transpose::Yes : Transpose::No, transposedB ? Transpose::Yes : Transpose::No, 1.0f, a, b,
                 beta, c);
    double worst = 0.0;
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n + 1; ++j) {
        const float got = cWide.data()[i * (n + 1) + j], old = before.data()[i * (n + 1) + j];
        if (j == 0) {
          QCOMPARE(got, old);  // outside the view
          continue;
        }
        worst = std::max(worst, std::abs(got - (product[static_cast<std::size_t>(i * n + j - 1)] + beta * old)));
      }
    QVERIFY2(worst < 1e-4 * std::sqrt(k), qPrintable(QString("%1 thread(s): worst error %2").arg(threads).arg(worst)));
    QCOMPARE(backend.packedWeights().packs(), 0);  // nothing kept outside the scope
    results.push_back(cWide);
  }
  if (!CpuBackend(1).packsEveryProduct()) QSKIP("products on OpenBLAS here: its bits follow the thread count");
  QVERIFY(sameBits(results[0].values(), results[1].values()));
}

void PackedGemmTest::writtenWeightsAreRepacked() {
  if (!packed::available()) QSKIP("no AVX-512 in this build: no packed weights to keep");
  CpuBackend backend(2);
  const WeightReuseScope reuse(backend);
  const Tensor x = randomTensor(Shape{64, 40}, 9);
  Tensor w = randomTensor(Shape{40, 70}, 10);  // used as it is: s W
  Tensor y(Shape{64, 70}), first(Shape{64, 70});
  backend.gemm(Transpose::No, Transpose::No, 1.0f, x, w, 0.0f, first);
  backend.gemm(Transpose::No, Transpose::No, 1.0f, x, w, 0.0f, y);
  QCOMPARE(backend.packedWeights().packs(), 1);
  QCOMPARE(backend.packedWeights().hits(), 1);
  QVERIFY(sameBits(y.values(), first.values()));

  // Written through a backend op, then by hand: each time the product follows the new values.
  backend.scale(2.0f, w);
  backend.gemm(Transpose::No, Transpose::No, 1.0f, x, w, 0.0f, y);
  for (std::size_t i = 0; i < y.values().size(); ++i) QCOMPARE(y.values()[i], 2.0f * first.values()[i]);
  w.mutableData()[0] = 0.0f;
  backend.gemm(Transpose::No, Transpose::No, 1.0f, x, w, 0.0f, y);
  const std::vector<double> want = reference(x.data(), 40, w.data(), 70, false, 64, 70, 40);
  QVERIFY(worstError(y.data(), 70, want, 64, 70, 40) < 1e-5);
  QCOMPARE(backend.packedWeights().packs(), 3);

  // The same values read as W^T ([70, 40] transposed) are another entry; the [40, 70] view is the one kept.
  backend.gemm(Transpose::No, Transpose::Yes, 1.0f, x, TensorView(w, 0, Shape{70, 40}), 0.0f, y);
  backend.gemm(Transpose::No, Transpose::No, 1.0f, x, TensorView(w, 0, Shape{40, 70}), 0.0f, y);
  QCOMPARE(backend.packedWeights().packs(), 4);
  QCOMPARE(backend.packedWeights().entries(), std::size_t{2});
}

void PackedGemmTest::cacheKeepsToItsBudget() {
  // Three weights of 400 KB packed in a 1 MB budget: the least recently used goes, the one just packed stays,
  // and asking for the evicted one again packs it again.
  PackedWeightsCache cache(std::size_t{1} << 20);
  const Tensor w1 = randomTensor(Shape{100, 1024}, 31), w2 = randomTensor(Shape{100, 1024}, 32),
               w3 = randomTensor(Shape{100, 1024}, 33);
  cache.get(w1, false);
  cache.get(w2, false);
  cache.get(w1, false);  // w1 is now more recent than w2
  QCOMPARE(cache.entries(), std::size_t{2});
  cache.get(w3, false);  // over budget: w2 goes
  QCOMPARE(cache.entries(), std::size_t{2});
  QCOMPARE(cache.packs(), 3);
  cache.get(w1, false);
  cache.get(w3, false);
  QCOMPARE(cache.packs(), 3);  // both still there
  const packed::PackedMatrix& again = cache.get(w2, false);
  QCOMPARE(cache.packs(), 4);
  QCOMPARE(again.k(), 100);
  QCOMPARE(again.n(), 1024);
  QCOMPARE(again.panelRow(1, 2)[3], w2.data()[2 * 1024 + 32 + 3]);
}

void PackedGemmTest::epilogueSeesEveryBlock() {
  // linearForward's bias and activation run per block after its product: inside the scope (row blocks, then
  // panel splits for few rows) they must reach every element, as outside it.
  const Tensor w = randomTensor(Shape{100, 60}, 11), bias = randomTensor(Shape{100}, 12);
  for (std::int64_t rows : {3, 40, 500}) {
    const Tensor x = randomTensor(Shape{rows, 60}, 13);
    auto forward = [&](bool reuse) {
      CpuBackend backend(2);
      std::optional<WeightReuseScope> scope;
      if (reuse) scope.emplace(backend);
      Tensor y(Shape{rows, 100}), activated(Shape{rows, 100}, std::nanf(""));
      const FusedActivation relu{ActivationKind::ReLU, 0.0f, activated};
      const TensorView biasView(bias);
      backend.linearForward(x, w, &biasView, y, &relu);
      return activated;
    };
    const Tensor inside = forward(true), outside = forward(false);
    QVERIFY2(normalisedMse(inside.values(), outside.values()) < 1e-12, qPrintable(QString("%1 rows").arg(rows)));
  }
}

void PackedGemmTest::explainerReusesItsPackedWeights() {
  // Two explanations with unchanged weights: the second packs nothing (neither the network's weights nor the
  // z+ rule's changed copies are remade); after a training-like write, the next one packs again and follows.
  if (!packed::available()) QSKIP("no AVX-512 in this build: no packed weights to keep");
  CpuBackend backend(2);
  auto net = Network::compile(chainGraph(Shape{30}, {{"Dense", {{"units", 20}}}, {"ReLU"}, {"Dense", {{"units", 20}}},
                                                     {"ReLU"}, {"Dense", {{"units", 4}}}}),
                              backend);
  QVERIFY(net.ok());
  (*net)->initializeWeights(5);
  auto explainer = Explainer::create(**net, *Composite::preset("epsilon-plus"), ExplanationTarget::logits());
  QVERIFY(explainer.ok());
  const Tensor x = randomTensor(Shape{50, 30}, 14);
  auto first = (*explainer)->explain(x, ClassChoice::predicted());
  QVERIFY(first.ok());
  const std::int64_t packsAfterFirst = backend.packedWeights().packs();
  QVERIFY(packsAfterFirst > 0);
  auto second = (*explainer)->explain(x, ClassChoice::predicted());
  QVERIFY(second.ok());
  QCOMPARE(backend.packedWeights().packs(), packsAfterFirst);
  QVERIFY(sameBits(first->relevance.values(), second->relevance.values()));

  // One sample alone gives the bits it has in the batch.
  const Tensor one(Shape{1, 30}, x.values().subspan(30 * 17, 30));
  auto alone = (*explainer)->explain(one, ClassChoice::given({first->classes[17]}));
  QVERIFY(alone.ok());
  QVERIFY(sameBits(alone->relevance.values(), first->relevance.values().subspan(30 * 17, 30)));

  backend.scale(-1.0f, (*net)->weights());
  auto flipped = (*explainer)->explain(x, ClassChoice::given(first->classes));
  QVERIFY(flipped.ok());
  QVERIFY(backend.packedWeights().packs() > packsAfterFirst);
  auto fresh = Explainer::create(**net, *Composite::preset("epsilon-plus"), ExplanationTarget::logits());
  QVERIFY(fresh.ok());
  auto want = (*fresh)->explain(x, ClassChoice::given(first->classes));
  QVERIFY(want.ok());
  QVERIFY(sameBits(flipped->relevance.values(), want->relevance.values()));
}

QTEST_GUILESS_MAIN(PackedGemmTest)
#include "tst_packed_gemm.moc"

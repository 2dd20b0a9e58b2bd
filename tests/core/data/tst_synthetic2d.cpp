// Synthetic2d: every set is deterministic for its seed, balanced, two-dimensional and inside [-1.5, 1.5], and has
// the geometry its name promises.
#include <QtTest>
#include <cmath>
#include <cstring>

#include "core/data/Synthetic2d.h"

using namespace ffn;

class Synthetic2dTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void determinism_data();
  void determinism();
  void shapesBalanceAndRange_data();
  void shapesBalanceAndRange();
  void geometryWithoutNoise();
  void errors();
};

namespace {

std::unique_ptr<TensorDataset> generate(const std::string& kind, std::int64_t samples, double noise, int classes,
                                        std::uint64_t seed) {
  Synthetic2dOptions options;
  options.kind = kind;
  options.samples = samples;
  options.noise = noise;
  options.classes = classes;
  options.seed = seed;
  auto data = Synthetic2d::generate(options);
  if (!data) {
    qWarning("%s", data.message().c_str());
    return nullptr;
  }
  return std::move(data).value();
}

bool sameBytes(const TensorDataset& a, const TensorDataset& b) {
  const auto x = a.features(), y = b.features();
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size_bytes()) == 0;
}

}  // namespace

void Synthetic2dTest::determinism_data() {
  QTest::addColumn<QString>("kind");
  for (const auto& kind : Synthetic2d::kinds()) QTest::newRow(kind.c_str()) << QString::fromStdString(kind);
}

void Synthetic2dTest::determinism() {
  QFETCH(QString, kind);
  const std::string k = kind.toStdString();
  auto a = generate(k, 300, 0.1, 3, 7), b = generate(k, 300, 0.1, 3, 7), c = generate(k, 300, 0.1, 3, 8);
  QVERIFY(a && b && c);
  QVERIFY(sameBytes(*a, *b));
  QVERIFY(!sameBytes(*a, *c));
  // Even without noise a different seed places the points differently (blobs excepted: noise is their spread).
  auto d = generate(k, 300, 0.0, 3, 7), e = generate(k, 300, 0.0, 3, 8);
  QVERIFY(d && e);
  QCOMPARE(sameBytes(*d, *e), k == "blobs");
}

void Synthetic2dTest::shapesBalanceAndRange_data() {
  QTest::addColumn<QString>("kind");
  QTest::addColumn<int>("classes");
  QTest::addColumn<int>("expectedClasses");
  QTest::newRow("spiral 3") << "spiral" << 3 << 3;
  QTest::newRow("spiral 5") << "spiral" << 5 << 5;
  QTest::newRow("circles") << "circles" << 7 << 2;  // fixed two-class sets ignore `classes`
  QTest::newRow("xor") << "xor" << 3 << 2;
  QTest::newRow("blobs 4") << "blobs" << 4 << 4;
  QTest::newRow("moons") << "moons" << 3 << 2;
}

void Synthetic2dTest::shapesBalanceAndRange() {
  QFETCH(QString, kind);
  QFETCH(int, classes);
  QFETCH(int, expectedClasses);
  const std::int64_t samples = 601;  // not a multiple of the class count
  auto data = generate(kind.toStdString(), samples, 0.05, classes, 3);
  QVERIFY(data);
  QCOMPARE(data->size(), samples);
  QCOMPARE(data->sampleShape(), (Shape{2}));
  QCOMPARE(data->classCount(), expectedClasses);
  QCOMPARE(static_cast<int>(data->classNames().size()), expectedClasses);
  std::vector<int> counts(static_cast<std::size_t>(expectedClasses), 0);
  for (std::int64_t i = 0; i < samples; ++i) ++counts[static_cast<std::size_t>(data->label(i))];
  const auto [fewest, most] = std::minmax_element(counts.begin(), counts.end());
  QVERIFY2(*most - *fewest <= 1, "classes are not balanced");
  for (float v : data->features()) QVERIFY2(std::fabs(v) <= 1.5f, qPrintable(QString::number(v)));
}

void Synthetic2dTest::geometryWithoutNoise() {
  auto circles = generate("circles", 200, 0.0, 2, 1);
  QVERIFY(circles);
  for (std::int64_t i = 0; i < circles->size(); ++i) {
    const auto p = circles->features(i);
    const float radius = std::hypot(p[0], p[1]);
    QVERIFY(std::fabs(radius - (circles->label(i) == 0 ? 0.5f : 1.0f)) < 1e-5f);
  }
  auto xorSet = generate("xor", 200, 0.0, 2, 1);
  QVERIFY(xorSet);
  for (std::int64_t i = 0; i < xorSet->size(); ++i) {
    const auto p = xorSet->features(i);
    QCOMPARE(p[0] * p[1] > 0.0f, xorSet->label(i) == 0);
  }
  auto blobs = generate("blobs", 40, 0.0, 4, 1);
  QVERIFY(blobs);
  for (std::int64_t i = 0; i < blobs->size(); ++i) {
    const auto p = blobs->features(i);
    QVERIFY(std::fabs(std::hypot(p[0], p[1]) - 1.0f) < 1e-5f);  // every centre on the unit circle
  }
  auto spiral = generate("spiral", 300, 0.0, 3, 1);
  QVERIFY(spiral);
  for (std::int64_t i = 0; i < spiral->size(); ++i) QVERIFY(std::hypot(spiral->features(i)[0], spiral->features(i)[1]) <= 1.0f);
}

void Synthetic2dTest::errors() {
  Synthetic2dOptions options;
  options.kind = "torus";
  auto unknown = Synthetic2d::generate(options);
  QVERIFY(!unknown.ok());
  QVERIFY2(unknown.message().find("unknown synthetic data set 'torus'") != std::string::npos, unknown.message().c_str());
  options.kind = "spiral";
  options.samples = 2;
  auto tooFew = Synthetic2d::generate(options);
  QVERIFY(!tooFew.ok());
  QVERIFY2(tooFew.message().find("samples must be between 3") != std::string::npos, tooFew.message().c_str());
  options.samples = 100;
  options.noise = -0.5;
  auto negative = Synthetic2d::generate(options);
  QVERIFY(!negative.ok());
  QVERIFY2(negative.message().find("noise must be between 0 and 10") != std::string::npos, negative.message().c_str());
}

QTEST_APPLESS_MAIN(Synthetic2dTest)
#include "tst_synthetic2d.moc"

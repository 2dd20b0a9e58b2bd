// The permutation task: the permutation, the basis-vector training set, both test sets with their L2
// normalisation and permuted targets, determinism, and the "permutation" data kind through loadData.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <set>

#include "core/data/DataSpec.h"
#include "core/data/LoadedData.h"
#include "core/data/PermutationTask.h"

using namespace ffn;

namespace {

PermutationTask make(int k, PermutationTest test, std::uint64_t seed, std::int64_t samples = 1000) {
  PermutationTaskOptions options;
  options.k = k;
  options.test = test;
  options.seed = seed;
  options.testSamples = samples;
  auto task = PermutationTask::generate(options);
  if (!task) qFatal("%s", task.message().c_str());
  return std::move(task).value();
}

// The 0/1 pattern of an L2-normalised input: every nonzero entry must be 1/sqrt(ones).
std::vector<float> bitsOf(std::span<const float> x) {
  int ones = 0;
  for (float v : x) ones += v != 0.0f;
  std::vector<float> bits;
  for (float v : x) {
    if (v != 0.0f && std::fabs(v - 1.0f / std::sqrt(static_cast<float>(ones))) > 1e-6f) return {};
    bits.push_back(v != 0.0f ? 1.0f : 0.0f);
  }
  return bits;
}

// Checks every row: unit length, a 0/1 pattern with the expected number of ones (0 = any), targets = P pattern.
// Returns the distinct patterns, or an empty set when a row fails.
std::set<std::vector<float>> checkedPatterns(const TensorDataset& data, const std::vector<int>& perm, int ones) {
  std::set<std::vector<float>> distinct;
  for (std::int64_t r = 0; r < data.size(); ++r) {
    const auto bits = bitsOf(data.features(r));
    if (bits.size() != perm.size()) return {};
    double norm = 0.0;
    for (float v : data.features(r)) norm += static_cast<double>(v) * v;
    const auto expected = PermutationTask::apply(perm, bits.data());
    const auto y = data.targets(r);
    if (std::fabs(norm - 1.0) > 1e-6 ||
        (ones && std::count(bits.begin(), bits.end(), 1.0f) != ones) || !std::equal(expected.begin(), expected.end(), y.begin()))
      return {};
    distinct.insert(bits);
  }
  return distinct;
}

}  // namespace

class PermutationTaskTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void trainingSetIsTheBasisWithPermutedTargets() {
    auto task = make(12, PermutationTest::TwoHot, 3);
    const auto& perm = task.permutation();
    QCOMPARE(std::set<int>(perm.begin(), perm.end()).size(), std::size_t{12});
    int fixed = 0;
    for (int i = 0; i < 12; ++i) fixed += perm[static_cast<std::size_t>(i)] == i;
    QVERIFY(fixed < 12);  // not the identity
    auto train = task.takeTrainSet();
    QCOMPARE(train->size(), std::int64_t{12});
    QCOMPARE(train->classCount(), 0);
    QVERIFY(train->hasTargets());
    for (std::int64_t i = 0; i < 12; ++i) {
      const auto x = train->features(i);
      const auto y = train->targets(i);
      for (std::int64_t j = 0; j < 12; ++j) {
        QCOMPARE(x[static_cast<std::size_t>(j)], i == j ? 1.0f : 0.0f);
        // y = P e_i: bit j is set where perm[j] == i
        QCOMPARE(y[static_cast<std::size_t>(j)], perm[static_cast<std::size_t>(j)] == i ? 1.0f : 0.0f);
      }
    }
  }

  void twoHotTestInputsAreNormalisedWithPermutedTargets() {
    auto task = make(10, PermutationTest::TwoHot, 5, 1000);
    const auto perm = task.permutation();
    auto test = task.takeTestSet();
    QCOMPARE(test->size(), std::int64_t{1000});
    const auto distinct = checkedPatterns(*test, perm, 2);
    QCOMPARE(distinct.size(), std::size_t{45});  // 1000 draws cover all 10 choose 2 pairs
  }

  void allTestInputsAreEveryNonzeroPattern() {
    auto task = make(6, PermutationTest::All, 9);
    const auto perm = task.permutation();
    auto test = task.takeTestSet();
    QCOMPARE(test->size(), std::int64_t{63});
    const auto distinct = checkedPatterns(*test, perm, 0);
    QCOMPARE(distinct.size(), std::size_t{63});
  }

  void sameSeedSameTaskOtherSeedOtherPermutation() {
    auto a = make(20, PermutationTest::TwoHot, 4), b = make(20, PermutationTest::TwoHot, 4);
    auto c = make(20, PermutationTest::TwoHot, 8);
    QCOMPARE(a.permutation(), b.permutation());
    QVERIFY(a.permutation() != c.permutation());
    auto ta = a.takeTestSet(), tb = b.takeTestSet();
    QVERIFY(std::equal(ta->features().begin(), ta->features().end(), tb->features().begin()));
  }

  void refusesBadSettings() {
    PermutationTaskOptions options;
    options.k = 21;
    options.test = PermutationTest::All;
    QVERIFY(!PermutationTask::generate(options));
    options.k = 1;
    options.test = PermutationTest::TwoHot;
    QVERIFY(!PermutationTask::generate(options));
  }

  void loadsAsADataKind() {
    const auto kinds = dataKinds();
    QVERIFY(std::find(kinds.begin(), kinds.end(), "permutation") != kinds.end());
    auto data = loadData(Json{{"kind", "permutation"}, {"k", 8}, {"test", "all"}}, "");
    QVERIFY2(data.ok(), data.ok() ? "" : data.message().c_str());
    QCOMPARE(data->train->size(), std::int64_t{8});
    QCOMPARE(data->test->size(), std::int64_t{255});
    QVERIFY(data->validation == nullptr);
    QVERIFY(data->test->hasTargets());
    QCOMPARE(data->spec["testSamples"].get<int>(), 1000);
    QVERIFY(!loadData(Json{{"kind", "permutation"}, {"k", 8}, {"bits", 3}}, "").ok());
  }
};

QTEST_APPLESS_MAIN(PermutationTaskTest)
#include "tst_permutation_task.moc"

// The dataset classes: ImageDataset (compact uint8 storage, exact scaling, standardization), TensorDataset (features,
// labels, targets, per-feature normalization), DatasetSubset (views, no copies), splits and Normalization fitting.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <numeric>
#include <set>

#include "core/data/DatasetSubset.h"
#include "core/data/ImageDataset.h"
#include "core/data/SplitIndices.h"
#include "core/data/TensorDataset.h"

using namespace ffn;

class DatasetsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void imageBatchScalesBytesExactly();
  void imageStandardizeUsesGivenSamplesOnly();
  void imageStorageStaysCompact();
  void imageCreateErrors();
  void tensorBatchWithLabelsAndTargets();
  void tensorTargetsWithoutLabels();
  void tensorErrors();
  void subsetIsAViewOfItsBase();
  void batchMadeInPiecesEqualsOneBatch();
  void splitsAreDisjointAndCover_data();
  void splitsAreDisjointAndCover();
  void splitErrors();
  void normalizationFits();
};

namespace {

std::vector<std::string> names(int count) {
  std::vector<std::string> result;
  for (int c = 0; c < count; ++c) result.push_back("class " + std::to_string(c));
  return result;
}

}  // namespace

void DatasetsTest::imageBatchScalesBytesExactly() {
  // Sample 0 holds every byte value 0..255 once; sample 1 holds them reversed.
  PixelBytes pixels(512);
  for (int v = 0; v < 256; ++v) {
    pixels[static_cast<std::size_t>(v)] = static_cast<std::uint8_t>(v);
    pixels[static_cast<std::size_t>(256 + v)] = static_cast<std::uint8_t>(255 - v);
  }
  auto data = ImageDataset::create(Shape{1, 16, 16}, pixels, {1, 0}, names(2));
  QVERIFY2(data.ok(), data.ok() ? "" : data.message().c_str());
  Batch batch;
  const std::vector<std::int64_t> order{1, 0};
  (*data)->makeBatch(order, batch);
  QCOMPARE(batch.inputs.shape(), (Shape{2, 1, 16, 16}));
  QCOMPARE(batch.labels.shape(), (Shape{2}));
  QVERIFY(!batch.hasTargets());
  QCOMPARE(batch.label(0), 0);
  QCOMPARE(batch.label(1), 1);
  for (int v = 0; v < 256; ++v) {
    // Exactly the float nearest to v/255, for both samples in their batch order.
    QVERIFY(batch.inputs.at(256 + v) == static_cast<float>(v) / 255.0f);
    QVERIFY(batch.inputs.at(v) == static_cast<float>(255 - v) / 255.0f);
  }
  QVERIFY(batch.inputs.at(256) == 0.0f);  // exact: QCOMPARE takes floats within 1e-5 of zero as zero
  QCOMPARE(batch.inputs.at(256 + 255), 1.0f);

  // Under a normalization, the batch (converted by vectorised loops) equals the scalar definition
  // Normalization::apply(v / 255, feature) bit for bit, for every byte value.
  std::vector<float> means(256), stddevs(256);
  for (int j = 0; j < 256; ++j) {
    means[static_cast<std::size_t>(j)] = 0.001f * static_cast<float>(j) - 0.1f;
    stddevs[static_cast<std::size_t>(j)] = 0.3f + 0.0007f * static_cast<float>(j);
  }
  for (const Normalization& n : {Normalization::global(0.2860f, 0.3530f), Normalization::perFeature(means, stddevs)}) {
    QVERIFY((*data)->setNormalization(n).ok());
    (*data)->makeBatch(order, batch);
    for (int j = 0; j < 256; ++j) {
      QVERIFY(batch.inputs.at(j) == n.apply(static_cast<float>(255 - j) / 255.0f, j));
      QVERIFY(batch.inputs.at(256 + j) == n.apply(static_cast<float>(j) / 255.0f, j));
    }
  }
  // Rows whose length is no multiple of 16 (the vector path's last, partial step): 5 x 5 bytes.
  PixelBytes small(50);
  for (std::size_t i = 0; i < small.size(); ++i) small[i] = static_cast<std::uint8_t>(i * 37 % 256);
  auto odd = ImageDataset::create(Shape{1, 5, 5}, small, {0, 1}, names(2));
  QVERIFY(odd.ok());
  QVERIFY((*odd)->setNormalization(Normalization::global(0.5f, 0.25f)).ok());
  (*odd)->makeBatch(order, batch);
  for (std::size_t i = 0; i < 50; ++i) {
    const std::size_t from = (i < 25 ? 25 : 0) + i % 25;  // order {1, 0}
    QVERIFY(batch.inputs.at(static_cast<std::int64_t>(i)) ==
            Normalization::global(0.5f, 0.25f).apply(static_cast<float>(small[from]) / 255.0f, 0));
  }
}

void DatasetsTest::imageStandardizeUsesGivenSamplesOnly() {
  // Sample 0: all 0; sample 1: all 255; sample 2: all 51 (0.2) and excluded from the fit.
  PixelBytes pixels(12, 0);
  std::fill(pixels.begin() + 4, pixels.begin() + 8, std::uint8_t{255});
  std::fill(pixels.begin() + 8, pixels.end(), std::uint8_t{51});
  auto data = ImageDataset::create(Shape{1, 2, 2}, pixels, {0, 0, 0}, names(1));
  QVERIFY(data.ok());
  const std::vector<std::int64_t> fitRows{0, 1};
  const Normalization n = (*data)->fitStandardize(fitRows);
  QVERIFY(n.isGlobal());
  QCOMPARE(n.mean(0), 0.5f);    // half the pixels 0, half 1
  QCOMPARE(n.stddev(0), 0.5f);
  QVERIFY((*data)->setNormalization(n).ok());
  Batch batch;
  (*data)->makeRangeBatch(0, 3, batch);
  QCOMPARE(batch.inputs.at(0), -1.0f);
  QCOMPARE(batch.inputs.at(4), 1.0f);
  QVERIFY(std::fabs(batch.inputs.at(8) - (0.2f - 0.5f) / 0.5f) < 1e-6f);
}

void DatasetsTest::imageStorageStaysCompact() {
  const std::int64_t count = 1000;
  auto data = ImageDataset::create(Shape{1, 28, 28}, PixelBytes(count * 784, 7),
                                   std::vector<std::int32_t>(count, 0), names(10));
  QVERIFY(data.ok());
  // One byte per pixel and one int32 per label; floats would be 4 bytes per pixel.
  QCOMPARE((*data)->storageBytes(), std::size_t(count * 784 + count * 4));
}

void DatasetsTest::imageCreateErrors() {
  auto wrongCount = ImageDataset::create(Shape{1, 2, 2}, PixelBytes(7), {0, 1}, names(2));
  QVERIFY(!wrongCount.ok());
  QVERIFY2(wrongCount.message().find("2 labels need 8 pixels") != std::string::npos, wrongCount.message().c_str());
  auto badLabel = ImageDataset::create(Shape{1, 2, 2}, PixelBytes(8), {0, 2}, names(2));
  QVERIFY(!badLabel.ok());
  QVERIFY2(badLabel.message().find("label 2 of sample 1 is outside 0..1") != std::string::npos,
           badLabel.message().c_str());
  auto flat = ImageDataset::create(Shape{4}, PixelBytes(8), {0, 1}, names(2));
  QVERIFY(!flat.ok());
}

void DatasetsTest::tensorBatchWithLabelsAndTargets() {
  // 3 samples [2], targets [3].
  auto data = TensorDataset::create(Shape{2}, {1, 10, 2, 20, 3, 30}, {2, 0, 1}, names(3));
  QVERIFY(data.ok());
  TensorDataset& d = **data;
  QVERIFY(d.setTargets(Shape{3}, {0, 0, 1, 0, 1, 0, 1, 0, 0}).ok());
  QVERIFY(d.hasTargets());
  QCOMPARE(d.targetShape(), (Shape{3}));
  QVERIFY(d.setNormalization(Normalization::perFeature({2.0f, 20.0f}, {1.0f, 10.0f})).ok());
  Batch batch;
  const std::vector<std::int64_t> order{2, 0};
  d.makeBatch(order, batch);
  QCOMPARE(batch.inputs.shape(), (Shape{2, 2}));
  const std::vector<float> inputs{1.0f, 1.0f, -1.0f, -1.0f};
  QVERIFY(std::equal(inputs.begin(), inputs.end(), batch.inputs.values().begin()));
  QCOMPARE(batch.label(0), 1);
  QCOMPARE(batch.label(1), 2);
  QCOMPARE(batch.targets.shape(), (Shape{2, 3}));
  const std::vector<float> targets{1, 0, 0, 0, 0, 1};
  QVERIFY(std::equal(targets.begin(), targets.end(), batch.targets.values().begin()));
  // Raw features are untouched by the normalization.
  QCOMPARE(d.features(0)[1], 10.0f);
}

void DatasetsTest::tensorTargetsWithoutLabels() {
  auto data = TensorDataset::create(Shape{1}, {5, 6}, {}, {});
  QVERIFY(data.ok());
  QVERIFY((*data)->setTargets(Shape{2}, {1, 2, 3, 4}).ok());
  QCOMPARE((*data)->classCount(), 0);
  QCOMPARE((*data)->label(1), -1);
  Batch batch;
  batch.labels = Tensor(Shape{4}, 1.0f);  // left over from a labelled batch
  (*data)->makeRangeBatch(0, 2, batch);
  QVERIFY(batch.labels.empty());
  QCOMPARE(batch.targets.at(3), 4.0f);
}

void DatasetsTest::tensorErrors() {
  QVERIFY(!TensorDataset::create(Shape{2}, {1, 2, 3}, {}, {}).ok());             // not whole samples
  QVERIFY(!TensorDataset::create(Shape{1}, {1, 2}, {0}, names(1)).ok());         // label count
  QVERIFY(!TensorDataset::create(Shape{1}, {1, 2}, {0, 3}, names(2)).ok());      // label range
  auto data = TensorDataset::create(Shape{2}, {1, 2, 3, 4}, {0, 1}, names(2));
  QVERIFY(data.ok());
  auto targets = (*data)->setTargets(Shape{3}, {1, 2, 3});
  QVERIFY(!targets.ok());
  QVERIFY2(targets.message().find("2 samples need 6 target values") != std::string::npos, targets.message().c_str());
  QVERIFY(!(*data)->setNormalization(Normalization::perFeature({0, 0, 0}, {1, 1, 1})).ok());
}

void DatasetsTest::subsetIsAViewOfItsBase() {
  auto base = TensorDataset::create(Shape{1}, {0, 10, 20, 30, 40}, {0, 1, 0, 1, 0}, names(2));
  QVERIFY(base.ok());
  auto subset = DatasetSubset::create(**base, {4, 1});
  QVERIFY(subset.ok());
  QCOMPARE((*subset)->size(), std::int64_t{2});
  QCOMPARE((*subset)->label(1), 1);
  QCOMPARE((*subset)->classNames(), (*base)->classNames());
  Batch batch;
  (*subset)->makeRangeBatch(0, 2, batch);
  QCOMPARE(batch.inputs.at(0), 40.0f);
  QCOMPARE(batch.inputs.at(1), 10.0f);
  // A normalization set on the base afterwards shows through: the subset holds no copy.
  QVERIFY((*base)->setNormalization(Normalization::global(10.0f, 2.0f)).ok());
  (*subset)->makeRangeBatch(0, 2, batch);
  QCOMPARE(batch.inputs.at(0), 15.0f);
  // A subset of a subset maps through both.
  auto nested = DatasetSubset::create(**subset, {1});
  QVERIFY(nested.ok());
  QCOMPARE((*nested)->label(0), 1);
  auto bad = DatasetSubset::create(**base, {0, 5});
  QVERIFY(!bad.ok());
  QVERIFY2(bad.message().find("index 5 (entry 1) is outside a dataset of 5 samples") != std::string::npos,
           bad.message().c_str());
}

void DatasetsTest::batchMadeInPiecesEqualsOneBatch() {
  // The training loop makes its batch in pieces on the backend's threads; any cut, in any order, must give the
  // batch makeBatch gives, through a subset too. Pieces of 3 rows run last to first here.
  PixelBytes pixels(20 * 12);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>((i * 37) % 251);
  std::vector<std::int32_t> labels(20);
  for (int i = 0; i < 20; ++i) labels[static_cast<std::size_t>(i)] = i % 3;
  auto data = ImageDataset::create(Shape{1, 3, 4}, pixels, labels, names(3));
  QVERIFY(data.ok());
  QVERIFY((*data)->setNormalization((*data)->fitStandardize(std::vector<std::int64_t>{0, 1, 2, 3, 4})).ok());
  auto subset = DatasetSubset::create(**data, {19, 3, 7, 7, 0, 12, 5, 18, 2, 11});
  QVERIFY(subset.ok());
  int piecesRun = 0;
  const ParallelPieces backwards = [&](std::int64_t count, const std::function<void(std::int64_t, std::int64_t)>& piece) {
    for (std::int64_t begin = (count - 1) / 3 * 3; begin >= 0; begin -= 3, ++piecesRun)
      piece(begin, std::min(count, begin + 3));
  };
  const std::vector<std::int64_t> order{4, 9, 0, 2, 2, 8, 1, 6};
  for (const Dataset* dataset : {static_cast<const Dataset*>(data->get()), static_cast<const Dataset*>(subset->get())}) {
    Batch whole, pieces;
    dataset->makeBatch(order, whole);
    pieces.inputs.resize(Shape{1});  // a batch reused from a smaller one
    dataset->makeBatchInPieces(order, pieces, backwards);
    QCOMPARE(pieces.inputs.shape(), whole.inputs.shape());
    QVERIFY(std::memcmp(pieces.inputs.data(), whole.inputs.data(), whole.inputs.values().size_bytes()) == 0);
    QCOMPARE(std::vector<float>(pieces.labels.values().begin(), pieces.labels.values().end()),
             std::vector<float>(whole.labels.values().begin(), whole.labels.values().end()));
  }
  QCOMPARE(piecesRun, 6);  // 3 pieces per dataset: the cut really happened
}

void DatasetsTest::splitsAreDisjointAndCover_data() {
  QTest::addColumn<int>("count");
  QTest::addColumn<double>("validation");
  QTest::addColumn<double>("test");
  QTest::addColumn<int>("validationCount");
  QTest::addColumn<int>("testCount");
  QTest::newRow("train/test") << 600 << 0.0 << 0.2 << 0 << 120;
  QTest::newRow("train/validation") << 1000 << 0.1 << 0.0 << 100 << 0;
  QTest::newRow("three ways") << 101 << 0.15 << 0.25 << 15 << 25;
  QTest::newRow("tiny fraction keeps one") << 10 << 0.01 << 0.0 << 1 << 0;
}

void DatasetsTest::splitsAreDisjointAndCover() {
  QFETCH(int, count);
  QFETCH(double, validation);
  QFETCH(double, test);
  QFETCH(int, validationCount);
  QFETCH(int, testCount);
  auto split = splitIndices(count, validation, test, 42);
  QVERIFY2(split.ok(), split.ok() ? "" : split.message().c_str());
  QCOMPARE(static_cast<int>(split->validation.size()), validationCount);
  QCOMPARE(static_cast<int>(split->test.size()), testCount);
  QCOMPARE(static_cast<int>(split->train.size()), count - validationCount - testCount);
  std::set<std::int64_t> seen;
  for (const auto* part : {&split->train, &split->validation, &split->test}) {
    QVERIFY(std::is_sorted(part->begin(), part->end()));
    for (auto i : *part) QVERIFY2(seen.insert(i).second, "an index is in two splits");
  }
  QCOMPARE(static_cast<int>(seen.size()), count);
  QCOMPARE(*seen.begin(), std::int64_t{0});
  QCOMPARE(*seen.rbegin(), std::int64_t{count - 1});
  // Deterministic for the seed; another seed picks other samples.
  auto again = splitIndices(count, validation, test, 42);
  auto other = splitIndices(count, validation, test, 43);
  QVERIFY(again.ok() && other.ok());
  QVERIFY(again->train == split->train && again->test == split->test && again->validation == split->validation);
  QVERIFY(other->train != split->train);
}

void DatasetsTest::splitErrors() {
  auto none = splitIndices(10, 0.5, 0.5, 1);
  QVERIFY(!none.ok());
  QVERIFY2(none.message().find("leaves none for training") != std::string::npos, none.message().c_str());
  auto negative = splitIndices(10, -0.1, 0.0, 1);
  QVERIFY(!negative.ok());
  QVERIFY2(negative.message().find("validation fraction must be in [0, 1)") != std::string::npos,
           negative.message().c_str());
}

void DatasetsTest::normalizationFits() {
  // [4, 2]: feature 0 varies, feature 1 is constant; row 3 is an outlier left out of the fit.
  const std::vector<float> values{1, 5, 3, 5, 5, 5, 1000, -7};
  const std::vector<std::int64_t> rows{0, 1, 2};
  const Normalization standard = Normalization::fitStandardize(values, 2, rows);
  QCOMPARE(standard.entryCount(), std::int64_t{2});
  QCOMPARE(standard.mean(0), 3.0f);
  QVERIFY(std::fabs(standard.stddev(0) - std::sqrt(8.0f / 3.0f)) < 1e-6f);
  QCOMPARE(standard.mean(1), 5.0f);
  QCOMPARE(standard.stddev(1), 1.0f);  // constant: no division by zero
  QVERIFY(standard.apply(5.0f, 1) == 0.0f);
  const Normalization minMax = Normalization::fitMinMax(values, 2, rows);
  QVERIFY(minMax.apply(1.0f, 0) == 0.0f);
  QCOMPARE(minMax.apply(5.0f, 0), 1.0f);
  QCOMPARE(minMax.apply(3.0f, 0), 0.5f);
  QVERIFY(Normalization().isIdentity());
  QCOMPARE(Normalization().apply(7.5f, 3), 7.5f);
}

QTEST_APPLESS_MAIN(DatasetsTest)
#include "tst_datasets.moc"

// Data specs and loadData: every kind has a settings table with defaults, bad specs are refused with a reason, and
// each kind loads into disjoint train / validation / test views with train-only statistics. Includes the real
// Fashion-MNIST files installed under /usr/share/datasets/fashion-mnist.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <set>

#include "core/data/DataSpec.h"
#include "core/data/DatasetSubset.h"
#include "core/data/ImageDataset.h"
#include "core/data/LoadedData.h"
#include "tests/core/data/DataTestFiles.h"

using namespace ffn;
using namespace ffn::test;

class DataSpecTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void everyKindHasSettings();
  void completeFillsDefaults();
  void badSpecs_data();
  void badSpecs();
  void loadsSynthetic();
  void loadsCsvWithTrainOnlyStatistics();
  void loadsIdxRelativeToBase();
  void loadsFashionMnist();
  void fashionMnistStandardizedSlice();
};

namespace {

const char* kFashionPath = "/usr/share/datasets/fashion-mnist";

std::set<std::int64_t> baseIndices(const Dataset* part) {
  std::set<std::int64_t> indices;
  if (!part) return indices;
  for (auto i : dynamic_cast<const DatasetSubset&>(*part).indices()) indices.insert(i);
  return indices;
}

}  // namespace

void DataSpecTest::everyKindHasSettings() {
  const auto kinds = dataKinds();
  QCOMPARE(kinds, (std::vector<std::string>{"fashion-mnist", "idx", "csv", "spiral", "circles", "xor", "blobs", "moons",
                                            "permutation"}));
  for (const auto& kind : kinds) {
    const auto specs = dataParamSpecs(kind);
    QVERIFY2(!specs.empty(), kind.c_str());
    for (const auto& spec : specs) QVERIFY2(checkParam(spec, spec.defaultValue).ok(), (kind + "." + spec.name).c_str());
    QCOMPARE(defaultDataSpec(kind)["kind"], Json(kind));
  }
  QVERIFY(dataParamSpecs("imagenet").empty());
}

void DataSpecTest::completeFillsDefaults() {
  auto spec = completeDataSpec(Json{{"kind", "spiral"}, {"samples", 100}});
  QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
  QCOMPARE((*spec)["samples"], Json(100));
  QCOMPARE((*spec)["noise"], Json(0.1));
  QCOMPARE((*spec)["classes"], Json(3));
  QCOMPARE((*spec)["testFraction"], Json(0.2));
  QCOMPARE((*spec)["seed"], Json(7));
  auto fashion = completeDataSpec(Json{{"kind", "fashion-mnist"}});
  QVERIFY(fashion.ok());
  QCOMPARE((*fashion)["path"], Json(kFashionPath));
  QCOMPARE((*fashion)["validationFraction"], Json(0.1));
  QCOMPARE((*fashion)["normalize"], Json("unit"));
  QVERIFY(!(*fashion).contains("testFraction"));  // Fashion-MNIST has its own test files
}

void DataSpecTest::badSpecs_data() {
  QTest::addColumn<QString>("spec");
  QTest::addColumn<QString>("expected");
  QTest::newRow("not an object") << "[1]" << "must be a JSON object";
  QTest::newRow("no kind") << R"({"samples": 10})" << "needs a \"kind\"";
  QTest::newRow("unknown kind") << R"({"kind": "imagenet"})" << "unknown kind 'imagenet'; choose one of fashion-mnist";
  QTest::newRow("unknown key") << R"({"kind": "circles", "classes": 3})" << "data 'circles': unknown setting 'classes'";
  QTest::newRow("bad value") << R"({"kind": "moons", "noise": -1})" << "'noise' must be between 0 and 2";
  QTest::newRow("bad choice") << R"({"kind": "csv", "path": "a.csv", "normalize": "zscore"})"
                              << "'normalize' must be one of standardize, minmax, none";
  QTest::newRow("fractions too large") << R"({"kind": "xor", "testFraction": 0.6, "validationFraction": 0.5})"
                                       << "leaves none for training";
  QTest::newRow("csv without path") << R"({"kind": "csv"})" << "'path' must name a CSV file";
  QTest::newRow("missing csv") << R"({"kind": "csv", "path": "nowhere.csv"})" << "nowhere.csv': file not found";
  QTest::newRow("idx without files") << R"({"kind": "idx"})" << "'trainImages' and 'trainLabels' must name IDX files";
  QTest::newRow("missing fashion folder") << R"({"kind": "fashion-mnist", "path": "no/such/folder"})"
                                          << "train-images-idx3-ubyte.gz': file not found";
}

void DataSpecTest::badSpecs() {
  QFETCH(QString, spec);
  QFETCH(QString, expected);
  auto data = loadData(Json::parse(spec.toStdString()), "/tmp");
  QVERIFY(!data.ok());
  QVERIFY2(data.message().find(expected.toStdString()) != std::string::npos, data.message().c_str());
}

void DataSpecTest::loadsSynthetic() {
  auto data = loadData(Json{{"kind", "spiral"}, {"samples", 600}, {"validationFraction", 0.1}}, "");
  QVERIFY2(data.ok(), data.ok() ? "" : data.message().c_str());
  QCOMPARE(data->train->size(), std::int64_t{420});
  QCOMPARE(data->validation->size(), std::int64_t{60});
  QCOMPARE(data->test->size(), std::int64_t{120});
  QCOMPARE(data->train->sampleShape(), (Shape{2}));
  QCOMPARE(data->train->classCount(), 3);
  const auto splits = data->splits();
  QVERIFY(splits.train == data->train.get() && splits.validation && splits.test);
  const auto train = baseIndices(data->train.get()), validation = baseIndices(data->validation.get()),
             test = baseIndices(data->test.get());
  std::set<std::int64_t> all(train);
  all.insert(validation.begin(), validation.end());
  all.insert(test.begin(), test.end());
  QCOMPARE(all.size(), std::size_t{600});  // disjoint and covering
  QCOMPARE(data->spec["noise"], Json(0.1));
  QVERIFY2(data->description.find("420 train, 60 validation, 120 test") != std::string::npos, data->description.c_str());

  auto noValidation = loadData(Json{{"kind", "moons"}}, "");
  QVERIFY(noValidation.ok());
  QVERIFY(noValidation->validation == nullptr);
  QVERIFY(noValidation->splits().validation == nullptr);
}

void DataSpecTest::loadsCsvWithTrainOnlyStatistics() {
  QTemporaryDir dir;
  std::string text = "x,y,label\n";
  for (int i = 0; i < 50; ++i)
    text += std::to_string(i) + "," + std::to_string(100 - 3 * i) + "," + (i % 2 ? "odd" : "even") + "\n";
  QVERIFY(writeText((dir.path() + "/table.csv").toStdString(), text));
  const Json spec{{"kind", "csv"}, {"path", "table.csv"}, {"testFraction", 0.2}, {"normalize", "standardize"}};
  auto data = loadData(spec, dir.path().toStdString());  // relative path
  QVERIFY2(data.ok(), data.ok() ? "" : data.message().c_str());
  QCOMPARE(data->train->size(), std::int64_t{40});
  QCOMPARE(data->test->size(), std::int64_t{10});
  QCOMPARE(data->train->classNames(), (std::vector<std::string>{"even", "odd"}));
  // The train split has mean 0 and standard deviation 1 per feature, by construction of the statistics.
  Batch batch;
  data->train->makeRangeBatch(0, data->train->size(), batch);
  for (int f = 0; f < 2; ++f) {
    double sum = 0, squares = 0;
    for (std::int64_t i = 0; i < batch.size(); ++i) {
      const double v = batch.inputs.at(i * 2 + f);
      sum += v;
      squares += v * v;
    }
    QVERIFY(std::fabs(sum / 40) < 1e-5);
    QVERIFY(std::fabs(squares / 40 - 1.0) < 1e-4);
  }
  // Minmax: the train split spans exactly [0, 1] in each feature.
  Json minmax = spec;
  minmax["normalize"] = "minmax";
  auto scaled = loadData(minmax, dir.path().toStdString());
  QVERIFY(scaled.ok());
  scaled->train->makeRangeBatch(0, scaled->train->size(), batch);
  const auto [low, high] = std::minmax_element(batch.inputs.values().begin(), batch.inputs.values().end());
  QVERIFY(*low == 0.0f);  // exact: QCOMPARE takes floats within 1e-5 of zero as zero
  QCOMPARE(*high, 1.0f);
}

void DataSpecTest::loadsIdxRelativeToBase() {
  QTemporaryDir dir;
  const std::string base = dir.path().toStdString();
  QVERIFY(QDir(dir.path()).mkdir("mnist"));
  QVERIFY(writeBytes(base + "/mnist/train-x", idxBytes({20, 3, 3}, pixelPattern(180)), true));
  std::vector<std::uint8_t> labels(20);
  for (int i = 0; i < 20; ++i) labels[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i % 4);
  QVERIFY(writeBytes(base + "/mnist/train-y", idxBytes({20}, labels), true));
  QVERIFY(writeBytes(base + "/mnist/test-x", idxBytes({5, 3, 3}, pixelPattern(45)), false));
  QVERIFY(writeBytes(base + "/mnist/test-y", idxBytes({5}, {0, 1, 2, 3, 0}), false));
  const Json spec{{"kind", "idx"},          {"trainImages", "mnist/train-x"}, {"trainLabels", "mnist/train-y"},
                  {"testImages", "mnist/test-x"}, {"testLabels", "mnist/test-y"},   {"validationFraction", 0.25},
                  {"normalize", "standardize"}};
  auto data = loadData(spec, base);
  QVERIFY2(data.ok(), data.ok() ? "" : data.message().c_str());
  QCOMPARE(data->train->size(), std::int64_t{15});
  QCOMPARE(data->validation->size(), std::int64_t{5});
  QCOMPARE(data->test->size(), std::int64_t{5});
  QCOMPARE(data->train->sampleShape(), (Shape{1, 3, 3}));
  QCOMPARE(data->train->classCount(), 4);  // inferred from the training labels
  // Standardized with the train split's statistics, shared by the test set.
  const auto& trainBase = dynamic_cast<const ImageDataset&>(dynamic_cast<const DatasetSubset&>(*data->train).base());
  const auto& testBase = dynamic_cast<const ImageDataset&>(dynamic_cast<const DatasetSubset&>(*data->test).base());
  QVERIFY(trainBase.normalization().isGlobal());
  QCOMPARE(testBase.normalization().mean(0), trainBase.normalization().mean(0));
  const auto expected = trainBase.fitStandardize(dynamic_cast<const DatasetSubset&>(*data->train).indices());
  QCOMPARE(trainBase.normalization().mean(0), expected.mean(0));

  auto mismatch = spec;
  mismatch["testLabels"] = "mnist/train-y";  // 20 labels for 5 test images
  auto bad = loadData(mismatch, base);
  QVERIFY(!bad.ok());
  QVERIFY2(bad.message().find("holds 5 images but") != std::string::npos, bad.message().c_str());
}

void DataSpecTest::loadsFashionMnist() {
  if (!QFileInfo::exists(QString(kFashionPath) + "/train-images-idx3-ubyte.gz"))
    QSKIP("Fashion-MNIST is not installed under /usr/share/datasets/fashion-mnist");
  auto data = loadData(Json{{"kind", "fashion-mnist"}, {"validationFraction", 0.0}}, "");
  QVERIFY2(data.ok(), data.ok() ? "" : data.message().c_str());
  QCOMPARE(data->train->size(), std::int64_t{60000});
  QCOMPARE(data->test->size(), std::int64_t{10000});
  QVERIFY(data->validation == nullptr);
  QCOMPARE(data->train->sampleShape(), (Shape{1, 28, 28}));
  QCOMPARE(data->train->classCount(), 10);
  QCOMPARE(data->train->classNames()[0], std::string("T-shirt/top"));
  QCOMPARE(data->train->classNames()[9], std::string("Ankle boot"));
  QCOMPARE(data->train->label(0), 9);  // the first training image is an ankle boot
  QCOMPARE(data->test->label(0), 9);
  Batch batch;
  data->train->makeRangeBatch(0, 256, batch);
  const auto [low, high] = std::minmax_element(batch.inputs.values().begin(), batch.inputs.values().end());
  QVERIFY(*low == 0.0f);  // exact: QCOMPARE takes floats within 1e-5 of zero as zero
  QCOMPARE(*high, 1.0f);
  const auto& base = dynamic_cast<const ImageDataset&>(dynamic_cast<const DatasetSubset&>(*data->train).base());
  // 60000 x 784 bytes of pixels plus 60000 int32 labels: about 47 MB, a quarter of what floats would take.
  QCOMPARE(base.storageBytes(), std::size_t{60000} * 784 + std::size_t{60000} * 4);
  QVERIFY2(data->description.find("Fashion-MNIST: 60000 train, 10000 test") != std::string::npos,
           data->description.c_str());
}

void DataSpecTest::fashionMnistStandardizedSlice() {
  if (!QFileInfo::exists(QString(kFashionPath) + "/train-images-idx3-ubyte.gz"))
    QSKIP("Fashion-MNIST is not installed under /usr/share/datasets/fashion-mnist");
  const Json spec{{"kind", "fashion-mnist"}, {"trainLimit", 2000}, {"testLimit", 500}, {"normalize", "standardize"}};
  auto data = loadData(spec, "");
  QVERIFY2(data.ok(), data.ok() ? "" : data.message().c_str());
  QCOMPARE(data->train->size(), std::int64_t{1800});
  QCOMPARE(data->validation->size(), std::int64_t{200});
  QCOMPARE(data->test->size(), std::int64_t{500});
  Batch batch;
  data->train->makeRangeBatch(0, data->train->size(), batch);
  double sum = 0, squares = 0;
  for (float v : batch.inputs.values()) {
    sum += v;
    squares += double(v) * v;
  }
  const double n = static_cast<double>(batch.inputs.size());
  QVERIFY(std::fabs(sum / n) < 1e-4);
  QVERIFY(std::fabs(squares / n - 1.0) < 1e-3);
  // Same seed, same validation samples.
  auto again = loadData(spec, "");
  QVERIFY(again.ok());
  QVERIFY(baseIndices(again->validation.get()) == baseIndices(data->validation.get()));
}

QTEST_APPLESS_MAIN(DataSpecTest)
#include "tst_data_spec.moc"

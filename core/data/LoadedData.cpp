#include "core/data/LoadedData.h"

#include <filesystem>
#include <sstream>

#include "core/base/Rng.h"
#include "core/data/CsvReader.h"
#include "core/data/DataSpec.h"
#include "core/data/DatasetSubset.h"
#include "core/data/IdxReader.h"
#include "core/data/PermutationTask.h"
#include "core/data/SplitIndices.h"
#include "core/data/Synthetic2d.h"

namespace ffn {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kFashionClasses{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                               "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

std::string resolve(const std::string& path, const std::string& baseDirectory) {
  const fs::path p(path);
  if (p.is_absolute() || baseDirectory.empty()) return p.lexically_normal().string();
  return (fs::path(baseDirectory) / p).lexically_normal().string();
}

// Fashion-MNIST ships gzip-compressed; an unpacked copy (the same name without .gz) is accepted too.
std::string fashionFile(const std::string& folder, const std::string& name) {
  const fs::path gz = fs::path(folder) / (name + ".gz");
  const fs::path plain = fs::path(folder) / name;
  std::error_code ec;
  return !fs::exists(gz, ec) && fs::exists(plain, ec) ? plain.string() : gz.string();
}

std::vector<std::int64_t> allIndices(std::int64_t count) {
  std::vector<std::int64_t> indices(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<std::int64_t>(i);
  return indices;
}

// out = a view of `indices` of base; stays null when there are none (an absent split).
Status addView(const Dataset& base, const std::vector<std::int64_t>& indices, std::unique_ptr<Dataset>& out) {
  if (indices.empty()) return {};
  auto subset = DatasetSubset::create(base, indices);
  if (!subset) return subset.error();
  out = std::move(subset).value();
  return {};
}

// One base dataset cut into all three splits (CSV and synthetic sets).
Status addSplitViews(LoadedData& data, std::unique_ptr<Dataset> base, const SplitIndices& split) {
  const Dataset& owned = *data.owned.emplace_back(std::move(base));
  FFN_TRY(addView(owned, split.train, data.train));
  FFN_TRY(addView(owned, split.validation, data.validation));
  return addView(owned, split.test, data.test);
}

std::string sizes(const LoadedData& data) {
  std::ostringstream text;
  text << data.train->size() << " train";
  if (data.validation) text << ", " << data.validation->size() << " validation";
  if (data.test) text << ", " << data.test->size() << " test";
  text << "; samples " << data.train->sampleShape().toString() << "; " << data.train->classCount() << " classes";
  return text.str();
}

Result<LoadedData> loadImages(const Json& spec, const std::string& baseDirectory) {
  const std::string kind = spec["kind"];
  std::string trainImages, trainLabels, testImages, testLabels;
  std::vector<std::string> classNames;
  if (kind == "fashion-mnist") {
    const std::string folder = resolve(spec["path"], baseDirectory);
    trainImages = fashionFile(folder, "train-images-idx3-ubyte");
    trainLabels = fashionFile(folder, "train-labels-idx1-ubyte");
    testImages = fashionFile(folder, "t10k-images-idx3-ubyte");
    testLabels = fashionFile(folder, "t10k-labels-idx1-ubyte");
    classNames = kFashionClasses;
  } else {
    if (spec["trainImages"] == "" || spec["trainLabels"] == "")
      return fail("data 'idx': 'trainImages' and 'trainLabels' must name IDX files");
    if ((spec["testImages"] == "") != (spec["testLabels"] == ""))
      return fail("data 'idx': give both 'testImages' and 'testLabels', or neither");
    trainImages = resolve(spec["trainImages"], baseDirectory);
    trainLabels = resolve(spec["trainLabels"], baseDirectory);
    if (spec["testImages"] != "") {
      testImages = resolve(spec["testImages"], baseDirectory);
      testLabels = resolve(spec["testLabels"], baseDirectory);
    }
    for (int c = 0; c < spec["classes"].get<int>(); ++c) classNames.push_back(std::to_string(c));
  }

  auto train = IdxReader::readImages(trainImages, trainLabels, classNames, spec["trainLimit"].get<std::int64_t>());
  if (!train) return fail("data '", kind, "': ", train.message());
  std::unique_ptr<ImageDataset> test;
  if (!testImages.empty()) {
    // The test set uses the training set's classes, so an inferred class count is shared.
    auto loaded = IdxReader::readImages(testImages, testLabels, (*train)->classNames(),
                                        spec["testLimit"].get<std::int64_t>());
    if (!loaded) return fail("data '", kind, "': ", loaded.message());
    test = std::move(loaded).value();
    if (test->sampleShape() != (*train)->sampleShape())
      return fail("data '", kind, "': test images are ", test->sampleShape().toString(), " but training images are ",
                  (*train)->sampleShape().toString());
  }
  auto split = splitIndices((*train)->size(), spec["validationFraction"].get<double>(), 0.0,
                            spec["seed"].get<std::uint64_t>());
  if (!split) return fail("data '", kind, "': ", split.message());

  std::string normalization = "pixels / 255";
  if (spec["normalize"] == "standardize") {
    const Normalization fitted = (*train)->fitStandardize(split->train);
    FFN_TRY((*train)->setNormalization(fitted));
    if (test) FFN_TRY(test->setNormalization(fitted));
    normalization += ", standardized (mean " + std::to_string(fitted.mean(0)) + ", std " +
                     std::to_string(fitted.stddev(0)) + ")";
  }
  LoadedData data;
  const Dataset& trainBase = *data.owned.emplace_back(std::move(train).value());
  FFN_TRY(addView(trainBase, split->train, data.train));
  FFN_TRY(addView(trainBase, split->validation, data.validation));
  if (test) {
    const Dataset& testBase = *data.owned.emplace_back(std::move(test));
    FFN_TRY(addView(testBase, allIndices(testBase.size()), data.test));
  }
  data.description = (kind == "fashion-mnist" ? std::string("Fashion-MNIST: ") : "IDX images: ") + sizes(data) +
                     "; " + normalization;
  return data;
}

Result<LoadedData> loadCsv(const Json& spec, const std::string& baseDirectory) {
  if (spec["path"] == "") return fail("data 'csv': 'path' must name a CSV file");
  CsvOptions options;
  options.labelColumn = spec["labelColumn"];
  std::stringstream columns(spec["featureColumns"].get<std::string>());
  for (std::string column; std::getline(columns, column, ',');) {
    const auto first = column.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    options.featureColumns.push_back(column.substr(first, column.find_last_not_of(" \t") - first + 1));
  }
  auto table = CsvReader::readFile(resolve(spec["path"], baseDirectory), options);
  if (!table) return fail("data 'csv': ", table.message());
  auto split = splitIndices((*table)->size(), spec["validationFraction"].get<double>(),
                            spec["testFraction"].get<double>(), spec["seed"].get<std::uint64_t>());
  if (!split) return fail("data 'csv': ", split.message());
  TensorDataset& dataset = **table;
  const std::int64_t features = dataset.sampleShape().elementCount();
  if (spec["normalize"] == "standardize")
    FFN_TRY(dataset.setNormalization(Normalization::fitStandardize(dataset.features(), features, split->train)));
  else if (spec["normalize"] == "minmax")
    FFN_TRY(dataset.setNormalization(Normalization::fitMinMax(dataset.features(), features, split->train)));
  LoadedData data;
  FFN_TRY(addSplitViews(data, std::move(table).value(), *split));
  data.description = "CSV " + fs::path(spec["path"].get<std::string>()).filename().string() + ": " + sizes(data) +
                     "; normalize " + spec["normalize"].get<std::string>();
  return data;
}

Result<LoadedData> loadSynthetic(const Json& spec) {
  Synthetic2dOptions options;
  options.kind = spec["kind"];
  options.samples = spec["samples"];
  options.noise = spec["noise"];
  options.classes = spec.contains("classes") ? spec["classes"].get<int>() : 2;
  options.seed = spec["seed"];
  auto points = Synthetic2d::generate(options);
  if (!points) return fail("data '", options.kind, "': ", points.message());
  // The split gets its own stream, so changing the split never moves the points.
  auto split = splitIndices((*points)->size(), spec["validationFraction"].get<double>(),
                            spec["testFraction"].get<double>(), deriveSeed(options.seed, 1));
  if (!split) return fail("data '", options.kind, "': ", split.message());
  LoadedData data;
  FFN_TRY(addSplitViews(data, std::move(points).value(), *split));
  data.description = options.kind + ": " + sizes(data) + "; noise " + std::to_string(options.noise);
  return data;
}

Result<LoadedData> loadPermutation(const Json& spec) {
  PermutationTaskOptions options;
  options.k = spec["k"];
  options.test = spec["test"] == "all" ? PermutationTest::All : PermutationTest::TwoHot;
  options.testSamples = spec["testSamples"];
  options.seed = spec["seed"];
  auto task = PermutationTask::generate(options);
  if (!task) return task.error();
  LoadedData data;
  const Dataset& train = *data.owned.emplace_back(task->takeTrainSet());
  const Dataset& test = *data.owned.emplace_back(task->takeTestSet());
  FFN_TRY(addView(train, allIndices(train.size()), data.train));
  FFN_TRY(addView(test, allIndices(test.size()), data.test));
  std::ostringstream text;
  text << "permutation of " << options.k << " bits: " << train.size() << " basis vectors to learn from, "
       << test.size() << (options.test == PermutationTest::All ? " nonzero" : " two-hot")
       << " test inputs (L2-normalised)";
  data.description = text.str();
  return data;
}

}  // namespace

Result<LoadedData> loadData(const Json& spec, const std::string& baseDirectory) {
  auto complete = completeDataSpec(spec);
  if (!complete) return complete.error();
  const Json& full = *complete;
  const std::string kind = full["kind"];
  Result<LoadedData> data = kind == "fashion-mnist" || kind == "idx" ? loadImages(full, baseDirectory)
                            : kind == "csv"                          ? loadCsv(full, baseDirectory)
                            : kind == "permutation"                  ? loadPermutation(full)
                                                                     : loadSynthetic(full);
  if (data) data->spec = full;
  return data;
}

}  // namespace ffn

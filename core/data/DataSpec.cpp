#include "core/data/DataSpec.h"

#include <algorithm>

#include "core/data/PermutationTask.h"
#include "core/data/Synthetic2d.h"

namespace ffn {
namespace {

constexpr std::int64_t kMaxSeed = 4294967295;  // any 32-bit seed; fits every JSON reader's integers
constexpr std::int64_t kMaxLimit = 100'000'000;

ParamSpec seedParam() {
  return intParam("seed", "Seed", 7, 0, kMaxSeed, "Seeds the split (and a synthetic set's points): same seed, same data.");
}

ParamSpec validationParam(double value) {
  return floatParam("validationFraction", "Validation fraction", value, 0.0, 0.9,
                    "Share of the training samples held out to watch for overfitting while training.");
}

ParamSpec testParam() {
  return floatParam("testFraction", "Test fraction", 0.2, 0.0, 0.9,
                    "Share of all samples held out for the final test; never seen in training.");
}

std::vector<ParamSpec> imageOptions() {
  return {intParam("trainLimit", "Training samples", 0, 0, kMaxLimit,
                   "Use only the first N training images (0 = all): quick experiments on a slice."),
          intParam("testLimit", "Test samples", 0, 0, kMaxLimit, "Use only the first N test images (0 = all)."),
          validationParam(0.1),
          choiceParam("normalize", "Normalize", "unit", {"unit", "standardize"},
                      "unit: pixels / 255 in [0, 1]. standardize: then subtract the training pixels' mean and divide "
                      "by their standard deviation."),
          seedParam()};
}

}  // namespace

std::vector<std::string> dataKinds() {
  std::vector<std::string> kinds{"fashion-mnist", "idx", "csv"};
  for (const auto& kind : Synthetic2d::kinds()) kinds.push_back(kind);
  kinds.push_back("permutation");
  return kinds;
}

std::vector<ParamSpec> dataParamSpecs(const std::string& kind) {
  std::vector<ParamSpec> specs;
  if (kind == "fashion-mnist") {
    specs.push_back(textParam("path", "Folder", "/usr/share/datasets/fashion-mnist",
                              "Folder with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                              "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz."));
  } else if (kind == "idx") {
    specs.push_back(textParam("trainImages", "Training images", "", "IDX file of uint8 images [N, H, W], gzip or plain."));
    specs.push_back(textParam("trainLabels", "Training labels", "", "IDX file of uint8 labels [N]."));
    specs.push_back(textParam("testImages", "Test images", "", "Optional: IDX file of test images (empty = no test set)."));
    specs.push_back(textParam("testLabels", "Test labels", "", "IDX file of test labels, with test images."));
    specs.push_back(intParam("classes", "Classes", 0, 0, 256,
                             "Number of classes (0 = one more than the largest training label)."));
  } else if (kind == "permutation") {
    specs.push_back(intParam("k", "Bits", 10, 2, kPermutationMaxK,
                             "Length k of the bit vectors; the training set is the k basis vectors."));
    specs.push_back(choiceParam("test", "Test inputs", "two-hot", {"two-hot", "all"},
                                "two-hot: random inputs with two ones (the published setup). all: every one of the "
                                "2^k - 1 nonzero inputs (k <= 20)."));
    specs.push_back(intParam("testSamples", "Two-hot samples", 1000, 1, kMaxLimit,
                             "Number of random two-hot test inputs (repeats allowed, as published)."));
    specs.push_back(intParam("seed", "Seed", 7, 0, kMaxSeed,
                             "Seeds the permutation (and the two-hot test draws): same seed, same task."));
    return specs;
  } else if (kind == "csv") {
    specs.push_back(textParam("path", "File", "", "CSV file with a header row; relative to the project's folder."));
    specs.push_back(textParam("labelColumn", "Label column", "label", "Name of the column that holds the class."));
    specs.push_back(textParam("featureColumns", "Feature columns", "",
                              "Comma-separated column names to use as features (empty = all but the label)."));
    specs.push_back(testParam());
    specs.push_back(validationParam(0.0));
    specs.push_back(choiceParam("normalize", "Normalize", "standardize", {"standardize", "minmax", "none"},
                                "Per feature, with statistics of the training split only: standardize to mean 0 and "
                                "standard deviation 1, or map min..max to 0..1."));
    specs.push_back(seedParam());
    return specs;
  } else {
    const auto synthetic = Synthetic2d::kinds();
    if (std::find(synthetic.begin(), synthetic.end(), kind) == synthetic.end()) return {};
    specs.push_back(intParam("samples", "Samples", 600, 20, 1'000'000, "Number of points, split evenly over the classes."));
    specs.push_back(floatParam("noise", "Noise", 0.1, 0.0, 2.0,
                               "Standard deviation of the Gaussian jitter on each coordinate (blobs: cluster spread)."));
    if (kind == "spiral" || kind == "blobs")
      specs.push_back(intParam("classes", kind == "spiral" ? "Arms" : "Clusters", 3, 2, 10,
                               "Number of classes: spiral arms or Gaussian clusters."));
    specs.push_back(testParam());
    specs.push_back(validationParam(0.0));
    specs.push_back(seedParam());
    return specs;
  }
  for (auto& spec : imageOptions()) specs.push_back(std::move(spec));
  return specs;
}

Result<Json> completeDataSpec(const Json& spec) {
  if (!spec.is_object()) return fail("data: the data spec must be a JSON object");
  if (!spec.contains("kind") || !spec.at("kind").is_string()) {
    std::string kinds;
    for (const auto& k : dataKinds()) kinds += (kinds.empty() ? "" : ", ") + k;
    return fail("data: the spec needs a \"kind\": one of ", kinds);
  }
  const std::string kind = spec.at("kind").get<std::string>();
  const auto specs = dataParamSpecs(kind);
  if (specs.empty()) {
    std::string kinds;
    for (const auto& k : dataKinds()) kinds += (kinds.empty() ? "" : ", ") + k;
    return fail("data: unknown kind '", kind, "'; choose one of ", kinds);
  }
  Json params = spec;
  params.erase("kind");
  auto complete = completeParams(specs, params, "data '" + kind + "'");
  if (!complete) return complete.error();
  Json result = std::move(complete).value();
  result["kind"] = kind;
  return result;
}

Json defaultDataSpec(const std::string& kind) {
  Json spec = defaultParams(dataParamSpecs(kind));
  spec["kind"] = kind;
  return spec;
}

}  // namespace ffn

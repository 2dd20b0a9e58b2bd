#include "core/project/WeightsFile.h"

#include <algorithm>
#include <set>

namespace ffn {
namespace {

// One line per problem, so a user who changed a layer's size sees every tensor that no longer fits; long lists
// are cut, the count tells how many more there are.
constexpr std::size_t kMaxListedProblems = 8;

std::string joinProblems(const std::vector<std::string>& problems) {
  std::string text;
  for (std::size_t i = 0; i < problems.size() && i < kMaxListedProblems; ++i) text += (i ? "; " : "") + problems[i];
  if (problems.size() > kMaxListedProblems)
    text += "; and " + std::to_string(problems.size() - kMaxListedProblems) + " more";
  return text;
}

// Every tensor the file should hold: the network's, then the rule's, each with the view it is read from or
// written to.
struct ExpectedTensor {
  std::string name;
  TensorView view;
};

std::vector<ExpectedTensor> expectedTensors(const Network& network, std::span<const RuleTensor> ruleTensors) {
  std::vector<ExpectedTensor> out;
  for (const WeightEntry& entry : network.weightEntries()) out.push_back({entry.fullName(), network.weightView(entry)});
  for (const RuleTensor& tensor : ruleTensors) out.push_back({"rule." + tensor.name, tensor.tensor});
  return out;
}

}  // namespace

Status saveWeights(const Network& network, const std::string& path, const SafetensorsMetadata& metadata,
                   std::span<const RuleTensor> ruleTensors) {
  std::vector<NamedTensor> tensors;
  for (const ExpectedTensor& expected : expectedTensors(network, ruleTensors)) {
    const auto values = expected.view.values();
    tensors.push_back(NamedTensor{expected.name, expected.view.shape(), std::vector<float>(values.begin(), values.end())});
  }
  return writeSafetensors(path, tensors, metadata);
}

Status loadWeights(Network& network, const std::string& path, std::span<const RuleTensor> ruleTensors) {
  auto file = readSafetensors(path);
  if (!file) return file.error();

  const std::vector<ExpectedTensor> tensors = expectedTensors(network, ruleTensors);
  std::vector<std::string> problems;
  std::set<std::string> expected;
  for (const ExpectedTensor& entry : tensors) {
    const std::string& name = entry.name;
    expected.insert(name);
    const NamedTensor* tensor = file->find(name);
    const Shape& shape = entry.view.shape();
    if (!tensor) problems.push_back("tensor '" + name + "' " + shape.toString() + " is missing");
    else if (tensor->shape != shape)
      problems.push_back("tensor '" + name + "' has shape " + tensor->shape.toString() + " in the file, but the " +
                         (name.starts_with("rule.") ? "training rule" : "network") + " needs " + shape.toString());
  }
  for (const NamedTensor& tensor : file->tensors)
    if (!expected.contains(tensor.name))
      problems.push_back("the file has tensor '" + tensor.name + "' " + tensor.shape.toString() + ", which the " +
                         (tensor.name.starts_with("rule.") ? "training rule does not use (trained with another rule?)"
                                                           : "network does not"));
  if (!problems.empty())
    return fail("the weights in '", path, "' do not fit this network: ", joinProblems(problems));

  // Everything checked: copy. Nothing above touched the network, so a failure leaves it as it was.
  for (const ExpectedTensor& entry : tensors) {
    const NamedTensor& tensor = *file->find(entry.name);
    std::copy(tensor.values.begin(), tensor.values.end(), entry.view.mutableData());
  }
  return {};
}

}  // namespace ffn

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

}  // namespace

Status saveWeights(const Network& network, const std::string& path, const SafetensorsMetadata& metadata) {
  std::vector<NamedTensor> tensors;
  tensors.reserve(network.weightEntries().size());
  for (const WeightEntry& entry : network.weightEntries()) {
    const auto values = network.weightView(entry).values();
    tensors.push_back(NamedTensor{entry.fullName(), entry.shape, std::vector<float>(values.begin(), values.end())});
  }
  return writeSafetensors(path, tensors, metadata);
}

Status loadWeights(Network& network, const std::string& path) {
  auto file = readSafetensors(path);
  if (!file) return file.error();

  std::vector<std::string> problems;
  std::set<std::string> expected;
  for (const WeightEntry& entry : network.weightEntries()) {
    const std::string name = entry.fullName();
    expected.insert(name);
    const NamedTensor* tensor = file->find(name);
    if (!tensor) problems.push_back("tensor '" + name + "' " + entry.shape.toString() + " is missing");
    else if (tensor->shape != entry.shape)
      problems.push_back("tensor '" + name + "' has shape " + tensor->shape.toString() + " in the file, but the network needs " +
                         entry.shape.toString());
  }
  for (const NamedTensor& tensor : file->tensors)
    if (!expected.contains(tensor.name))
      problems.push_back("the file has tensor '" + tensor.name + "' " + tensor.shape.toString() +
                         ", which the network does not");
  if (!problems.empty())
    return fail("the weights in '", path, "' do not fit this network: ", joinProblems(problems));

  // Everything checked: copy. Nothing above touched the network, so a failure leaves it as it was.
  Tensor& weights = network.weights();
  float* data = weights.mutableData();
  for (const WeightEntry& entry : network.weightEntries()) {
    const NamedTensor& tensor = *file->find(entry.fullName());
    std::copy(tensor.values.begin(), tensor.values.end(), data + entry.offset);
  }
  return {};
}

}  // namespace ffn

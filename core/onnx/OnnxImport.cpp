#include "core/onnx/OnnxImport.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/backend/cpu/CpuBackend.h"
#include "core/base/AtomicFile.h"
#include "core/graph/GraphValidator.h"
#include "core/model/Network.h"
#include "core/onnx/OnnxChainReader.h"

namespace ffn {
namespace {

constexpr double kRowSpacing = 100.0;  // the canvas' auto-layout row: node height plus room for the edge
constexpr int kOldestOpset = 7;        // Gemm's and the activations' current meaning starts here

const std::set<std::string> kSupportedOps{
    "Gemm",  "MatMul",   "Add",     "Relu",     "Sigmoid", "Tanh", "Elu", "Gelu",  "Softmax",  "LayerNormalization",
    "Flatten", "Reshape", "Identity", "Dropout", "Conv", "MaxPool", "AveragePool", "Constant", "Div", "Mul", "Erf"};

bool defaultDomain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

// Every operator the model uses that the importer does not know, so the message names them all at once.
Status checkOperators(const onnx::GraphProto& graph) {
  std::set<std::string> unsupported;
  for (const onnx::NodeProto& node : graph.node()) {
    const bool known = (defaultDomain(node.domain()) && kSupportedOps.contains(node.op_type())) ||
                       (node.domain() == "com.microsoft" && node.op_type() == "Gelu");
    if (!known) unsupported.insert(defaultDomain(node.domain()) ? node.op_type() : node.domain() + "." + node.op_type());
  }
  if (unsupported.empty()) return {};
  std::string names;
  for (const auto& name : unsupported) names += (names.empty() ? "" : ", ") + name;
  return fail("it uses operators FFN Lab cannot import: ", names,
              " (it imports feed-forward chains of Gemm, MatMul, Add, Relu, Sigmoid, Tanh, Elu, Gelu, Softmax, "
              "LayerNormalization, Flatten, Conv and pooling)");
}

Result<int> defaultOpset(const onnx::ModelProto& model) {
  int opset = -1;
  for (const auto& entry : model.opset_import())
    if (defaultDomain(entry.domain())) opset = static_cast<int>(std::clamp<std::int64_t>(entry.version(), 0, 1000));
  if (opset < 0) return fail("it declares no opset for the standard ONNX operators");
  if (opset < kOldestOpset)
    return fail("it uses opset ", std::to_string(opset), "; FFN Lab reads opset ", std::to_string(kOldestOpset),
                " and newer");
  return opset;
}

// A node id from an exporter's node name: PyTorch's "/fc1/Gemm" and "/act/Mul_1" -> "fc1" and "act";
// ours, "dense1/down" -> "dense1_down".
std::string idHint(const onnxio::ImportedLayer& layer) {
  std::string name = layer.name;
  const auto slash = name.rfind('/');
  if (slash != std::string::npos && slash > 0 && name.compare(slash + 1, layer.opType.size(), layer.opType) == 0)
    name.resize(slash);
  std::string id;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') id += c;
    else if (!id.empty() && id.back() != '_') id += '_';
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  return id.size() <= 64 ? id : std::string();
}

std::string lowerCase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

Result<Graph> buildGraph(const onnxio::ImportedChain& chain, std::vector<NamedTensor>& weights) {
  const NodeKindRegistry& kinds = NodeKindRegistry::builtin();
  Graph graph;
  auto add = [&](const std::string& kind, NodeId id, std::string label, const Json& params) -> Result<NodeId> {
    Json complete = defaultParams(kinds.find(kind)->params);
    for (const auto& [key, value] : params.items()) complete[key] = value;
    if (id.empty() || graph.contains(id) || id == "output") id = graph.uniqueId(lowerCase(kind));
    if (label.empty()) label = id;
    const Point position{0.0, kRowSpacing * static_cast<double>(graph.nodes().size())};
    FFN_TRY(graph.addNode(Node{id, kind, label, complete, position}));
    if (graph.nodes().size() > 1) FFN_TRY(graph.connect(Edge{graph.nodes()[graph.nodes().size() - 2].id, id, 0}));
    return id;
  };
  FFN_TRY(add("Input", "input", "input", Json{{"shape", chain.inputShape.dims()}}));
  for (const onnxio::ImportedLayer& layer : chain.layers) {
    const std::string hint = idHint(layer);
    auto id = add(layer.kind, hint, layer.label.empty() ? hint : layer.label, layer.params);
    if (!id) return id.error();
    for (const auto& [name, values] : layer.weights) weights.push_back(NamedTensor{*id + "." + name, values.shape, values.values});
  }
  FFN_TRY(add("Output", "output", "output", Json{{"loss", "cross-entropy"}}));
  return graph;
}

// The imported graph must be one the lab accepts, and its weights exactly what the compiled network expects.
Status verify(const Graph& graph, const std::vector<NamedTensor>& weights) {
  FFN_TRY(validateGraph(graph));
  CpuBackend cpu;
  auto network = Network::compile(graph, cpu);
  if (!network) return network.error();
  const auto& entries = (*network)->weightEntries();
  if (entries.size() != weights.size())
    return fail("the network expects ", std::to_string(entries.size()), " weight tensors, the model gives ",
                std::to_string(weights.size()));
  for (const WeightEntry& entry : entries) {
    auto it = std::find_if(weights.begin(), weights.end(), [&](const NamedTensor& t) { return t.name == entry.fullName(); });
    if (it == weights.end() || it->shape != entry.shape)
      return fail("weight '", entry.fullName(), "' ", entry.shape.toString(), " does not match the model's");
  }
  return {};
}

Result<ImportedModel> importModel(const onnx::ModelProto& model) {
  if (!model.has_graph()) return fail("it holds no graph");
  auto opset = defaultOpset(model);
  if (!opset) return opset.error();
  FFN_TRY(checkOperators(model.graph()));
  onnxio::OnnxChainReader reader(model.graph(), *opset);
  auto chain = reader.read();
  if (!chain) return chain.error();
  if (chain->layers.empty()) return fail("it has no layers between its input and its output");

  ImportedModel imported;
  auto graph = buildGraph(*chain, imported.weights);
  if (!graph) return graph.error();
  FFN_TRY(verify(*graph, imported.weights));
  imported.project.graph = std::move(*graph);
  imported.project.name = model.graph().name().size() <= 200 ? model.graph().name() : std::string();
  imported.project.description = "Imported from ONNX" +
                                 (model.producer_name().empty() || model.producer_name().size() > 100
                                      ? std::string()
                                      : " (made by " + model.producer_name() + ")") + ".";
  if (chain->layers.back().kind == "Softmax")
    imported.notes.push_back("the model ends in Softmax, so it outputs probabilities; the Output's cross-entropy "
                             "applies its own softmax, so remove the Softmax node before training further");
  return imported;
}

}  // namespace

Result<ImportedModel> importOnnx(std::string_view bytes, const std::string& source) {
  if (bytes.size() > kOnnxMaxBytes) return fail("cannot import ", source, ": it is larger than 2 GB");
  try {
    onnx::ModelProto model;
    if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
      return fail("cannot import ", source, ": it is not an ONNX model (the protobuf does not parse)");
    auto imported = importModel(model);
    if (!imported) return fail("cannot import ", source, ": ", imported.message());
    return imported;
  } catch (const std::exception& e) {  // protobuf or a failed allocation must not cross the API
    return fail("cannot import ", source, ": ", e.what());
  }
}

Result<ImportedModel> readOnnx(const std::string& path) {
  auto bytes = readWholeFile(path, kOnnxMaxBytes);
  if (!bytes) return bytes.error();
  return importOnnx(*bytes, "'" + path + "'");
}

}  // namespace ffn

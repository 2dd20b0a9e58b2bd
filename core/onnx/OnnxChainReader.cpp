#include "core/onnx/OnnxChainReader.h"

#include <algorithm>
#include <cmath>

#include "core/graph/GraphValidator.h"
#include "core/onnx/OnnxAttributes.h"

namespace ffn::onnxio {
namespace {

bool near(float value, float expected) { return std::fabs(value - expected) <= 1e-3f * std::max(1.0f, std::fabs(expected)); }

}  // namespace

std::string describe(const onnx::NodeProto& node) {
  if (!node.name().empty()) return node.op_type() + " '" + node.name() + "'";
  return node.op_type() + " (output '" + (node.output_size() ? node.output(0) : std::string()) + "')";
}

Status OnnxChainReader::indexGraph() {
  for (const onnx::TensorProto& init : m_graph.initializer()) m_constants[init.name()] = &init;
  for (int i = 0; i < m_graph.node_size(); ++i) {
    const onnx::NodeProto& node = m_graph.node(i);
    if (node.op_type() == "Constant") {
      if (node.output_size() != 1) return fail(describe(node), " must have one output");
      auto value = constantValue(node, m_ownedConstants);
      if (!value) return value.error();
      m_constants[node.output(0)] = *value;
      m_visited.insert(i);
      continue;
    }
    for (const std::string& input : node.input())
      if (!input.empty() && !m_constants.contains(input)) m_consumers[input].push_back(i);
  }
  // A Constant listed after its consumer still counts as a constant: drop those consumers again.
  for (auto it = m_consumers.begin(); it != m_consumers.end();)
    it = m_constants.contains(it->first) ? m_consumers.erase(it) : std::next(it);
  return {};
}

Status OnnxChainReader::findInputAndOutput(ImportedChain& chain) {
  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const auto& input : m_graph.input())
    if (!m_constants.contains(input.name())) inputs.push_back(&input);  // old exporters list initializers as inputs
  if (inputs.size() != 1)
    return fail("the model has ", std::to_string(inputs.size()), " inputs; FFN Lab imports models with one input");
  if (m_graph.output_size() != 1)
    return fail("the model has ", std::to_string(m_graph.output_size()),
                " outputs; FFN Lab imports models with one output");
  const onnx::ValueInfoProto& input = *inputs.front();
  const auto& type = input.type();
  if (!type.has_tensor_type() || type.tensor_type().elem_type() != onnx::TensorProto::FLOAT)
    return fail("input '", input.name(), "' must be a float32 tensor");
  const auto& dims = type.tensor_type().shape().dim();
  if (dims.size() != 2 && dims.size() != 4)
    return fail("input '", input.name(), "' has ", std::to_string(dims.size()),
                " dimensions; FFN Lab reads [N, features] or [N, channels, height, width]");
  std::vector<std::int64_t> sample;
  for (int d = 1; d < dims.size(); ++d) {
    if (!dims[d].has_dim_value() || dims[d].dim_value() <= 0)
      return fail("input '", input.name(), "': dimension ", std::to_string(d), " has no fixed size");
    sample.push_back(dims[d].dim_value());
  }
  chain.inputShape = Shape(std::move(sample));
  if (!chain.inputShape.elementCountWithin(kMaxSampleValues))
    return fail("input '", input.name(), "' ", chain.inputShape.toString(), " has more than ",
                std::to_string(kMaxSampleValues), " values per sample");
  chain.inputName = input.name();
  chain.outputName = m_graph.output(0).name();
  m_value = chain.inputName;
  m_shape = chain.inputShape;
  return {};
}

Result<ImportedChain> OnnxChainReader::read() {
  FFN_TRY(indexGraph());
  ImportedChain chain;
  FFN_TRY(findInputAndOutput(chain));
  // Every step visits at least one node, so the chain cannot be longer than the graph.
  while (m_value != chain.outputName) {
    if (static_cast<int>(m_visited.size()) > m_graph.node_size()) return fail("the graph loops");
    FFN_TRY(readStep(chain));
  }
  for (int i = 0; i < m_graph.node_size(); ++i)
    if (!m_visited.contains(i))
      return fail(describe(m_graph.node(i)), " is not on the one path from input '", chain.inputName, "' to output '",
                  chain.outputName, "'; FFN Lab imports a single chain of layers");
  return chain;
}

const onnx::TensorProto* OnnxChainReader::constant(const std::string& name) const {
  auto it = m_constants.find(name);
  return it == m_constants.end() ? nullptr : it->second;
}

Result<FloatArray> OnnxChainReader::constantFloats(const onnx::NodeProto& node, int input, const std::string& role) const {
  if (input >= node.input_size() || node.input(input).empty()) return fail(describe(node), " has no ", role);
  const onnx::TensorProto* tensor = constant(node.input(input));
  if (!tensor) return fail(describe(node), ": its ", role, " '", node.input(input), "' must be a constant (an initializer)");
  return readFloats(*tensor, describe(node) + " " + role + " '" + node.input(input) + "'");
}

Result<float> OnnxChainReader::scalarOf(const std::string& name) const {
  const onnx::TensorProto* tensor = constant(name);
  if (!tensor) return fail("not a constant");
  auto values = readFloats(*tensor, "constant '" + name + "'");
  if (!values) return values.error();
  if (values->values.size() != 1) return fail("not a scalar");
  return values->values[0];
}

Status OnnxChainReader::checkDataInput(const onnx::NodeProto& node, int dataInput) const {
  if (dataInput >= node.input_size() || node.input(dataInput) != m_value)
    return fail(describe(node), " must read '", m_value, "' as its input ", std::to_string(dataInput + 1));
  for (int i = 0; i < node.input_size(); ++i)
    if (i != dataInput && !node.input(i).empty() && !m_constants.contains(node.input(i)))
      return fail(describe(node), ": its input '", node.input(i), "' is computed by the graph; FFN Lab needs a constant there");
  if (node.output_size() < 1 || node.output(0).empty()) return fail(describe(node), " has no output");
  // Extra outputs (Dropout's mask, LayerNormalization's statistics) must go nowhere.
  for (int o = 1; o < node.output_size(); ++o)
    if (!node.output(o).empty() && (m_consumers.contains(node.output(o)) || node.output(o) == m_graph.output(0).name()))
      return fail(describe(node), ": its output '", node.output(o), "' is used; FFN Lab uses only the first output");
  return {};
}

int OnnxChainReader::soleConsumer(const std::string& value) const {
  auto it = m_consumers.find(value);
  if (it == m_consumers.end() || it->second.size() != 1 || value == m_graph.output(0).name()) return -1;
  return m_visited.contains(it->second.front()) ? -1 : it->second.front();
}

bool OnnxChainReader::isOpWithScalar(const onnx::NodeProto& node, const std::string& op, const std::string& value,
                                     float expected) const {
  if (node.op_type() != op || node.input_size() != 2 || node.output_size() < 1) return false;
  const int at = node.input(0) == value ? 0 : node.input(1) == value ? 1 : -1;
  if (at < 0 || (op == "Div" && at != 0)) return false;
  auto scalar = scalarOf(node.input(1 - at));
  return scalar && near(*scalar, expected);
}

void OnnxChainReader::advance(const onnx::NodeProto& node, Shape shape) {
  m_value = node.output(0);
  m_shape = std::move(shape);
}

ImportedLayer OnnxChainReader::layerFor(const onnx::NodeProto& node, const std::string& kind) const {
  ImportedLayer layer;
  layer.kind = kind;
  layer.name = node.name();
  layer.opType = node.op_type();
  layer.label = node.doc_string().size() <= 200 ? node.doc_string() : std::string();
  return layer;
}

Status OnnxChainReader::readStep(ImportedChain& chain) {
  auto consumers = m_consumers.find(m_value);
  if (consumers == m_consumers.end() || consumers->second.empty())
    return fail("value '", m_value, "' feeds nothing, so the chain never reaches output '", chain.outputName, "'");
  if (consumers->second.size() > 1) {
    auto gelu = readGeluPattern(chain);
    if (!gelu) return gelu.error();
    if (*gelu) return {};
    return fail("value '", m_value, "' feeds ", std::to_string(consumers->second.size()),
                " nodes; FFN Lab imports a single chain of layers");
  }
  const int index = consumers->second.front();
  if (m_visited.contains(index)) return fail("the graph loops at ", describe(m_graph.node(index)));
  const onnx::NodeProto& node = m_graph.node(index);
  m_visited.insert(index);
  const std::string& op = node.op_type();
  if (op == "Gemm") return readGemm(node, chain);
  if (op == "MatMul") return readMatMul(node, chain);
  if (op == "LayerNormalization") return readLayerNorm(node, chain);
  if (op == "Conv") return readConv(node, chain);
  if (op == "MaxPool" || op == "AveragePool") return readPool(node, chain);
  if (op == "Reshape") return readReshape(node, chain);
  FFN_TRY(checkDataInput(node, 0));
  static const std::map<std::string, std::string> kActivations{
      {"Relu", "ReLU"}, {"Sigmoid", "Sigmoid"}, {"Tanh", "Tanh"}, {"Elu", "ELU"}, {"Gelu", "GELU"}};
  if (auto it = kActivations.find(op); it != kActivations.end()) {
    ImportedLayer layer = layerFor(node, it->second);
    if (op == "Elu") layer.params["alpha"] = floatAttribute(node, "alpha", 1.0f);
    if (op == "Gelu" && stringAttribute(node, "approximate", "none") != "none")
      return fail(describe(node), " uses the tanh approximation; FFN Lab's GELU is the exact erf form");
    chain.layers.push_back(std::move(layer));
    advance(node, m_shape);
    return {};
  }
  if (op == "Identity") {
    advance(node, m_shape);
    return {};
  }
  if (op == "Dropout") {
    ImportedLayer layer = layerFor(node, "Dropout");
    float rate = floatAttribute(node, "ratio", 0.5f);
    if (node.input_size() > 1 && !node.input(1).empty()) {
      auto r = scalarOf(node.input(1));
      if (r) rate = *r;
    }
    layer.params["rate"] = rate;
    chain.layers.push_back(std::move(layer));
    advance(node, m_shape);
    return {};
  }
  if (op == "Flatten") {
    const std::int64_t axis = intAttribute(node, "axis", 1);
    if (axis != 1 && !(m_shape.rank() == 1 && axis == -1))
      return fail(describe(node), " flattens from axis ", std::to_string(axis), "; FFN Lab flattens each sample (axis 1)");
    if (m_shape.rank() > 1) chain.layers.push_back(layerFor(node, "Flatten"));
    advance(node, Shape{m_shape.elementCount()});
    return {};
  }
  if (op == "Softmax") {
    const std::int64_t axis = intAttribute(node, "axis", m_opset >= 13 ? -1 : 1);
    const bool lastAxis = axis == -1 || axis == m_shape.rank();
    const bool flattening = m_opset < 13 && axis == 1;  // before opset 13 Softmax flattened from `axis` on
    if (!(m_shape.rank() == 1 && lastAxis) && !flattening)
      return fail(describe(node), " normalises over axis ", std::to_string(axis), " of a ", m_shape.toString(),
                  " sample; FFN Lab's Softmax normalises over all of its features");
    chain.layers.push_back(layerFor(node, "Softmax"));
    advance(node, Shape{m_shape.elementCount()});
    return {};
  }
  return fail(describe(node), " is supported only as part of a layer (a bias after Gemm or MatMul, or GELU's erf "
                              "form), not on its own");
}

}  // namespace ffn::onnxio

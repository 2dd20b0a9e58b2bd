#include "core/onnx/OnnxExport.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <numbers>

#include "core/backend/cpu/CpuBackend.h"
#include "core/base/AtomicFile.h"
#include "core/layers/Activation.h"
#include "core/layers/BlockDiagonal.h"
#include "core/layers/Conv2d.h"
#include "core/layers/Dense.h"
#include "core/layers/LayerNorm.h"
#include "core/layers/LowRank.h"
#include "core/layers/Pooling.h"
#include "core/onnx/OnnxTensors.h"
#include "core/project/Safetensors.h"

namespace ffn {
namespace {

// Builds the GraphProto layer by layer, following one running tensor (name and per-sample shape).
class OnnxWriter {
 public:
  OnnxWriter(onnx::GraphProto& graph, Shape inputShape) : m_graph(graph), m_shape(std::move(inputShape)) {}

  const std::string& current() const { return m_current; }
  const Shape& shape() const { return m_shape; }

  std::string initializer(const std::string& name, const Shape& shape, std::span<const float> values) {
    onnxio::writeFloats(*m_graph.add_initializer(), name, shape, values);
    return name;
  }
  std::string scalar(const std::string& name, float value) { return initializer(name, Shape{}, {&value, 1}); }

  // A node reading `inputs` (the running tensor is not added implicitly) and writing `output`.
  onnx::NodeProto& node(const std::string& op, const std::string& name, std::vector<std::string> inputs,
                        const std::string& output, const std::string& doc = {}) {
    onnx::NodeProto& n = *m_graph.add_node();
    n.set_op_type(op);
    n.set_name(name);
    if (!doc.empty()) n.set_doc_string(doc);
    for (auto& input : inputs) n.add_input(input);
    n.add_output(output);
    return n;
  }
  // A node on the running tensor that becomes the new running tensor.
  onnx::NodeProto& step(const std::string& op, const std::string& name, std::vector<std::string> extraInputs,
                        Shape outShape, const std::string& doc = {}) {
    extraInputs.insert(extraInputs.begin(), m_current);
    onnx::NodeProto& n = node(op, name, std::move(extraInputs), name, doc);
    m_current = name;
    m_shape = std::move(outShape);
    return n;
  }
  // Where a layer reads an image as flat features, ONNX needs the Flatten spelled out.
  void flattenImage(const std::string& id) {
    if (m_shape.rank() > 1) step("Flatten", id + "/flatten", {}, Shape{m_shape.elementCount()}).add_attribute()->CopyFrom(intAttr("axis", 1));
  }
  void renameLast(const std::string& output) {
    onnx::NodeProto& last = *m_graph.mutable_node(m_graph.node_size() - 1);
    last.set_output(0, output);
    m_current = output;
  }

  static onnx::AttributeProto intAttr(const std::string& name, std::int64_t value) {
    onnx::AttributeProto a;
    a.set_name(name);
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(value);
    return a;
  }
  static onnx::AttributeProto floatAttr(const std::string& name, float value) {
    onnx::AttributeProto a;
    a.set_name(name);
    a.set_type(onnx::AttributeProto::FLOAT);
    a.set_f(value);
    return a;
  }
  static onnx::AttributeProto intsAttr(const std::string& name, std::vector<std::int64_t> values) {
    onnx::AttributeProto a;
    a.set_name(name);
    a.set_type(onnx::AttributeProto::INTS);
    for (auto v : values) a.add_ints(v);
    return a;
  }

 private:
  onnx::GraphProto& m_graph;
  std::string m_current = "input";
  Shape m_shape;
};

void setValueInfo(onnx::ValueInfoProto& info, const std::string& name, const Shape& sample) {
  info.set_name(name);
  auto* tensor = info.mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  auto* shape = tensor->mutable_shape();
  shape->add_dim()->set_dim_param("N");
  for (std::int64_t d : sample.dims()) shape->add_dim()->set_dim_value(d);
}

void addWindowAttributes(onnx::NodeProto& node, const Window2d& w, bool withPads) {
  node.add_attribute()->CopyFrom(OnnxWriter::intsAttr("kernel_shape", {w.kernelH, w.kernelW}));
  node.add_attribute()->CopyFrom(OnnxWriter::intsAttr("strides", {w.strideH, w.strideW}));
  if (withPads) node.add_attribute()->CopyFrom(OnnxWriter::intsAttr("pads", {w.padH, w.padW, w.padH, w.padW}));
}

Status exportLayer(OnnxWriter& out, const NetworkLayer& entry, Backend& backend) {
  const std::string& id = entry.id;
  const std::string& label = entry.label == id ? std::string() : entry.label;
  const Layer& layer = *entry.layer;
  const Shape outShape = layer.outputShape();
  if (const auto* dense = dynamic_cast<const Dense*>(&layer)) {
    out.flattenImage(id);
    std::vector<std::string> inputs{out.initializer(id + ".weight", dense->weight().shape(), dense->weight().values())};
    if (dense->hasBias()) inputs.push_back(out.initializer(id + ".bias", dense->bias().shape(), dense->bias().values()));
    out.step("Gemm", id, inputs, outShape, label).add_attribute()->CopyFrom(OnnxWriter::intAttr("transB", 1));
  } else if (const auto* lowRank = dynamic_cast<const LowRank*>(&layer)) {
    out.flattenImage(id);
    const std::string v = out.initializer(id + ".v", lowRank->down().shape(), lowRank->down().values());
    out.step("Gemm", id + "/down", {v}, Shape{lowRank->rank()}, label).add_attribute()->CopyFrom(OnnxWriter::intAttr("transB", 1));
    std::vector<std::string> inputs{out.initializer(id + ".u", lowRank->up().shape(), lowRank->up().values())};
    if (lowRank->bias().valid()) inputs.push_back(out.initializer(id + ".bias", lowRank->bias().shape(), lowRank->bias().values()));
    out.step("Gemm", id, inputs, outShape, label).add_attribute()->CopyFrom(OnnxWriter::intAttr("transB", 1));
  } else if (const auto* blocks = dynamic_cast<const BlockDiagonal*>(&layer)) {
    out.flattenImage(id);
    Tensor dense(Shape{outShape.elementCount(), layer.inputShape().elementCount()});
    blocks->denseMatrix(backend, dense);
    std::vector<std::string> inputs{out.initializer(id + ".weight", dense.shape(), dense.values())};
    if (blocks->bias().valid()) inputs.push_back(out.initializer(id + ".bias", blocks->bias().shape(), blocks->bias().values()));
    out.step("Gemm", id, inputs, outShape, label).add_attribute()->CopyFrom(OnnxWriter::intAttr("transB", 1));
  } else if (const auto* act = dynamic_cast<const Activation*>(&layer)) {
    switch (act->function()) {
      case ActivationKind::ReLU: out.step("Relu", id, {}, outShape, label); break;
      case ActivationKind::Tanh: out.step("Tanh", id, {}, outShape, label); break;
      case ActivationKind::Sigmoid: out.step("Sigmoid", id, {}, outShape, label); break;
      case ActivationKind::ELU:
        out.step("Elu", id, {}, outShape, label).add_attribute()->CopyFrom(OnnxWriter::floatAttr("alpha", act->alpha()));
        break;
      case ActivationKind::GELU: {
        // 0.5 x (1 + erf(x / sqrt 2)), spelled exactly as PyTorch exports nn.GELU below opset 20.
        const std::string x = out.current();
        const std::string sqrt2 = out.scalar(id + "/sqrt2", std::numbers::sqrt2_v<float>);
        const std::string one = out.scalar(id + "/one", 1.0f), half = out.scalar(id + "/half", 0.5f);
        out.node("Div", id + "/div", {x, sqrt2}, id + "/div");
        out.node("Erf", id + "/erf", {id + "/div"}, id + "/erf");
        out.node("Add", id + "/add", {id + "/erf", one}, id + "/add");
        out.node("Mul", id + "/mul", {x, id + "/add"}, id + "/mul");
        out.node("Mul", id, {id + "/mul", half}, id, label);
        out.renameLast(id);
        break;
      }
      case ActivationKind::Identity: out.step("Identity", id, {}, outShape, label); break;
    }
  } else if (const auto* norm = dynamic_cast<const LayerNorm*>(&layer)) {
    const Shape sample = out.shape();
    std::vector<std::string> inputs;
    if (norm->gamma().valid()) {
      inputs = {out.initializer(id + ".gamma", sample, norm->gamma().values()),
                out.initializer(id + ".beta", sample, norm->beta().values())};
    } else {
      const std::vector<float> ones(static_cast<std::size_t>(sample.elementCount()), 1.0f);
      inputs = {out.initializer(id + "/ones", sample, ones)};
    }
    auto& node = out.step("LayerNormalization", id, inputs, outShape, label);
    node.add_attribute()->CopyFrom(OnnxWriter::intAttr("axis", 1));  // every feature of the sample, as ours
    node.add_attribute()->CopyFrom(OnnxWriter::floatAttr("epsilon", norm->epsilon()));
  } else if (layer.kind() == "Softmax") {
    out.flattenImage(id);
    out.step("Softmax", id, {}, outShape, label).add_attribute()->CopyFrom(OnnxWriter::intAttr("axis", -1));
  } else if (layer.kind() == "Flatten") {
    out.step("Flatten", id, {}, outShape, label).add_attribute()->CopyFrom(OnnxWriter::intAttr("axis", 1));
  } else if (layer.kind() == "Dropout") {
    // Identity at inference: nothing to write.
  } else if (const auto* conv = dynamic_cast<const Conv2d*>(&layer)) {
    const Window2d& w = conv->window();
    std::vector<std::string> inputs{out.initializer(id + ".weight", Shape{conv->outChannels(), w.channels, w.kernelH, w.kernelW},
                                                    conv->weight().values())};
    if (conv->hasBias()) inputs.push_back(out.initializer(id + ".bias", conv->bias().shape(), conv->bias().values()));
    addWindowAttributes(out.step("Conv", id, inputs, outShape, label), w, true);
  } else if (const auto* pool = dynamic_cast<const MaxPool2d*>(&layer)) {
    addWindowAttributes(out.step("MaxPool", id, {}, outShape, label), pool->window(), true);
  } else if (const auto* avg = dynamic_cast<const AvgPool2d*>(&layer)) {
    addWindowAttributes(out.step("AveragePool", id, {}, outShape, label), avg->window(), true);
  } else {
    return fail(layer.kind(), " '", entry.label, "' has no ONNX form yet");
  }
  return {};
}

}  // namespace

Result<std::string> exportOnnx(const Network& network, const OnnxExportOptions& options) {
  onnx::ModelProto model;
  model.set_ir_version(onnx::IR_VERSION);
  model.set_producer_name("FFN Lab");
  model.set_producer_version("0.1");
  if (!options.docString.empty()) model.set_doc_string(options.docString);
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);

  onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name(options.graphName.empty() ? "ffnlab" : options.graphName);
  setValueInfo(*graph.add_input(), "input", network.inputShape());
  OnnxWriter writer(graph, network.inputShape());
  for (std::size_t i = 0; i < network.layerCount(); ++i)
    FFN_TRY(exportLayer(writer, network.layer(i), network.backend()));
  if (writer.current() == "input")  // only dropouts: the output still needs a node of its own
    writer.step("Identity", "logits", {}, network.outputShape());
  writer.renameLast("logits");
  setValueInfo(*graph.add_output(), "logits", network.outputShape());

  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {  // the checker throws ValidationError; a failure here is a bug of ours
    return fail("the exported model fails the ONNX checker: ", e.what());
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes)) return fail("cannot serialise the ONNX model (larger than 2 GB?)");
  return bytes;
}

Status writeOnnx(const Network& network, const std::string& path, const OnnxExportOptions& options) {
  auto bytes = exportOnnx(network, options);
  if (!bytes) return fail("cannot export to '", path, "': ", bytes.message());
  return writeFileAtomically(path, *bytes);
}

Status exportProjectOnnx(const Project& project, const std::string& weightsPath, const std::string& onnxPath) {
  CpuBackend backend;
  auto network = Network::compile(project.graph, backend);
  if (!network) return fail("cannot export to '", onnxPath, "': ", network.message());
  auto file = readSafetensors(weightsPath);
  if (!file) return file.error();
  Tensor& weights = (*network)->weights();
  for (const WeightEntry& entry : (*network)->weightEntries()) {
    const NamedTensor* tensor = file->find(entry.fullName());
    if (!tensor) return fail("'", weightsPath, "' has no tensor '", entry.fullName(), "' (were they trained for this project?)");
    if (tensor->shape != entry.shape)
      return fail("'", weightsPath, "': tensor '", entry.fullName(), "' is ", tensor->shape.toString(), ", the network needs ",
                  entry.shape.toString());
    std::copy(tensor->values.begin(), tensor->values.end(), weights.mutableData() + entry.offset);
  }
  (*network)->finishTraining();
  OnnxExportOptions options;
  options.graphName = project.name.empty() ? "ffnlab" : project.name;
  options.docString = project.description;
  return writeOnnx(**network, onnxPath, options);
}

}  // namespace ffn

#pragma once
// Reads an ONNX graph as one chain of layers from its single input to its single output, recognising the few
// multi-node patterns exporters write for one layer (MatMul + Add, GELU's erf form). Internal to ffn_onnx.
#include <onnx/onnx_pb.h>

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/graph/ParamSpec.h"
#include "core/onnx/OnnxTensors.h"

namespace ffn::onnxio {

// One layer of the chain, as the lab's node kinds see it.
struct ImportedLayer {
  std::string kind;   // "Dense", "ReLU", ...
  Json params = Json::object();
  std::string name;   // the ONNX node's name (an id hint)
  std::string opType; // the ONNX node's operator
  std::string label;  // its doc string, when an exporter (ours) put the label there
  std::vector<std::pair<std::string, FloatArray>> weights;  // "weight", "bias", ... in our layouts
};

struct ImportedChain {
  Shape inputShape;  // per sample
  std::string inputName, outputName;
  std::vector<ImportedLayer> layers;
};

class OnnxChainReader {
 public:
  OnnxChainReader(const onnx::GraphProto& graph, int opset) : m_graph(graph), m_opset(opset) {}
  Result<ImportedChain> read();

 private:
  Status indexGraph();
  Status findInputAndOutput(ImportedChain& chain);
  // One step from the running value; appends layers (none for Identity-like nodes) and advances the value.
  Status readStep(ImportedChain& chain);
  Status readGemm(const onnx::NodeProto& node, ImportedChain& chain);
  Status readMatMul(const onnx::NodeProto& node, ImportedChain& chain);
  Status readLayerNorm(const onnx::NodeProto& node, ImportedChain& chain);
  Status readConv(const onnx::NodeProto& node, ImportedChain& chain);
  Status readPool(const onnx::NodeProto& node, ImportedChain& chain);
  Status readReshape(const onnx::NodeProto& node, ImportedChain& chain);
  // GELU's erf form starting at the running value; false when the two consumers are something else.
  Result<bool> readGeluPattern(ImportedChain& chain);
  // Folds an Add of a constant vector right after a linear layer into its bias.
  Status foldBias(ImportedLayer& layer, std::int64_t units);

  const onnx::TensorProto* constant(const std::string& name) const;
  Result<FloatArray> constantFloats(const onnx::NodeProto& node, int input, const std::string& role) const;
  Result<float> scalarOf(const std::string& name) const;
  // The data input of `node`: exactly one input that is not a constant, and it must be the running value.
  Status checkDataInput(const onnx::NodeProto& node, int dataInput) const;
  // The index of the node consuming `value` when it is exactly one (and `value` is not the graph output), else -1.
  int soleConsumer(const std::string& value) const;
  // `node` is `op` on `value` and a scalar constant close to `expected` (the constant second for Div).
  bool isOpWithScalar(const onnx::NodeProto& node, const std::string& op, const std::string& value, float expected) const;
  void advance(const onnx::NodeProto& node, Shape shape);
  ImportedLayer layerFor(const onnx::NodeProto& node, const std::string& kind) const;

  const onnx::GraphProto& m_graph;
  int m_opset;
  std::map<std::string, const onnx::TensorProto*> m_constants;  // initializers and Constant nodes' values
  std::deque<onnx::TensorProto> m_ownedConstants;                // Constant nodes given as value_float(s)/int(s)
  std::map<std::string, std::vector<int>> m_consumers;            // value -> nodes reading it
  std::set<int> m_visited;
  std::string m_value;  // the running value
  Shape m_shape;        // its per-sample shape
};

// "Gemm 'fc1'" or "Gemm node 3".
std::string describe(const onnx::NodeProto& node);

}  // namespace ffn::onnxio

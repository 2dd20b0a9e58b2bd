#pragma once
// NodeKind: what a kind of node is — its ports, its settings, how it shapes its output and how it becomes a
// Layer. The registry of all kinds is the one list the palette, the validator and the network compiler share.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/graph/Graph.h"
#include "core/graph/ParamSpec.h"
#include "core/tensor/Shape.h"

namespace ffn {

class Layer;

enum class NodeRole { Input, Output, Layer };

// Everything a kind's factory needs to build a layer.
struct LayerBuild {
  const Node& node;  // with complete, validated params
  Shape inputShape;  // per sample
  Shape outputShape;
};

struct NodeKind {
  std::string name;      // "Dense"
  std::string category;  // palette group: "Input/Output", "Linear", "Structured", "Activation", ...
  std::string summary;   // one line for tooltips and the palette
  NodeRole role = NodeRole::Layer;
  int inputPorts = 1;
  std::vector<ParamSpec> params;
  // Output shape from the input shapes (one per port) and complete params; the error names no node (the
  // validator adds it).
  std::function<Result<Shape>(const std::vector<Shape>& inputs, const Json& params)> inferShape;
  std::function<std::unique_ptr<Layer>(const LayerBuild&)> create;  // empty for Input/Output
};

class NodeKindRegistry {
 public:
  // The registry with every built-in kind.
  static const NodeKindRegistry& builtin();

  void add(NodeKind kind);
  const NodeKind* find(const std::string& name) const;
  const std::vector<NodeKind>& kinds() const { return m_kinds; }

 private:
  std::vector<NodeKind> m_kinds;
};

}  // namespace ffn

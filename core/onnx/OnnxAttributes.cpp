#include "core/onnx/OnnxAttributes.h"

#include "core/onnx/OnnxChainReader.h"

namespace ffn::onnxio {
namespace {

const onnx::AttributeProto* find(const onnx::NodeProto& node, const std::string& name) {
  for (const auto& attribute : node.attribute())
    if (attribute.name() == name) return &attribute;
  return nullptr;
}

}  // namespace

std::int64_t intAttribute(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback) {
  const auto* a = find(node, name);
  return a && a->type() == onnx::AttributeProto::INT ? a->i() : fallback;
}

float floatAttribute(const onnx::NodeProto& node, const std::string& name, float fallback) {
  const auto* a = find(node, name);
  return a && a->type() == onnx::AttributeProto::FLOAT ? a->f() : fallback;
}

std::string stringAttribute(const onnx::NodeProto& node, const std::string& name, const std::string& fallback) {
  const auto* a = find(node, name);
  return a && a->type() == onnx::AttributeProto::STRING ? a->s() : fallback;
}

std::vector<std::int64_t> intsAttribute(const onnx::NodeProto& node, const std::string& name,
                                        std::vector<std::int64_t> fallback) {
  const auto* a = find(node, name);
  if (!a || a->type() != onnx::AttributeProto::INTS) return fallback;
  return {a->ints().begin(), a->ints().end()};
}

Result<const onnx::TensorProto*> constantValue(const onnx::NodeProto& node, std::deque<onnx::TensorProto>& owned) {
  if (const auto* a = find(node, "value"); a && a->type() == onnx::AttributeProto::TENSOR) return &a->t();
  onnx::TensorProto tensor;
  if (const auto* a = find(node, "value_float"); a && a->type() == onnx::AttributeProto::FLOAT) {
    tensor.set_data_type(onnx::TensorProto::FLOAT);
    tensor.add_float_data(a->f());
  } else if (const auto* a = find(node, "value_floats"); a && a->type() == onnx::AttributeProto::FLOATS) {
    tensor.set_data_type(onnx::TensorProto::FLOAT);
    tensor.add_dims(a->floats_size());
    *tensor.mutable_float_data() = a->floats();
  } else if (const auto* a = find(node, "value_int"); a && a->type() == onnx::AttributeProto::INT) {
    tensor.set_data_type(onnx::TensorProto::INT64);
    tensor.add_int64_data(a->i());
  } else if (const auto* a = find(node, "value_ints"); a && a->type() == onnx::AttributeProto::INTS) {
    tensor.set_data_type(onnx::TensorProto::INT64);
    tensor.add_dims(a->ints_size());
    *tensor.mutable_int64_data() = a->ints();
  } else {
    return fail(describe(node), " has no value FFN Lab can read (value, value_float(s) or value_int(s))");
  }
  owned.push_back(std::move(tensor));
  return &owned.back();
}

}  // namespace ffn::onnxio

#pragma once
// Reading ONNX node attributes with their defaults, and Constant nodes' values. Internal to ffn_onnx.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "core/base/Result.h"

namespace ffn::onnxio {

// The attribute's value, or `fallback` when the node does not have it (or has it with another type).
std::int64_t intAttribute(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback);
float floatAttribute(const onnx::NodeProto& node, const std::string& name, float fallback);
std::string stringAttribute(const onnx::NodeProto& node, const std::string& name, const std::string& fallback);
std::vector<std::int64_t> intsAttribute(const onnx::NodeProto& node, const std::string& name,
                                        std::vector<std::int64_t> fallback);

// The tensor a Constant node produces. Scalar and list forms (value_float, value_ints, ...) become tensors kept in
// `owned`, which must outlive the returned pointer.
Result<const onnx::TensorProto*> constantValue(const onnx::NodeProto& node, std::deque<onnx::TensorProto>& owned);

}  // namespace ffn::onnxio

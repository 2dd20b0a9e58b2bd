#pragma once
// Values in and out of ONNX TensorProtos. Reading trusts nothing a tensor claims: its dims are checked against the
// values it really holds (raw bytes or a typed list) before anything is allocated, so a tensor that claims 10^12
// elements in a small file is refused, not attempted. Internal to ffn_onnx (its header names protobuf types).
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/tensor/Shape.h"

namespace ffn::onnxio {

struct FloatArray {
  Shape shape;
  std::vector<float> values;  // shape.elementCount() values, row-major
};

// FLOAT, DOUBLE and FLOAT16 tensors as floats; `what` names the tensor in messages ("initializer 'fc1.weight'").
Result<FloatArray> readFloats(const onnx::TensorProto& tensor, const std::string& what);
// INT64 and INT32 tensors (Reshape's target shape).
Result<std::vector<std::int64_t>> readInts(const onnx::TensorProto& tensor, const std::string& what);

// Fills `tensor` as a FLOAT tensor with raw little-endian data.
void writeFloats(onnx::TensorProto& tensor, const std::string& name, const Shape& shape, std::span<const float> values);

}  // namespace ffn::onnxio

#include "core/onnx/OnnxTensors.h"

#include <bit>
#include <limits>

#include "core/base/ByteCodec.h"

namespace ffn::onnxio {
namespace {

std::string typeName(int type) {
  using T = onnx::TensorProto;
  switch (type) {
    case T::FLOAT: return "float32";
    case T::DOUBLE: return "float64";
    case T::FLOAT16: return "float16";
    case T::BFLOAT16: return "bfloat16";
    case T::INT64: return "int64";
    case T::INT32: return "int32";
    case T::INT8: return "int8";
    case T::UINT8: return "uint8";
    case T::BOOL: return "bool";
    case T::STRING: return "string";
    default: return "type " + std::to_string(type);
  }
}

// The tensor's dims, refused unless each is >= 0 and their product equals `available` (what the tensor holds).
// The product is checked before it is taken: with a zero among them, the dims before it may still overflow.
Result<Shape> checkedShape(const onnx::TensorProto& tensor, std::uint64_t available, const std::string& what) {
  std::vector<std::int64_t> dims;
  for (std::int64_t d : tensor.dims()) {
    if (d < 0) return fail(what, " has a negative dimension (", std::to_string(d), ")");
    dims.push_back(d);
  }
  Shape shape(std::move(dims));
  if (!shape.elementCountWithin(std::numeric_limits<std::int64_t>::max()) ||
      static_cast<std::uint64_t>(shape.elementCount()) != available)
    return fail(what, " claims shape ", shape.toString(), " but holds ", std::to_string(available), " values");
  return shape;
}

Status checkStorage(const onnx::TensorProto& tensor, const std::string& what) {
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL || tensor.external_data_size() > 0)
    return fail(what, " keeps its values in an external file; save the model with its weights inside");
  if (tensor.has_segment()) return fail(what, " is split into segments, which FFN Lab does not read");
  return {};
}

}  // namespace

Result<FloatArray> readFloats(const onnx::TensorProto& tensor, const std::string& what) {
  FFN_TRY(checkStorage(tensor, what));
  using T = onnx::TensorProto;
  const int type = tensor.data_type();
  const std::size_t width = type == T::FLOAT ? 4 : type == T::DOUBLE ? 8 : type == T::FLOAT16 ? 2 : 0;
  if (width == 0) return fail(what, " holds ", typeName(type), " values; FFN Lab reads float32 (and float64, float16)");
  const bool raw = tensor.has_raw_data();
  if (raw && tensor.raw_data().size() % width != 0)
    return fail(what, " has ", std::to_string(tensor.raw_data().size()), " bytes of data, not a whole number of ",
                typeName(type), " values");
  std::uint64_t available = 0;
  if (raw) available = tensor.raw_data().size() / width;
  else if (type == T::FLOAT) available = static_cast<std::uint64_t>(tensor.float_data_size());
  else if (type == T::DOUBLE) available = static_cast<std::uint64_t>(tensor.double_data_size());
  else available = static_cast<std::uint64_t>(tensor.int32_data_size());  // float16 bits, one per int32
  auto shape = checkedShape(tensor, available, what);
  if (!shape) return shape.error();

  // Only now, with the count proven to be what the file holds, is anything allocated.
  FloatArray array{*shape, std::vector<float>(static_cast<std::size_t>(available))};
  const auto* bytes = reinterpret_cast<const unsigned char*>(tensor.raw_data().data());
  for (std::size_t i = 0; i < array.values.size(); ++i) {
    float& out = array.values[i];
    if (type == T::FLOAT) out = raw ? std::bit_cast<float>(loadLittle<std::uint32_t>(bytes + 4 * i)) : tensor.float_data(int(i));
    else if (type == T::DOUBLE)
      out = narrowToFloat(raw ? std::bit_cast<double>(loadLittle<std::uint64_t>(bytes + 8 * i)) : tensor.double_data(int(i)));
    else
      out = halfToFloat(raw ? loadLittle<std::uint16_t>(bytes + 2 * i)
                            : static_cast<std::uint16_t>(tensor.int32_data(int(i)) & 0xffff));
  }
  return array;
}

Result<std::vector<std::int64_t>> readInts(const onnx::TensorProto& tensor, const std::string& what) {
  FFN_TRY(checkStorage(tensor, what));
  using T = onnx::TensorProto;
  const int type = tensor.data_type();
  if (type != T::INT64 && type != T::INT32) return fail(what, " holds ", typeName(type), " values, not integers");
  const std::size_t width = type == T::INT64 ? 8 : 4;
  const bool raw = tensor.has_raw_data();
  if (raw && tensor.raw_data().size() % width != 0)
    return fail(what, " has ", std::to_string(tensor.raw_data().size()), " bytes of data, not a whole number of ",
                typeName(type), " values");
  const std::uint64_t available = raw ? tensor.raw_data().size() / width
                                      : static_cast<std::uint64_t>(type == T::INT64 ? tensor.int64_data_size()
                                                                                    : tensor.int32_data_size());
  auto shape = checkedShape(tensor, available, what);
  if (!shape) return shape.error();
  std::vector<std::int64_t> values(static_cast<std::size_t>(available));
  const auto* bytes = reinterpret_cast<const unsigned char*>(tensor.raw_data().data());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (type == T::INT64)
      values[i] = raw ? static_cast<std::int64_t>(loadLittle<std::uint64_t>(bytes + 8 * i)) : tensor.int64_data(int(i));
    else
      values[i] = raw ? static_cast<std::int32_t>(loadLittle<std::uint32_t>(bytes + 4 * i)) : tensor.int32_data(int(i));
  }
  return values;
}

void writeFloats(onnx::TensorProto& tensor, const std::string& name, const Shape& shape, std::span<const float> values) {
  tensor.set_name(name);
  tensor.set_data_type(onnx::TensorProto::FLOAT);
  for (std::int64_t d : shape.dims()) tensor.add_dims(d);
  std::string bytes(values.size() * 4, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) storeLittle(std::bit_cast<std::uint32_t>(values[i]), bytes.data() + 4 * i);
  tensor.set_raw_data(std::move(bytes));
}

}  // namespace ffn::onnxio

// OnnxChainReader, continued: the layers that take weights or settings (Gemm, MatMul, LayerNormalization, Conv,
// pools, Reshape) and GELU's erf form.
#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

#include "core/graph/GraphValidator.h"
#include "core/onnx/OnnxAttributes.h"
#include "core/onnx/OnnxChainReader.h"

namespace ffn::onnxio {
namespace {

// W:[rows, cols] -> W^T:[cols, rows]
FloatArray transposed(const FloatArray& w) {
  const std::int64_t rows = w.shape[0], cols = w.shape[1];
  FloatArray t{Shape{cols, rows}, std::vector<float>(w.values.size())};
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c)
      t.values[static_cast<std::size_t>(c * rows + r)] = w.values[static_cast<std::size_t>(r * cols + c)];
  return t;
}

// A bias given as [units], [1, units] or one value broadcast to all units, scaled by `scale`.
Result<FloatArray> biasVector(const FloatArray& c, std::int64_t units, float scale, const std::string& where) {
  const std::int64_t count = c.shape.elementCount();
  const bool row = c.shape.rank() <= 1 || (c.shape.rank() == 2 && c.shape[0] == 1);
  if (!row || (count != units && count != 1))
    return fail(where, ": its bias has shape ", c.shape.toString(), "; FFN Lab needs one value per output (", std::to_string(units), ")");
  FloatArray bias{Shape{units}, std::vector<float>(static_cast<std::size_t>(units))};
  for (std::size_t i = 0; i < bias.values.size(); ++i) bias.values[i] = scale * c.values[count == 1 ? 0 : i];
  return bias;
}

std::string imageNeedsFlatten(const onnx::NodeProto& node, const Shape& shape) {
  return describe(node) + " reads a " + shape.toString() + " image; FFN Lab needs a Flatten before it";
}

}  // namespace

Status OnnxChainReader::foldBias(ImportedLayer& layer, std::int64_t units) {
  const int index = soleConsumer(m_value);
  if (index < 0) return {};
  const onnx::NodeProto& add = m_graph.node(index);
  if (add.op_type() != "Add" || add.input_size() != 2 || add.output_size() != 1) return {};
  const int other = add.input(0) == m_value ? 1 : 0;
  if (!constant(add.input(other))) return {};
  auto c = constantFloats(add, other, "bias");
  if (!c) return c.error();
  auto bias = biasVector(*c, units, 1.0f, describe(add));
  if (!bias) return bias.error();
  bool merged = false;
  for (auto& [name, values] : layer.weights)
    if (name == "bias") {
      for (std::size_t i = 0; i < values.values.size(); ++i) values.values[i] += bias->values[i];
      merged = true;
    }
  if (!merged) layer.weights.emplace_back("bias", std::move(*bias));
  m_visited.insert(index);
  advance(add, m_shape);
  return {};
}

Status OnnxChainReader::readGemm(const onnx::NodeProto& node, ImportedChain& chain) {
  FFN_TRY(checkDataInput(node, 0));
  if (m_shape.rank() != 1) return Error{imageNeedsFlatten(node, m_shape)};
  if (intAttribute(node, "transA", 0) != 0) return fail(describe(node), " transposes its input (transA = 1)");
  auto b = constantFloats(node, 1, "weight");
  if (!b) return b.error();
  if (b->shape.rank() != 2) return fail(describe(node), ": its weight must be a matrix, got ", b->shape.toString());
  FloatArray w = intAttribute(node, "transB", 0) != 0 ? std::move(*b) : transposed(*b);  // [out, in]
  if (w.shape[1] != m_shape[0])
    return fail(describe(node), ": its weight (", std::to_string(w.shape[0]), " outputs x ", std::to_string(w.shape[1]),
                " inputs) does not fit the ", std::to_string(m_shape[0]), " features it reads");
  const float alpha = floatAttribute(node, "alpha", 1.0f);
  if (alpha != 1.0f)
    for (float& v : w.values) v *= alpha;
  const std::int64_t units = w.shape[0];
  ImportedLayer layer = layerFor(node, "Dense");
  layer.weights.emplace_back("weight", std::move(w));
  if (node.input_size() > 2 && !node.input(2).empty()) {
    auto c = constantFloats(node, 2, "bias");
    if (!c) return c.error();
    auto bias = biasVector(*c, units, floatAttribute(node, "beta", 1.0f), describe(node));
    if (!bias) return bias.error();
    layer.weights.emplace_back("bias", std::move(*bias));
  }
  advance(node, Shape{units});
  FFN_TRY(foldBias(layer, units));
  layer.params = {{"units", units}, {"bias", layer.weights.size() > 1}};
  chain.layers.push_back(std::move(layer));
  return {};
}

Status OnnxChainReader::readMatMul(const onnx::NodeProto& node, ImportedChain& chain) {
  FFN_TRY(checkDataInput(node, 0));
  if (m_shape.rank() != 1) return Error{imageNeedsFlatten(node, m_shape)};
  auto b = constantFloats(node, 1, "weight");
  if (!b) return b.error();
  if (b->shape.rank() != 2 || b->shape[0] != m_shape[0])
    return fail(describe(node), ": its weight ", b->shape.toString(), " must be [", std::to_string(m_shape[0]),
                ", outputs] for the ", std::to_string(m_shape[0]), " features it reads");
  FloatArray w = transposed(*b);
  const std::int64_t units = w.shape[0];
  ImportedLayer layer = layerFor(node, "Dense");
  layer.weights.emplace_back("weight", std::move(w));
  advance(node, Shape{units});
  FFN_TRY(foldBias(layer, units));
  layer.params = {{"units", units}, {"bias", layer.weights.size() > 1}};
  chain.layers.push_back(std::move(layer));
  return {};
}

Status OnnxChainReader::readLayerNorm(const onnx::NodeProto& node, ImportedChain& chain) {
  FFN_TRY(checkDataInput(node, 0));
  const std::int64_t rank = m_shape.rank() + 1;  // with the batch
  std::int64_t axis = intAttribute(node, "axis", -1);
  if (axis < 0) axis += rank;
  if (axis != 1)
    return fail(describe(node), " normalises from axis ", std::to_string(intAttribute(node, "axis", -1)), " of a ",
                m_shape.toString(), " sample; FFN Lab's LayerNorm normalises all features of a sample");
  const std::int64_t features = m_shape.elementCount();
  auto scale = constantFloats(node, 1, "scale");
  if (!scale) return scale.error();
  if (scale->shape.elementCount() != features)
    return fail(describe(node), ": its scale has ", std::to_string(scale->shape.elementCount()), " values for ",
                std::to_string(features), " features");
  FloatArray gamma{Shape{features}, std::move(scale->values)};
  FloatArray beta{Shape{features}, std::vector<float>(static_cast<std::size_t>(features), 0.0f)};
  if (node.input_size() > 2 && !node.input(2).empty()) {
    auto b = constantFloats(node, 2, "bias");
    if (!b) return b.error();
    if (b->shape.elementCount() != features)
      return fail(describe(node), ": its bias has ", std::to_string(b->shape.elementCount()), " values for ",
                  std::to_string(features), " features");
    beta.values = std::move(b->values);
  }
  ImportedLayer layer = layerFor(node, "LayerNorm");
  layer.params = {{"epsilon", floatAttribute(node, "epsilon", 1e-5f)}, {"affine", true}};
  layer.weights.emplace_back("gamma", std::move(gamma));
  layer.weights.emplace_back("beta", std::move(beta));
  chain.layers.push_back(std::move(layer));
  advance(node, m_shape);
  return {};
}

namespace {

// The one value of a square, uniform 2-D window setting ([k, k], [s, s], [p, p, p, p]), or an error.
Result<std::int64_t> uniform(const onnx::NodeProto& node, const std::string& name, const std::vector<std::int64_t>& values,
                             std::size_t count) {
  if (values.size() != count || std::adjacent_find(values.begin(), values.end(), std::not_equal_to<>()) != values.end())
    return fail(describe(node), ": '", name, "' must be the same in both directions (FFN Lab's windows are square)");
  return values.front();
}

Status checkWindowBasics(const onnx::NodeProto& node, const Shape& shape) {
  if (shape.rank() != 3) return fail(describe(node), " needs an image [channels, height, width], got ", shape.toString());
  const std::string pad = stringAttribute(node, "auto_pad", "NOTSET");
  if (pad != "NOTSET" && pad != "VALID") return fail(describe(node), ": auto_pad ", pad, " is not supported; give explicit pads");
  for (std::int64_t d : intsAttribute(node, "dilations", {1, 1}))
    if (d != 1) return fail(describe(node), " is dilated; FFN Lab's windows are not");
  if (intAttribute(node, "ceil_mode", 0) != 0) return fail(describe(node), " rounds its output size up (ceil_mode)");
  return {};
}

}  // namespace

Status OnnxChainReader::readConv(const onnx::NodeProto& node, ImportedChain& chain) {
  FFN_TRY(checkDataInput(node, 0));
  FFN_TRY(checkWindowBasics(node, m_shape));
  if (intAttribute(node, "group", 1) != 1) return fail(describe(node), " is a grouped convolution");
  auto w = constantFloats(node, 1, "weight");
  if (!w) return w.error();
  if (w->shape.rank() != 4 || w->shape[1] != m_shape[0] || w->shape[2] != w->shape[3])
    return fail(describe(node), ": its weight ", w->shape.toString(), " must be [out, ", std::to_string(m_shape[0]),
                ", k, k]");
  const std::int64_t k = w->shape[2];
  auto stride = uniform(node, "strides", intsAttribute(node, "strides", {1, 1}), 2);
  auto padding = uniform(node, "pads", intsAttribute(node, "pads", {0, 0, 0, 0}), 4);
  if (!stride) return stride.error();
  if (!padding) return padding.error();
  if (intsAttribute(node, "kernel_shape", {k, k}) != std::vector<std::int64_t>{k, k})
    return fail(describe(node), ": kernel_shape does not match its weight");
  // The image's sides are within kMaxSampleValues, so a padding within it keeps the sums below from overflowing.
  if (*stride < 1 || *padding < 0 || *padding > kMaxSampleValues || m_shape[1] + 2 * *padding < k ||
      m_shape[2] + 2 * *padding < k)
    return fail(describe(node), ": its window does not fit the ", m_shape.toString(), " image");
  const std::int64_t out = w->shape[0];
  const Shape outShape{out, (m_shape[1] + 2 * *padding - k) / *stride + 1, (m_shape[2] + 2 * *padding - k) / *stride + 1};
  if (!outShape.elementCountWithin(kMaxSampleValues))
    return fail(describe(node), ": its output ", outShape.toString(), " has more than ", std::to_string(kMaxSampleValues),
                " values per sample");
  ImportedLayer layer = layerFor(node, "Conv2d");
  layer.params = {{"channels", out}, {"kernel", k}, {"stride", *stride}, {"padding", *padding}};
  layer.weights.emplace_back("weight", std::move(*w));
  if (node.input_size() > 2 && !node.input(2).empty()) {
    auto c = constantFloats(node, 2, "bias");
    if (!c) return c.error();
    auto bias = biasVector(*c, out, 1.0f, describe(node));
    if (!bias) return bias.error();
    layer.weights.emplace_back("bias", std::move(*bias));
  }
  layer.params["bias"] = layer.weights.size() > 1;
  chain.layers.push_back(std::move(layer));
  advance(node, outShape);
  return {};
}

Status OnnxChainReader::readPool(const onnx::NodeProto& node, ImportedChain& chain) {
  FFN_TRY(checkDataInput(node, 0));
  FFN_TRY(checkWindowBasics(node, m_shape));
  auto kernel = uniform(node, "kernel_shape", intsAttribute(node, "kernel_shape", {}), 2);
  if (!kernel) return kernel.error();
  auto stride = uniform(node, "strides", intsAttribute(node, "strides", {1, 1}), 2);
  if (!stride) return stride.error();
  for (std::int64_t p : intsAttribute(node, "pads", {0, 0, 0, 0}))
    if (p != 0) return fail(describe(node), " pads the image; FFN Lab's pools do not");
  if (*kernel < 1 || *stride < 1 || *kernel > m_shape[1] || *kernel > m_shape[2])
    return fail(describe(node), ": its window does not fit the ", m_shape.toString(), " image");
  ImportedLayer layer = layerFor(node, node.op_type() == "MaxPool" ? "MaxPool2d" : "AvgPool2d");
  layer.params = {{"kernel", *kernel}, {"stride", *stride}};
  chain.layers.push_back(std::move(layer));
  advance(node, Shape{m_shape[0], (m_shape[1] - *kernel) / *stride + 1, (m_shape[2] - *kernel) / *stride + 1});
  return {};
}

Status OnnxChainReader::readReshape(const onnx::NodeProto& node, ImportedChain& chain) {
  FFN_TRY(checkDataInput(node, 0));
  if (node.input_size() < 2 || !constant(node.input(1)))
    return fail(describe(node), " takes its target shape from the graph; FFN Lab needs a constant one (torch.flatten "
                                "exports a Flatten)");
  auto target = readInts(*constant(node.input(1)), describe(node) + " shape");
  if (!target) return target.error();
  const std::int64_t features = m_shape.elementCount();
  const auto& t = *target;
  const bool keepsBatch = t.size() == 2 && (t[0] == -1 || (t[0] == 0 && intAttribute(node, "allowzero", 0) == 0));
  const bool flattens = keepsBatch && (t[1] == features || (t[1] == -1 && t[0] != -1));
  if (!flattens) {
    std::string text;
    for (std::int64_t d : t) text += (text.empty() ? "" : ", ") + std::to_string(d);
    return fail(describe(node), " reshapes to [", text, "]; FFN Lab only flattens each sample");
  }
  if (m_shape.rank() > 1) chain.layers.push_back(layerFor(node, "Flatten"));
  advance(node, Shape{features});
  return {};
}

Result<bool> OnnxChainReader::readGeluPattern(ImportedChain& chain) {
  const std::vector<int>& users = m_consumers.at(m_value);
  if (users.size() != 2) return false;
  const std::string x = m_value;
  for (int first = 0; first < 2; ++first) {
    const onnx::NodeProto& scale = m_graph.node(users[first]);
    const onnx::NodeProto& other = m_graph.node(users[1 - first]);
    if (!isOpWithScalar(scale, "Div", x, std::numbers::sqrt2_v<float>) &&
        !isOpWithScalar(scale, "Mul", x, 1.0f / std::numbers::sqrt2_v<float>))
      continue;
    const int erf = soleConsumer(scale.output(0));
    if (erf < 0 || m_graph.node(erf).op_type() != "Erf" || m_graph.node(erf).output_size() < 1) continue;
    const int add = soleConsumer(m_graph.node(erf).output(0));
    if (add < 0 || !isOpWithScalar(m_graph.node(add), "Add", m_graph.node(erf).output(0), 1.0f)) continue;
    const std::string onePlusErf = m_graph.node(add).output(0);
    if (other.op_type() != "Mul" || other.input_size() != 2 || other.output_size() < 1) continue;
    const int last = soleConsumer(other.output(0));
    if (last < 0) continue;
    const onnx::NodeProto& final = m_graph.node(last);
    const bool formA = (other.input(0) == onePlusErf || other.input(1) == onePlusErf) &&
                       isOpWithScalar(final, "Mul", other.output(0), 0.5f);  // (x * (1 + erf)) * 0.5
    const bool formB = isOpWithScalar(other, "Mul", x, 0.5f) && final.op_type() == "Mul" && final.input_size() == 2 &&
                       (final.input(0) == onePlusErf || final.input(1) == onePlusErf);  // (0.5 x) * (1 + erf)
    const int expectedUser = formA ? users[1 - first] : last;
    if ((!formA && !formB) || soleConsumer(onePlusErf) != expectedUser) continue;
    for (int index : {users[0], users[1], erf, add, last}) m_visited.insert(index);
    chain.layers.push_back(layerFor(final, "GELU"));
    advance(final, m_shape);
    return true;
  }
  return false;
}

}  // namespace ffn::onnxio

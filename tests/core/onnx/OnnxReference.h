#pragma once
// A small double-precision ONNX interpreter for the tests: runs a ModelProto's nodes in order, written from the
// operator definitions in the ONNX spec (onnx.ai/onnx/operators) and sharing no code with the lab's layers, so
// "our forward pass equals the exported model's output" compares two independent computations. It knows the
// operators the exporter writes and PyTorch's MLP exports use (no Conv or pools).
#include <onnx/onnx_pb.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ffn::test {

struct RefTensor {
  std::vector<std::int64_t> shape;
  std::vector<double> values;
  std::int64_t dim(int i) const { return shape[static_cast<std::size_t>(i < 0 ? i + int(shape.size()) : i)]; }
};

class OnnxReference {
 public:
  explicit OnnxReference(const onnx::ModelProto& model) : m_model(model) {}

  // x:[N, sample...] -> the graph's first output
  RefTensor run(const RefTensor& input) {
    m_values.clear();
    for (const auto& init : m_model.graph().initializer()) m_values[init.name()] = fromProto(init);
    m_values[m_model.graph().input(0).name()] = input;
    for (const auto& node : m_model.graph().node()) m_values[node.output(0)] = apply(node);
    return m_values.at(m_model.graph().output(0).name());
  }

 private:
  static RefTensor fromProto(const onnx::TensorProto& t) {
    RefTensor r;
    r.shape.assign(t.dims().begin(), t.dims().end());
    if (t.data_type() != onnx::TensorProto::FLOAT) throw std::runtime_error("reference reads float tensors only");
    if (t.has_raw_data()) {
      const std::string& raw = t.raw_data();
      for (std::size_t i = 0; i + 4 <= raw.size(); i += 4) {
        float f;
        std::memcpy(&f, raw.data() + i, 4);
        r.values.push_back(f);
      }
    } else {
      for (float f : t.float_data()) r.values.push_back(f);
    }
    return r;
  }
  static const onnx::AttributeProto* attr(const onnx::NodeProto& n, const std::string& name) {
    for (const auto& a : n.attribute())
      if (a.name() == name) return &a;
    return nullptr;
  }
  static std::int64_t intAttr(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback) {
    const auto* a = attr(n, name);
    return a ? a->i() : fallback;
  }
  static double floatAttr(const onnx::NodeProto& n, const std::string& name, double fallback) {
    const auto* a = attr(n, name);
    return a ? a->f() : fallback;
  }
  const RefTensor& in(const onnx::NodeProto& n, int i) const { return m_values.at(n.input(i)); }

  static RefTensor unary(const RefTensor& x, double (*f)(double, double), double p = 0) {
    RefTensor y = x;
    for (double& v : y.values) v = f(v, p);
    return y;
  }
  // Numpy broadcasting of b onto a's shape (b's dims aligned at the end, each 1 or equal).
  static RefTensor binary(RefTensor a, const RefTensor& b, char op) {
    if (b.values.size() > a.values.size()) throw std::runtime_error("reference: broadcast of the left operand");
    std::vector<std::int64_t> bs(a.shape.size() - std::min(a.shape.size(), b.shape.size()), 1);
    bs.insert(bs.end(), b.shape.begin(), b.shape.end());
    for (std::size_t i = 0; i < a.values.size(); ++i) {
      std::size_t rest = i, bi = 0, stride = 1;
      for (int d = int(a.shape.size()) - 1; d >= 0; --d) {
        const auto ad = static_cast<std::size_t>(a.shape[std::size_t(d)]), bd = static_cast<std::size_t>(bs[std::size_t(d)]);
        const std::size_t coord = rest % ad;
        rest /= ad;
        if (bd != 1) bi += coord * stride;
        stride *= bd;
      }
      const double v = b.values[bi];
      double& x = a.values[i];
      x = op == '+' ? x + v : op == '*' ? x * v : x / v;
    }
    return a;
  }
  // a:[M,K] b:[K,N] (or [N,K] when tb) -> [M,N]
  static RefTensor matmul(const RefTensor& a, const RefTensor& b, bool tb) {
    const std::int64_t m = a.dim(0), k = a.dim(1), n = tb ? b.dim(0) : b.dim(1);
    if ((tb ? b.dim(1) : b.dim(0)) != k) throw std::runtime_error("reference: matmul shapes");
    RefTensor y{{m, n}, std::vector<double>(std::size_t(m * n))};
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (std::int64_t q = 0; q < k; ++q) s += a.values[std::size_t(i * k + q)] * b.values[std::size_t(tb ? j * k + q : q * n + j)];
        y.values[std::size_t(i * n + j)] = s;
      }
    return y;
  }
  static RefTensor flatten(RefTensor x, std::int64_t axis) {
    std::int64_t outer = 1;
    for (std::int64_t d = 0; d < axis; ++d) outer *= x.shape[std::size_t(d)];
    x.shape = {outer, std::int64_t(x.values.size()) / outer};
    return x;
  }
  // Over the trailing `rows x cols` split at `axis` (Softmax: the last axis; LayerNormalization: from axis on).
  static RefTensor normalize(RefTensor x, std::int64_t axis, bool softmax, double eps, const RefTensor* scale,
                             const RefTensor* bias) {
    if (axis < 0) axis += std::int64_t(x.shape.size());
    std::int64_t cols = 1;
    for (std::size_t d = std::size_t(axis); d < x.shape.size(); ++d) cols *= x.shape[d];
    const std::size_t rows = x.values.size() / std::size_t(cols);
    for (std::size_t r = 0; r < rows; ++r) {
      double* v = x.values.data() + r * std::size_t(cols);
      if (softmax) {
        double mx = v[0], s = 0;
        for (std::int64_t c = 0; c < cols; ++c) mx = std::max(mx, v[c]);
        for (std::int64_t c = 0; c < cols; ++c) s += (v[c] = std::exp(v[c] - mx));
        for (std::int64_t c = 0; c < cols; ++c) v[c] /= s;
      } else {
        double mean = 0, var = 0;
        for (std::int64_t c = 0; c < cols; ++c) mean += v[c] / double(cols);
        for (std::int64_t c = 0; c < cols; ++c) var += (v[c] - mean) * (v[c] - mean) / double(cols);
        for (std::int64_t c = 0; c < cols; ++c)
          v[c] = (v[c] - mean) / std::sqrt(var + eps) * scale->values[std::size_t(c)] + (bias ? bias->values[std::size_t(c)] : 0.0);
      }
    }
    return x;
  }

  RefTensor apply(const onnx::NodeProto& n) const {
    const std::string& op = n.op_type();
    if (op == "Gemm") {
      if (intAttr(n, "transA", 0)) throw std::runtime_error("reference: transA");
      RefTensor y = matmul(in(n, 0), in(n, 1), intAttr(n, "transB", 0) != 0);
      for (double& v : y.values) v *= floatAttr(n, "alpha", 1.0);
      if (n.input_size() > 2) {
        RefTensor c = in(n, 2);
        for (double& v : c.values) v *= floatAttr(n, "beta", 1.0);
        y = binary(y, c, '+');
      }
      return y;
    }
    if (op == "MatMul") return matmul(in(n, 0), in(n, 1), false);
    if (op == "Add" || op == "Mul") {  // commutative: broadcast the smaller operand
      const bool swap = in(n, 0).values.size() < in(n, 1).values.size();
      return binary(in(n, swap ? 1 : 0), in(n, swap ? 0 : 1), op == "Add" ? '+' : '*');
    }
    if (op == "Div") return binary(in(n, 0), in(n, 1), '/');
    if (op == "Relu") return unary(in(n, 0), [](double x, double) { return x > 0 ? x : 0.0; });
    if (op == "Sigmoid") return unary(in(n, 0), [](double x, double) { return 1.0 / (1.0 + std::exp(-x)); });
    if (op == "Tanh") return unary(in(n, 0), [](double x, double) { return std::tanh(x); });
    if (op == "Erf") return unary(in(n, 0), [](double x, double) { return std::erf(x); });
    if (op == "Elu") return unary(in(n, 0), [](double x, double a) { return x > 0 ? x : a * (std::exp(x) - 1.0); }, floatAttr(n, "alpha", 1.0));
    if (op == "Identity") return in(n, 0);
    if (op == "Constant") return fromProto(attr(n, "value")->t());
    if (op == "Flatten") return flatten(in(n, 0), intAttr(n, "axis", 1));
    if (op == "Softmax") return normalize(in(n, 0), intAttr(n, "axis", -1), true, 0, nullptr, nullptr);
    if (op == "LayerNormalization")
      return normalize(in(n, 0), intAttr(n, "axis", -1), false, floatAttr(n, "epsilon", 1e-5), &in(n, 1),
                       n.input_size() > 2 ? &in(n, 2) : nullptr);
    throw std::runtime_error("reference: no " + op);
  }

  const onnx::ModelProto& m_model;
  std::map<std::string, RefTensor> m_values;
};

}  // namespace ffn::test

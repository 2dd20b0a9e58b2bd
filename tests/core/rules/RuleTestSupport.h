#pragma once
// Helpers for the local-rule tests: tiny networks, a batch from values, one SGD step that reveals a rule's
// gradient (with lr 1 the update is minus the gradient), double-precision references, and finite differences
// compared norm-wise (the gradients of a tiny network are small, so an absolute tolerance would prove nothing).
#include <QtTest>

#include <Eigen/Dense>
#include <cmath>
#include <functional>

#include "core/optim/Optimizer.h"
#include "core/rules/RuleRegistry.h"
#include "tests/support/TestSupport.h"

namespace ffn::test {

using MatrixD = Eigen::MatrixXd;

inline MatrixD toMatrix(const TensorView& view) { return view.matrix().cast<double>(); }

inline Batch makeBatch(const Tensor& inputs, const std::vector<int>& labels) {
  Batch batch;
  batch.inputs = inputs;
  batch.labels = Tensor(Shape{static_cast<std::int64_t>(labels.size())});
  for (std::size_t i = 0; i < labels.size(); ++i) batch.labels.mutableData()[i] = static_cast<float>(labels[i]);
  return batch;
}

inline MatrixD oneHot(const std::vector<int>& labels, int classes) {
  MatrixD y = MatrixD::Zero(static_cast<Eigen::Index>(labels.size()), classes);
  for (std::size_t i = 0; i < labels.size(); ++i) y(static_cast<Eigen::Index>(i), labels[i]) = 1.0;
  return y;
}

inline MatrixD relu(const MatrixD& x) { return x.cwiseMax(0.0); }
inline MatrixD elu(const MatrixD& x) {
  return x.unaryExpr([](double v) { return v > 0.0 ? v : std::exp(v) - 1.0; });
}
inline MatrixD normalizeRows(const MatrixD& x, double eps) {
  MatrixD out = x;
  for (Eigen::Index r = 0; r < x.rows(); ++r) out.row(r) /= x.row(r).norm() + eps;
  return out;
}
// Mean cross-entropy of softmax(logits) against labels.
inline double crossEntropy(const MatrixD& logits, const std::vector<int>& labels) {
  double total = 0.0;
  for (Eigen::Index r = 0; r < logits.rows(); ++r) {
    const double top = logits.row(r).maxCoeff();
    total += std::log((logits.row(r).array() - top).exp().sum()) + top - logits(r, labels[static_cast<std::size_t>(r)]);
  }
  return total / static_cast<double>(logits.rows());
}

inline std::unique_ptr<Network> compileNetwork(const Graph& graph, Backend& backend, std::uint64_t seed) {
  auto net = Network::compile(graph, backend);
  if (!net) qFatal("%s", net.message().c_str());
  (*net)->initializeWeights(seed);
  return std::move(*net);
}

inline std::unique_ptr<TrainingRule> makeRule(const std::string& name, const Json& params = Json::object()) {
  auto rule = createRule(name, params);
  if (!rule) qFatal("%s", rule.message().c_str());
  return std::move(*rule);
}

inline std::unique_ptr<Optimizer> sgd(Backend& backend, double learningRate = 1.0) {
  OptimizerSettings settings;
  settings.kind = "sgd";
  settings.learningRate = learningRate;
  auto optimizer = Optimizer::create(settings, backend);
  if (!optimizer) qFatal("%s", optimizer.message().c_str());
  return std::move(*optimizer);
}

inline RuleSetup setupFor(int classes, int epochs = 1, std::int64_t stepsPerEpoch = 1) {
  RuleSetup setup;
  setup.classCount = classes;
  setup.epochs = epochs;
  setup.stepsPerEpoch = stepsPerEpoch;
  setup.seed = 3;
  return setup;
}

// Central differences of f over every entry of `values` (perturbed in place, restored after).
inline std::vector<double> numericGradient(std::span<float> values, const std::function<double()>& f,
                                           double step = 1e-3) {
  std::vector<double> gradient(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const float original = values[i];
    values[i] = static_cast<float>(original + step);
    const double up = f();
    values[i] = static_cast<float>(original - step);
    const double down = f();
    values[i] = original;
    gradient[i] = (up - down) / (2.0 * step);
  }
  return gradient;
}

inline double norm(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x * x;
  return std::sqrt(s);
}

// ||analytic - numeric|| / ||numeric||.
inline double relativeError(const std::vector<double>& analytic, const std::vector<double>& numeric) {
  double difference = 0.0;
  for (std::size_t i = 0; i < numeric.size(); ++i) difference += std::pow(analytic[i] - numeric[i], 2);
  return std::sqrt(difference) / std::max(norm(numeric), 1e-30);
}

// The change of `values` from `before`, negated: with SGD at lr 1 and no clipping, the gradient the rule used.
inline std::vector<double> appliedGradient(const std::vector<float>& before, std::span<const float> after) {
  std::vector<double> gradient(before.size());
  for (std::size_t i = 0; i < before.size(); ++i) gradient[i] = static_cast<double>(before[i]) - after[i];
  return gradient;
}

inline std::vector<float> copyOf(const TensorView& view) {
  const auto values = view.values();
  return {values.begin(), values.end()};
}

inline void restore(const TensorView& view, const std::vector<float>& values) {
  std::copy(values.begin(), values.end(), view.mutableData());
}

inline const Metric* findMetric(const std::vector<Metric>& metrics, const std::string& name) {
  for (const auto& m : metrics)
    if (m.name == name) return &m;
  return nullptr;
}

inline TensorView weightOf(const Network& net, const std::string& node, const std::string& name = "weight") {
  for (const auto& entry : net.weightEntries())
    if (entry.node == node && entry.name == name) return net.weightView(entry);
  qFatal("no weight %s.%s", node.c_str(), name.c_str());
}

}  // namespace ffn::test

// QVERIFY a rule refuses a graph with a message containing each of `parts`.
#define FFN_EXPECT_REFUSED(status, ...)                                                               \
  do {                                                                                              \
    const Status refusedStatus_ = (status);                                                         \
    QVERIFY2(!refusedStatus_.ok(), "the rule accepted the graph");                                  \
    for (const char* part : {__VA_ARGS__})                                                          \
      QVERIFY2(refusedStatus_.message().find(part) != std::string::npos, refusedStatus_.message().c_str()); \
  } while (false)

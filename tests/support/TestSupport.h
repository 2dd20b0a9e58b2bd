#pragma once
// Helpers shared by the core tests: building graphs in one line, and checking a layer's analytic gradients
// against central finite differences (in double-checked float: the tolerance is relative to the scale).
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "core/backend/cpu/CpuBackend.h"
#include "core/graph/Graph.h"
#include "core/model/Network.h"

namespace ffn::test {

// A chain Input(shape) -> layers... -> Output(loss). Each layer is {kind, params}; ids are "n1", "n2", ...
struct LayerSpec {
  std::string kind;
  Json params = Json::object();
};
Graph chainGraph(const Shape& inputShape, const std::vector<LayerSpec>& layers, const std::string& loss = "cross-entropy");

// A tensor of the given shape filled with N(0, 1) draws from `seed`.
Tensor randomTensor(const Shape& shape, std::uint64_t seed, float scale = 1.0f);
// n class ids 0..classes-1 as floats, drawn from `seed`.
Tensor labelTensor(std::int64_t n, std::int64_t classes, std::uint64_t seed);

// Largest |analytic - numeric| / max(1, |numeric|) over the checked coordinates of a scalar function f(values).
struct GradientCheck {
  double worstError = 0.0;
  std::string where;
};
// f is evaluated with values perturbed in place; analytic holds df/dvalues. `stride` checks every stride-th entry.
GradientCheck compareWithFiniteDifferences(std::span<float> values, std::span<const float> analytic,
                                           const std::function<double()>& f, double step = 1e-2, int stride = 1);

// Counts the calling thread in at `arrived`, then waits (10 s at most) until `parties` threads have arrived: false
// when they did not all come in time, i.e. the callers were not running at the same time.
bool meetAt(std::atomic<int>& arrived, int parties);

// Loss L = sum(y * probe) of the network output for a fixed random probe, so dL/dy = probe.
double probeLoss(Network& net, const Tensor& x, const Tensor& probe);

}  // namespace ffn::test

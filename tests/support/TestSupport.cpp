#include "tests/support/TestSupport.h"

#include <chrono>
#include <cmath>

#include "core/base/Rng.h"

namespace ffn::test {

Graph chainGraph(const Shape& inputShape, const std::vector<LayerSpec>& layers, const std::string& loss) {
  Graph graph;
  (void)graph.addNode(Node{"input", "Input", "input", Json{{"shape", inputShape.dims()}}, {0, 0}});
  NodeId previous = "input";
  int index = 1;
  for (const auto& layer : layers) {
    NodeId id = "n" + std::to_string(index);
    (void)graph.addNode(Node{id, layer.kind, id, layer.params, {0, 80.0 * index}});
    (void)graph.connect(Edge{previous, id, 0});
    previous = id;
    ++index;
  }
  (void)graph.addNode(Node{"output", "Output", "output", Json{{"loss", loss}}, {0, 80.0 * index}});
  (void)graph.connect(Edge{previous, "output", 0});
  return graph;
}

Tensor randomTensor(const Shape& shape, std::uint64_t seed, float scale) {
  Tensor t(shape);
  Rng rng(seed);
  rng.fillNormal(t.mutableValues(), 0.0f, scale);
  return t;
}

Tensor labelTensor(std::int64_t n, std::int64_t classes, std::uint64_t seed) {
  Tensor labels(Shape{n});
  Rng rng(seed);
  for (float& label : labels.mutableValues()) label = static_cast<float>(rng.below(static_cast<std::uint64_t>(classes)));
  return labels;
}

GradientCheck compareWithFiniteDifferences(std::span<float> values, std::span<const float> analytic,
                                           const std::function<double()>& f, double step, int stride) {
  GradientCheck result;
  for (std::size_t i = 0; i < values.size(); i += static_cast<std::size_t>(stride)) {
    const float original = values[i];
    values[i] = static_cast<float>(original + step);
    const double up = f();
    values[i] = static_cast<float>(original - step);
    const double down = f();
    values[i] = original;
    const double numeric = (up - down) / (2.0 * step);
    const double error = std::fabs(numeric - analytic[i]) / std::max(1.0, std::fabs(numeric));
    if (error > result.worstError) {
      result.worstError = error;
      result.where = "index " + std::to_string(i) + ": analytic " + std::to_string(analytic[i]) + ", numeric " +
                     std::to_string(numeric);
    }
  }
  return result;
}

double probeLoss(Network& net, const Tensor& x, const Tensor& probe) {
  const Tensor& y = net.forward(x, false);
  return y.vector().cast<double>().dot(probe.vector().cast<double>());
}

bool meetAt(std::atomic<int>& arrived, int parties) {
  arrived.fetch_add(1);
  const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (arrived.load() < parties)
    if (std::chrono::steady_clock::now() > giveUp) return false;
  return true;
}

}  // namespace ffn::test

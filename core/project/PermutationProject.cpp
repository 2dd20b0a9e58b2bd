#include "core/project/PermutationProject.h"

namespace ffn {

Project permutationProject(const PermutationProjectOptions& o) {
  Project p;
  p.name = "Permutation, k = " + std::to_string(o.k) + " (NTK ensemble)";
  p.description =
      "Learn a random permutation of " + std::to_string(o.k) +
      " bits from the basis vectors alone: each member of the ensemble is this two-layer network trained by "
      "full-batch gradient descent; their mean output votes on every bit of inputs never seen in training "
      "(arXiv 2502.16763).";
  p.seed = o.seed;
  struct NodeSpec {
    const char* id;
    const char* kind;
    Json params;
  };
  const NodeSpec nodes[] = {{"input", "Input", Json{{"shape", {o.k}}}},
                            {"hidden", "Dense", Json{{"units", o.width}, {"init", "lecun-normal"}, {"bias", true}}},
                            {"relu", "ReLU", Json::object()},
                            {"readout", "Dense", Json{{"units", o.k}, {"init", "lecun-normal"}, {"bias", true}}},
                            {"output", "Output", Json{{"loss", "mse"}}}};
  double y = 0.0;
  const char* previous = nullptr;
  for (const auto& node : nodes) {
    (void)p.graph.addNode(Node{node.id, node.kind, node.id, node.params, Point{0.0, y}});
    if (previous) (void)p.graph.connect(Edge{previous, node.id, 0});
    previous = node.id;
    y += 110.0;
  }
  p.dataset = Json{{"kind", "permutation"}, {"k", o.k}, {"test", o.test}, {"testSamples", o.testSamples}, {"seed", o.seed}};
  p.training.rule = "ntk-ensemble";
  p.training.ruleParams =
      Json{{"members", o.members}, {"parameterization", o.parameterization}, {"threads", o.threads}, {"tolerance", o.tolerance}};
  p.training.epochs = o.epochs;
  p.training.batchSize = o.k;  // ignored by the rule: members always train on the whole set
  p.training.optimizer.kind = "sgd";
  p.training.optimizer.learningRate = o.learningRate;
  return p;
}

}  // namespace ffn

#pragma once
// Network: a validated Graph compiled into a chain of Layers, with all trainable values in one flat weight
// buffer (and a gradient buffer of the same layout) — what every optimiser, ensemble and file format sees as
// one vector. Activations are kept per layer for the backward pass; buffers are sized by the largest batch seen
// and reused, so a training step allocates nothing.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/graph/Graph.h"
#include "core/layers/InputOutput.h"
#include "core/layers/Layer.h"
#include "core/model/LossFunction.h"

namespace ffn {

// Where a layer's trainable tensor sits in the flat buffers. Its file name is "<node>.<name>".
struct WeightEntry {
  NodeId node;
  std::string name;
  Shape shape;
  std::int64_t offset = 0;
  std::string fullName() const { return node + "." + name; }
};

// Whether a backward pass adds its weight gradients to gradients() or replaces the whole buffer, padding
// between tensors included (a step that starts from zero gradients then needs no zeroing pass).
enum class GradientUpdate { Accumulate, Overwrite };

struct NetworkLayer {
  NodeId id;
  std::string label;
  std::unique_ptr<Layer> layer;
  Tensor output;       // y of the last forward, [N, out...]
  Tensor gradOutput;   // dL/dy of the last backward
  std::int64_t weightOffset = 0, weightCount = 0;
  // The alignment padding after each of its tensors, {offset, count} in the flat buffers (empty gaps left out):
  // a layer that writes its gradients leaves these alone, so an overwriting backward zeroes them itself.
  std::vector<std::pair<std::int64_t, std::int64_t>> paddingGaps;
};

class Network {
 public:
  static Result<std::unique_ptr<Network>> compile(const Graph& graph, Backend& backend);

  Backend& backend() const { return *m_backend; }
  // The graph this network was compiled from (ensembles compile more copies of it).
  const Graph& graph() const { return m_graph; }
  const Shape& inputShape() const { return m_inputShape; }
  const Shape& outputShape() const { return m_outputShape; }
  LossKind loss() const { return m_loss; }
  std::int64_t classCount() const { return m_outputShape.elementCount(); }

  std::size_t layerCount() const { return m_layers.size(); }
  NetworkLayer& layer(std::size_t i) { return m_layers[i]; }
  const NetworkLayer& layer(std::size_t i) const { return m_layers[i]; }
  // The layer compiled from a node, or nullptr.
  const NetworkLayer* layerForNode(const NodeId& id) const;

  Tensor& weights() { return m_weights; }
  const Tensor& weights() const { return m_weights; }
  Tensor& gradients() { return m_gradients; }
  std::int64_t weightCount() const { return m_weights.size(); }
  const std::vector<WeightEntry>& weightEntries() const { return m_entries; }
  // The same tensors as rows (their first dimension, a layer's units), for an optimiser (AdamSettings::tensors).
  const std::vector<WeightRows>& weightRows() const { return m_weightRows; }
  TensorView weightView(const WeightEntry& entry) const { return {m_weights, entry.offset, entry.shape}; }
  TensorView gradientView(const WeightEntry& entry) const { return {m_gradients, entry.offset, entry.shape}; }
  std::int64_t forwardFlopsPerSample() const;

  // Fresh weights: layer i draws from Rng(deriveSeed(seed, i)), so adding a layer leaves the others' draws alone.
  void initializeWeights(std::uint64_t seed);
  // Seeds the stream used by stochastic layers (dropout) while training.
  void seedStochasticLayers(std::uint64_t seed) { m_rng = Rng(seed); }
  // Fraction of planned training done (0..1), seen by layers with schedules (self-guided training).
  void setTrainingProgress(double progress) { m_progress = progress; }
  double trainingProgress() const { return m_progress; }

  // x:[N, input...] -> logits:[N, classes]. x must stay alive until the matching backward().
  const Tensor& forward(const Tensor& x, bool training);
  // Runs only layers [first, last) on x (local rules train layer by layer); returns the last one's output.
  const Tensor& forwardRange(const Tensor& x, std::size_t first, std::size_t last, bool training);
  const Tensor& output() const { return m_layers.back().output; }

  // forward(x, true), then LossFunction::evaluate of its logits against the batch, with dL/dlogits in gradLogits.
  // Where the network ends in a ReLU, a Dense layer and softmax cross-entropy (a classifier) and the backend has
  // the fused pass (Backend::classifierHead), the output layer, the loss and the gradient back through that ReLU
  // are one pass over the rows, and the next backward() given this same gradLogits starts below the ReLU
  // (gradLogits must not be changed in between). The same bits either way.
  LossResult forwardWithLoss(const Tensor& x, const Batch& batch, LossFunction& loss, Tensor& gradLogits);

  void zeroGradients();
  // Back-propagates dL/dlogits through every layer, adding weight gradients into gradients() (or writing them
  // over whatever was there with GradientUpdate::Overwrite). With wantInputGradient the gradient with respect
  // to x is kept (inputGradient()).
  void backward(const Tensor& gradLogits, bool wantInputGradient = false,
                GradientUpdate update = GradientUpdate::Accumulate);
  const Tensor& inputGradient() const { return m_inputGradient; }
  // After a backward pass with GradientUpdate::Overwrite: whether the whole gradient buffer is finite, known when
  // every layer with weights saw its gradients as it stored them (Dense on the packed kernel); nullopt otherwise,
  // and then only a pass over the buffer can tell.
  std::optional<bool> gradientsFinite() const { return m_gradientsFinite; }

  // The input the layer saw in the last forward.
  const Tensor& layerInput(std::size_t i) const { return i == 0 ? *m_lastInput : m_layers[i - 1].output; }
  PassContext passContext(bool training) { return PassContext{*m_backend, training, &m_rng, m_progress}; }
  // Tells layers training ended (self-guided layers drop their dense path).
  void finishTraining();

 private:
  Network() = default;

  Backend* m_backend = nullptr;
  Graph m_graph;
  Shape m_inputShape, m_outputShape;
  LossKind m_loss = LossKind::CrossEntropy;
  std::vector<NetworkLayer> m_layers;
  std::vector<WeightEntry> m_entries;
  std::vector<WeightRows> m_weightRows;
  Tensor m_weights, m_gradients;
  std::optional<bool> m_gradientsFinite;  // see gradientsFinite()
  Tensor m_inputGradient;
  const Tensor* m_lastInput = nullptr;
  // The dL/dlogits whose backward through the classifier head forwardWithLoss already made (null: none); any
  // forward or backward clears it.
  const Tensor* m_headGradient = nullptr;
  Rng m_rng;
  double m_progress = 1.0;
};

}  // namespace ffn

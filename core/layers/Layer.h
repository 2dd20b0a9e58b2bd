#pragma once
// Layer: one compiled node of a Network. It knows its shapes and how to run forward, pass gradients back to its
// input (backwardInput) and accumulate gradients of its own weights (accumulateGradient) — the split of mlpack
// — and nothing of training rules, LRP or widgets. All compute goes through the Backend.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/backend/Backend.h"
#include "core/base/Rng.h"
#include "core/graph/ParamSpec.h"
#include "core/tensor/Tensor.h"

namespace ffn {

// A trainable tensor a layer owns: its name ("weight", "bias") and shape.
struct WeightSpec {
  std::string name;
  Shape shape;
};

// What a forward or backward pass needs besides its tensors.
struct PassContext {
  Backend& backend;
  bool training = false;       // dropout active, statistics kept
  Rng* rng = nullptr;          // for stochastic layers (dropout); seeded by the network
  double progress = 0.0;       // fraction of the planned training done, 0..1 (schedules inside layers)
  // accumulateGradient writes its gradients instead of adding to them (only asked of layers whose
  // writesGradients() is true): a backprop step then needs no separate pass that zeroes the gradient buffer.
  bool overwriteGradients = false;
  // Set by accumulateGradient when it saw every gradient it wrote come out finite or not (gradientsNonFinite then
  // says which) as it stored them; left false by layers that cannot tell without a pass of their own.
  bool gradientsChecked = false;
  bool gradientsNonFinite = false;
};

class Layer {
 public:
  Layer(Shape inputShape, Shape outputShape) : m_inputShape(std::move(inputShape)), m_outputShape(std::move(outputShape)) {}
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  virtual std::string kind() const = 0;
  // Per-sample shapes (no batch dimension).
  const Shape& inputShape() const { return m_inputShape; }
  const Shape& outputShape() const { return m_outputShape; }

  virtual std::vector<WeightSpec> weightSpecs() const { return {}; }
  // Views into the network's flat weight and gradient buffers, in weightSpecs() order.
  virtual void bindWeights(std::span<const TensorView> weights, std::span<const TensorView> gradients) {}
  virtual void initializeWeights(Rng& rng) {}

  // x:[N, in...] -> y:[N, out...]  (y is resized by the caller to [N, out...])
  virtual void forward(PassContext& ctx, const Tensor& x, Tensor& y) = 0;
  // dy:[N, out...] -> dx:[N, in...] (dx is resized by the caller). Needs the x and y of the last forward.
  virtual void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) = 0;
  // Adds d(loss)/d(weights) for this batch to the bound gradient views (writes them with ctx.overwriteGradients).
  virtual void accumulateGradient(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy) {}
  // Whether accumulateGradient honours ctx.overwriteGradients; the network zeroes the others' gradients itself.
  virtual bool writesGradients() const { return false; }
  // A forward that also applies the element-wise activation following this layer, y -> activated = f(y), in
  // the same pass over y. Returns false (and does nothing) where the layer cannot; the network then runs the
  // activation layer as usual.
  virtual bool forwardWithActivation(PassContext& ctx, const Tensor& x, Tensor& y, ActivationKind kind, float alpha,
                                     Tensor& activated) {
    return false;
  }
  // backwardInput carried on through the ReLU below this layer, whose input was `gate`: dx = gate > 0 ? dx : 0,
  // in the same pass (dx: [N, in...], the ReLU's input gradient). Returns false (and does nothing) where the layer
  // or backend cannot; the network then runs both backward steps as usual.
  virtual bool backwardInputThroughRelu(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy,
                                        const Tensor& gate, Tensor& dx) {
    return false;
  }

  // Whether accumulateGradient and the input gradient (backwardInput, backwardInputThroughRelu) only read x, y, dy
  // and the weights, and write outputs the other does not touch: the network may then run the two side by side
  // (Backend::concurrently), the input gradient with a copy of the context.
  virtual bool backwardHalvesIndependent() const { return false; }

  // Multiply-adds per sample in the forward pass (for `ffnlab-cli info`).
  virtual std::int64_t forwardFlopsPerSample() const { return 0; }
  // Called when a network is told training ended (e.g. self-guided layers drop their dense path).
  virtual void finishTraining() {}

 private:
  Shape m_inputShape;
  Shape m_outputShape;
};

}  // namespace ffn

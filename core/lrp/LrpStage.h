#pragma once
// LrpStage: one step of the relevance pass, from relevance at a layer's output to relevance at its input. An
// Explainer turns a network into a chain of stages: a LinearStage (a rule over a linear map) for every linear
// layer, pass-through for element-wise layers, WinnerStage for max pooling, NormScaleStage for what remains of
// a LayerNorm once a canonizer merged its centring into the layer before it.
#include <cassert>
#include <memory>
#include <optional>
#include <string>

#include "core/backend/Backend.h"

namespace ffn {

class LrpStage {
 public:
  LrpStage(std::string label, std::size_t layer) : m_label(std::move(label)), m_layer(layer) {}
  virtual ~LrpStage() = default;
  LrpStage(const LrpStage&) = delete;
  LrpStage& operator=(const LrpStage&) = delete;

  // "dense1 (Dense): epsilon (epsilon=1e-06)"
  const std::string& label() const { return m_label; }
  // The network layer this stage belongs to.
  std::size_t layer() const { return m_layer; }
  // Pass-through stages leave relevance as it is (the engine skips them: no copy).
  virtual bool passesThrough() const { return false; }
  // a:[N,in] the stage's input, z:[N,out] its output in the forward pass (nullptr when the stage must compute
  // it itself), rOut:[N,out] -> rIn:[N,in] (resized here).
  virtual void relevance(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut, Tensor& rIn) = 0;

  // The stabiliser eps when relevance() starts by dividing rOut by this stage's output, s = rOut / (z + eps
  // sign(z)) (LRP-0, epsilon); nullopt otherwise. The stage above may then hand it s instead of rOut.
  virtual std::optional<float> dividesOutput() const { return std::nullopt; }
  // The next stage's output and stabiliser, for a stage that divides its relevance by them as it stores it.
  struct DivisionBelow {
    const Tensor* z;
    float eps;
  };
  // relevance() with two shortcuts between neighbouring stages: rOutIsRatio says rOut already holds s (only for
  // stages whose dividesOutput()); `below`, when given, asks for rIn divided as the next stage down would divide
  // it. Returns whether it did divide (false: rIn is plain relevance). The default takes neither shortcut.
  virtual bool relevanceFused(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut, bool rOutIsRatio,
                              const DivisionBelow* below, Tensor& rIn) {
    assert(!rOutIsRatio);
    relevance(backend, a, z, rOut, rIn);
    return false;
  }

 private:
  std::string m_label;
  std::size_t m_layer;
};

// Element-wise layers (activations, dropout at evaluation, flatten, Forward-Forward's input scaling): relevance
// passes unchanged (SPECS: "element-wise activations pass relevance through unchanged").
class PassStage final : public LrpStage {
 public:
  using LrpStage::LrpStage;
  bool passesThrough() const override { return true; }
  void relevance(Backend&, const Tensor&, const Tensor*, const Tensor&, Tensor&) override {}
};

// Max pooling, winner takes all: each window's relevance goes to the input that won it in the forward pass.
class WinnerStage final : public LrpStage {
 public:
  WinnerStage(std::string label, std::size_t layer, const Window2d& window, const Tensor& winners)
      : LrpStage(std::move(label), layer), m_window(window), m_winners(winners) {}
  void relevance(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut, Tensor& rIn) override;

 private:
  Window2d m_window;
  const Tensor& m_winners;  // the layer's argmax from the last forward
};

// A LayerNorm after its centring was merged into the linear layer before it: y = gamma * u / std(u) + beta with
// u of zero mean, element-wise up to the per-sample scale. The epsilon rule over this diagonal map:
// R_u = (y - beta) / (y + eps sign(y)) * R_y; beta absorbs its share, as a bias does.
class NormScaleStage final : public LrpStage {
 public:
  NormScaleStage(std::string label, std::size_t layer, const TensorView& beta);
  void relevance(Backend& backend, const Tensor& a, const Tensor* z, const Tensor& rOut, Tensor& rIn) override;

 private:
  Tensor m_negativeBeta;  // [F], empty without affine parameters
  Tensor m_scaled;
};

}  // namespace ffn

#pragma once
// LrpStage: one step of the relevance pass, from relevance at a layer's output to relevance at its input. An
// Explainer turns a network into a chain of stages: a LinearStage (a rule over a linear map) for every linear
// layer, pass-through for element-wise layers, WinnerStage for max pooling, NormScaleStage for what remains of
// a LayerNorm once a canonizer merged its centring into the layer before it.
#include <memory>
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

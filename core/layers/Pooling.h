#pragma once
// MaxPool2d and AvgPool2d over [C, H, W] images.
#include "core/graph/NodeKind.h"
#include "core/layers/Layer.h"

namespace ffn {

class MaxPool2d final : public Layer {
 public:
  MaxPool2d(const LayerBuild& build);
  std::string kind() const override { return "MaxPool2d"; }
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  const Window2d& window() const { return m_window; }
  // Index of the winning input (within one sample) for every output of the last forward.
  const Tensor& winners() const { return m_argmax; }

 private:
  Window2d m_window;
  Tensor m_argmax;
};

class AvgPool2d final : public Layer {
 public:
  AvgPool2d(const LayerBuild& build);
  std::string kind() const override { return "AvgPool2d"; }
  void forward(PassContext& ctx, const Tensor& x, Tensor& y) override;
  void backwardInput(PassContext& ctx, const Tensor& x, const Tensor& y, const Tensor& dy, Tensor& dx) override;
  const Window2d& window() const { return m_window; }

 private:
  Window2d m_window;
};

NodeKind maxPool2dKind();
NodeKind avgPool2dKind();

}  // namespace ffn

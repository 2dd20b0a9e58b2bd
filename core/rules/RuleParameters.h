#pragma once
// RuleParameters: trainable tensors a rule owns beyond the network's weights — Mono-Forward's projections,
// Counter-Current Learning's feedback net, Forward-Forward's read-out. Like the network, they live in one flat
// weight buffer with a gradient buffer of the same layout, and are updated by an optimiser of their own with the
// run's settings (one optimiser keeps per-element state for one buffer, so the network's cannot serve both).
// They are saved with the weights as "rule.<name>" (TrainingRule::ruleTensors).
#include <memory>
#include <string>
#include <vector>

#include "core/optim/Optimizer.h"
#include "core/rules/TrainingRule.h"

namespace ffn {

class RuleParameters {
 public:
  // Forgets every tensor and the optimiser state (a new run).
  void clear();
  // Declares a tensor ("mf.projection1") before allocate(); returns its index.
  int add(std::string name, Shape shape);
  // Allocates the buffers (zeroed).
  void allocate();

  int count() const { return static_cast<int>(m_entries.size()); }
  bool empty() const { return m_entries.empty(); }
  TensorView weight(int i) const { return {m_weights, m_entries[i].offset, m_entries[i].shape}; }
  TensorView gradient(int i) const { return {m_gradients, m_entries[i].offset, m_entries[i].shape}; }
  // The slice of tensors [first, first + count) in the flat buffers.
  WeightRange range(int first, int count = 1) const;
  Tensor& weights() { return m_weights; }
  Tensor& gradients() { return m_gradients; }
  std::vector<RuleTensor> tensors() const;

  // Zeroes the gradients of the tensors in `range` (all when range.count == 0).
  void zeroGradients(Backend& backend, WeightRange range = {});
  // One update of `range` with the settings and schedule position of `runOptimizer` (the optimiser the trainer
  // gives the rule); refuses a non-finite gradient as Optimizer::step does.
  Status step(Backend& backend, const Optimizer& runOptimizer, WeightRange range = {});

 private:
  struct Entry {
    std::string name;
    Shape shape;
    std::int64_t offset = 0;
  };
  std::vector<Entry> m_entries;
  std::int64_t m_size = 0;
  Tensor m_weights, m_gradients;
  std::unique_ptr<Optimizer> m_optimizer;
};

}  // namespace ffn

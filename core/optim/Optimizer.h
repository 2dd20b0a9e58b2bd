#pragma once
// Optimizer: turns gradients into weight updates over the network's flat buffers. Rules that train parts of a
// network separately (Forward-Forward layer by layer) update a WeightRange at a time; each range keeps its own
// step count for Adam's bias correction. A gradient holding NaN or infinity is refused before anything changes,
// so the weights stay the last good ones.
#include <map>
#include <memory>
#include <optional>

#include "core/backend/Backend.h"
#include "core/base/Rng.h"
#include "core/optim/OptimizerSettings.h"

namespace ffn {

// A slice [offset, offset + count) of the flat weight buffer.
struct WeightRange {
  std::int64_t offset = 0;
  std::int64_t count = 0;
};

class Optimizer {
 public:
  static Result<std::unique_ptr<Optimizer>> create(const OptimizerSettings& settings, Backend& backend,
                                                   std::uint64_t noiseSeed = 0);

  const OptimizerSettings& settings() const { return m_settings; }
  // The learning rate in force now (base rate times the schedule at the current progress).
  double currentLearningRate() const;
  // Fraction of the planned training done; drives the schedule.
  void setProgress(double progress) { m_progress = progress; }
  double progress() const { return m_progress; }

  // One update of weights[range] from gradients[range]; the whole buffers when range.count == 0. gradientsFinite:
  // what the caller already knows of the gradients in range (Network::gradientsFinite()); when unknown, a pass
  // over them finds out. Either way a gradient holding NaN or infinity changes nothing. tensors: the weight
  // tensors the range holds (Network::weightRows()), if known; Adam then updates only those (see AdamSettings).
  Status step(Tensor& weights, Tensor& gradients, WeightRange range = {},
              std::optional<bool> gradientsFinite = std::nullopt, std::span<const WeightRows> tensors = {});
  // Forgets all moments and step counts (a new run).
  void reset();

 private:
  Optimizer(const OptimizerSettings& settings, Backend& backend, std::uint64_t noiseSeed);
  void ensureState(std::int64_t size);
  void addGradientNoise(const TensorView& gradient, std::int64_t t);

  OptimizerSettings m_settings;
  Backend* m_backend;
  Rng m_noiseRng;
  double m_progress = 0.0;
  Tensor m_first, m_second;  // momentum velocity / Adam moments, laid out like the weights
  Tensor m_noise;
  std::map<std::int64_t, std::int64_t> m_steps;  // range offset -> updates so far
};

// Scales a gradient so its L2 norm is at most maxNorm; returns the norm before clipping.
double clipGradientNorm(Backend& backend, const TensorView& gradient, double maxNorm);

}  // namespace ffn

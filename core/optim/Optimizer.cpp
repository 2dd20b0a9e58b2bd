#include "core/optim/Optimizer.h"

#include <cassert>
#include <cmath>

namespace ffn {

Result<std::unique_ptr<Optimizer>> Optimizer::create(const OptimizerSettings& settings, Backend& backend,
                                                     std::uint64_t noiseSeed) {
  const auto& k = settings.kind;
  if (k != "sgd" && k != "momentum" && k != "adam" && k != "adamw")
    return fail("unknown optimiser '", k, "' (choose sgd, momentum, adam or adamw)");
  if (!(settings.learningRate > 0.0) || !std::isfinite(settings.learningRate))
    return fail("the learning rate must be a positive number");
  return std::unique_ptr<Optimizer>(new Optimizer(settings, backend, noiseSeed));
}

Optimizer::Optimizer(const OptimizerSettings& settings, Backend& backend, std::uint64_t noiseSeed)
    : m_settings(settings), m_backend(&backend), m_noiseRng(noiseSeed) {}

double Optimizer::currentLearningRate() const {
  return m_settings.learningRate * m_settings.schedule.factor(m_progress);
}

void Optimizer::reset() {
  m_first = Tensor();
  m_second = Tensor();
  m_steps.clear();
}

void Optimizer::ensureState(std::int64_t size) {
  const bool needsFirst = m_settings.kind != "sgd";
  const bool needsSecond = m_settings.kind == "adam" || m_settings.kind == "adamw";
  if (needsFirst && m_first.size() != size) m_first = Tensor(Shape{size});
  if (needsSecond && m_second.size() != size) m_second = Tensor(Shape{size});
}

void Optimizer::addGradientNoise(const TensorView& gradient, std::int64_t t) {
  const double variance = m_settings.gradientNoise / std::pow(1.0 + static_cast<double>(t), 0.55);
  m_noise.resize(gradient.shape());
  m_noiseRng.fillNormal(m_noise.mutableValues(), 0.0f, static_cast<float>(std::sqrt(variance)));
  m_backend->axpy(1.0f, m_noise, gradient);
}

Status Optimizer::step(Tensor& weights, Tensor& gradients, WeightRange range, std::optional<bool> gradientsFinite,
                       std::span<const WeightRows> tensors) {
  if (range.count == 0) range = {0, weights.size()};
  for ([[maybe_unused]] const WeightRows& t : tensors) assert(t.offset >= 0 && t.offset + t.rows * t.columns <= range.count);
  const TensorView w(weights, range.offset, Shape{range.count});
  const TensorView g(gradients, range.offset, Shape{range.count});
  const bool finite = gradientsFinite ? *gradientsFinite : m_backend->allFinite(g);  // the pass only if unknown
  if (!finite) return fail("the gradient contains NaN or infinity; the weights were left unchanged");
  ensureState(weights.size());
  const std::int64_t t = ++m_steps[range.offset];
  if (m_settings.gradientNoise > 0.0) addGradientNoise(g, t - 1);

  const auto lr = static_cast<float>(currentLearningRate());
  const auto decay = static_cast<float>(m_settings.weightDecay);
  const auto& kind = m_settings.kind;
  if (kind == "sgd") {
    m_backend->sgdUpdate(lr, decay, g, w);
  } else if (kind == "momentum") {
    m_backend->momentumUpdate(lr, static_cast<float>(m_settings.momentum), m_settings.nesterov, decay, g,
                              TensorView(m_first, range.offset, Shape{range.count}), w);
  } else {
    // adam: L2 weight decay added to the gradient (as PyTorch's Adam); adamw: decoupled decay in the update.
    if (kind == "adam" && decay != 0.0f) m_backend->axpy(decay, w, g);
    AdamSettings s;
    s.learningRate = lr;
    s.beta1 = static_cast<float>(m_settings.beta1);
    s.beta2 = static_cast<float>(m_settings.beta2);
    s.epsilon = static_cast<float>(m_settings.epsilon);
    s.weightDecay = kind == "adamw" ? decay : 0.0f;
    s.step = t;
    s.tensors = tensors;
    m_backend->adamUpdate(s, g, TensorView(m_first, range.offset, Shape{range.count}),
                          TensorView(m_second, range.offset, Shape{range.count}), w);
  }
  return {};
}

double clipGradientNorm(Backend& backend, const TensorView& gradient, double maxNorm) {
  const double norm = std::sqrt(backend.sumOfSquares(gradient));
  if (norm > maxNorm && norm > 0.0) backend.scale(static_cast<float>(maxNorm / norm), gradient);
  return norm;
}

}  // namespace ffn

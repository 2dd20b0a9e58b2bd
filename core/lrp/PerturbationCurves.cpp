#include "core/lrp/PerturbationCurves.h"

#include <algorithm>
#include <numeric>

namespace ffn {
namespace {

// baseline:[N, features] for the inputs:[N, input...].
Status makeBaseline(Backend& backend, const Tensor& inputs, const PerturbationSettings& settings, Tensor& baseline) {
  const std::int64_t features = inputs.cols();
  baseline.resize(inputs.shape());
  switch (settings.baseline) {
    case Baseline::Zero: backend.fill(0.0f, baseline); return {};
    case Baseline::Mean:
      if (!settings.mean || settings.mean->size() != features)
        return fail("the mean baseline needs the data's mean of every input feature");
      backend.fill(0.0f, baseline);
      backend.addRowVector(TensorView(baseline, 0, Shape{inputs.rows(), features}), *settings.mean);
      return {};
    case Baseline::Blur: {
      const Shape sample = inputs.shape().withoutBatch();
      if (sample.rank() != 3) return fail("the blur baseline needs image inputs [C, H, W], not ", sample.toString());
      if (settings.blurSize < 1 || settings.blurSize % 2 == 0) return fail("the blur size must be odd");
      // A k x k box blur that keeps the size: stride 1, padding k/2.
      Window2d w;
      w.channels = sample[0], w.height = sample[1], w.width = sample[2];
      w.kernelH = w.kernelW = settings.blurSize;
      w.padH = w.padW = settings.blurSize / 2;
      backend.avgPoolForward(w, inputs, baseline);
      return {};
    }
  }
  return {};
}

// Per sample, the feature indices sorted by relevance, largest first (ties by index).
std::vector<std::int32_t> relevanceOrder(const Tensor& relevance) {
  const std::int64_t n = relevance.rows(), features = relevance.cols();
  std::vector<std::int32_t> order(static_cast<std::size_t>(n * features));
  const float* r = relevance.data();
  for (std::int64_t s = 0; s < n; ++s) {
    auto first = order.begin() + s * features, last = first + features;
    std::iota(first, last, 0);
    const float* row = r + s * features;
    std::stable_sort(first, last, [&](std::int32_t a, std::int32_t b) { return row[a] > row[b]; });
  }
  return order;
}

std::vector<std::int32_t> reversedRows(std::vector<std::int32_t> order, std::int64_t features) {
  for (auto row = order.begin(); row != order.end(); row += features) std::reverse(row, row + features);
  return order;
}

}  // namespace

Result<Baseline> baselineFromName(const std::string& name) {
  if (name == "zero") return Baseline::Zero;
  if (name == "mean") return Baseline::Mean;
  if (name == "blur") return Baseline::Blur;
  return fail("unknown baseline '", name, "' (known: zero, mean, blur)");
}

PerturbationCurves::PerturbationCurves(int steps)
    : m_steps(std::max(1, steps)),
      m_morf(static_cast<std::size_t>(m_steps + 1), 0.0),
      m_lerf(m_morf),
      m_randomMorf(m_morf),
      m_randomLerf(m_morf) {}

Status PerturbationCurves::add(Explainer& explainer, const Tensor& inputs, const Explanation& explanation,
                               const PerturbationSettings& settings, Rng& rng) {
  if (settings.steps != m_steps) return fail("these curves have ", std::to_string(m_steps), " steps");
  if (explanation.relevance.shape() != inputs.shape() || explanation.size() != inputs.rows())
    return fail("the explanation does not belong to these inputs");
  const std::int64_t n = inputs.rows(), features = inputs.cols();
  Tensor baseline;
  FFN_TRY(makeBaseline(explainer.backend(), inputs, settings, baseline));
  const std::vector<std::int32_t> morf = relevanceOrder(explanation.relevance);
  std::vector<std::int32_t> random(morf.size());
  for (std::int64_t s = 0; s < n; ++s) {
    auto first = random.begin() + s * features;
    std::iota(first, first + features, 0);
    rng.shuffle(std::span<std::int32_t>(&*first, static_cast<std::size_t>(features)));
  }
  FFN_TRY(addCurve(explainer, inputs, baseline, explanation, morf, m_morf));
  FFN_TRY(addCurve(explainer, inputs, baseline, explanation, reversedRows(morf, features), m_lerf));
  FFN_TRY(addCurve(explainer, inputs, baseline, explanation, random, m_randomMorf));
  FFN_TRY(addCurve(explainer, inputs, baseline, explanation, reversedRows(random, features), m_randomLerf));
  m_samples += n;
  return {};
}

Status PerturbationCurves::addCurve(Explainer& explainer, const Tensor& inputs, const Tensor& baseline,
                                    const Explanation& explanation, const std::vector<std::int32_t>& order,
                                    std::vector<double>& sums) {
  const std::int64_t n = inputs.rows(), features = inputs.cols();
  m_perturbed = inputs;
  float* x = m_perturbed.mutableData();
  const float* base = baseline.data();
  for (int k = 0; k <= m_steps; ++k) {
    if (k > 0) {  // replace the features of step k: positions [F (k-1) / steps, F k / steps) of each order
      const std::int64_t begin = features * (k - 1) / m_steps, end = features * k / m_steps;
      for (std::int64_t s = 0; s < n; ++s)
        for (std::int64_t p = begin; p < end; ++p) {
          const std::int64_t i = s * features + order[static_cast<std::size_t>(s * features + p)];
          x[i] = base[i];
        }
    }
    FFN_TRY(explainer.scores(m_perturbed, explanation.classes, m_scores));
    sums[static_cast<std::size_t>(k)] += std::accumulate(m_scores.begin(), m_scores.end(), 0.0);
  }
  return {};
}

std::vector<double> PerturbationCurves::mean(const std::vector<double>& sums) const {
  std::vector<double> curve(sums);
  if (m_samples > 0)
    for (double& v : curve) v /= static_cast<double>(m_samples);
  return curve;
}

double PerturbationCurves::area(const std::vector<double>& curve) {
  if (curve.size() < 2) return 0.0;
  double total = 0.0;
  for (std::size_t k = 0; k + 1 < curve.size(); ++k) total += 0.5 * (curve[k] + curve[k + 1]);
  return total / static_cast<double>(curve.size() - 1);
}

}  // namespace ffn

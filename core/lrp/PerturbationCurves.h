#pragma once
// Attribution evaluation by region perturbation (pixel flipping, Samek et al. 2017; ABPC, Schulz et al. 2020):
// input features are replaced by a baseline in order of relevance - most relevant first (MoRF) and least
// relevant first (LeRF) - in equal steps, and the explained quantity f_c is recorded after each step. A faithful
// explanation makes f_c fall fast under MoRF and slowly under LeRF: ABPC = AUC(LeRF) - AUC(MoRF), higher is
// better. The same is always measured for a random order (its ABPC is about 0), so a number can be judged.
//
// Every step scores the whole batch with one forward pass; orders and replacements are index work on the host.
#include <cstdint>
#include <vector>

#include "core/base/Rng.h"
#include "core/lrp/Explainer.h"

namespace ffn {

enum class Baseline { Zero, Mean, Blur };
Result<Baseline> baselineFromName(const std::string& name);  // "zero", "mean", "blur"

struct PerturbationSettings {
  int steps = 20;                   // equal steps from no feature replaced to all replaced
  Baseline baseline = Baseline::Zero;
  const Tensor* mean = nullptr;     // [features]: the training data's mean (Baseline::Mean)
  int blurSize = 7;                 // odd: the k x k box blur of Baseline::Blur (zero-padded at the border)
};

// Mean curves over the samples added so far: entry k is f_c after k of `steps` steps.
class PerturbationCurves {
 public:
  explicit PerturbationCurves(int steps = 20);
  // Perturbs `inputs` in the orders of `explanation` (and in random orders drawn from rng) and adds the curves.
  Status add(Explainer& explainer, const Tensor& inputs, const Explanation& explanation,
             const PerturbationSettings& settings, Rng& rng);

  std::int64_t samples() const { return m_samples; }
  std::vector<double> morf() const { return mean(m_morf); }
  std::vector<double> lerf() const { return mean(m_lerf); }
  std::vector<double> randomMorf() const { return mean(m_randomMorf); }
  std::vector<double> randomLerf() const { return mean(m_randomLerf); }
  // Area under a mean curve over the replaced fraction [0, 1] (trapezoids).
  static double area(const std::vector<double>& curve);
  double abpc() const { return area(lerf()) - area(morf()); }
  double abpcRandom() const { return area(randomLerf()) - area(randomMorf()); }

 private:
  std::vector<double> mean(const std::vector<double>& sums) const;
  // Adds f_c after each step of replacing features in `order` (per sample: F feature indices) to `sums`.
  Status addCurve(Explainer& explainer, const Tensor& inputs, const Tensor& baseline, const Explanation& explanation,
                  const std::vector<std::int32_t>& order, std::vector<double>& sums);

  int m_steps;
  std::int64_t m_samples = 0;
  std::vector<double> m_morf, m_lerf, m_randomMorf, m_randomLerf;
  Tensor m_perturbed;
  std::vector<float> m_scores;
};

}  // namespace ffn

#include "core/lrp/Explanation.h"

#include <algorithm>
#include <cmath>

namespace ffn {

std::vector<double> Explanation::conservationErrors() const {
  std::vector<double> errors(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const double f = scores[i], r = relevanceSums[i];
    errors[i] = std::abs(r - f) / std::max(std::abs(f), 1e-12);
  }
  return errors;
}

double Explanation::medianConservationError() const {
  std::vector<double> errors = conservationErrors();
  if (errors.empty()) return 0.0;
  const auto middle = errors.begin() + static_cast<std::ptrdiff_t>(errors.size() / 2);
  std::nth_element(errors.begin(), middle, errors.end());
  return *middle;
}

}  // namespace ffn

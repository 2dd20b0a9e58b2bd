#include "views/charts/AxisTicks.h"

#include <algorithm>
#include <cmath>

namespace ffn::views {

AxisTicks niceTicks(double min, double max, int target, bool integer) {
  AxisTicks ticks;
  const double span = std::abs(max - min);
  target = std::max(target, 2);
  double raw = span > 0 && std::isfinite(span) ? span / target : 1.0;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;  // in [1, 10)
  // The nearest nice step (Heckbert's rounding, "Nice numbers for graph labels", Graphics Gems 1990): between
  // about two thirds of the ticks asked for and half as many again; rounding up instead could leave one tick.
  const double nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  ticks.interval = nice * power;
  if (integer && span >= 2) ticks.interval = std::max(1.0, std::round(ticks.interval));
  ticks.anchor = 0;  // multiples of the interval: 0 is always a tick position, so labels read as round numbers

  const double magnitude = std::max(std::abs(min), std::abs(max));
  if (ticks.interval < 1e-4 || magnitude >= 1e7) {
    ticks.decimals = -1;
    ticks.format = QStringLiteral("%.2g");
    return ticks;
  }
  // Decimals the interval needs: 0.25 has two, 0.5 one, 5 none.
  ticks.decimals = 0;
  while (ticks.decimals < 6) {
    const double scaled = ticks.interval * std::pow(10.0, ticks.decimals);
    if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) break;
    ++ticks.decimals;
  }
  ticks.format = QStringLiteral("%.%1f").arg(ticks.decimals);
  return ticks;
}

}  // namespace ffn::views

#pragma once
// AxisTicks: where a chart axis puts its ticks and how it writes their labels. Ticks sit on multiples of a "nice"
// interval (1, 2 or 5 times a power of ten) chosen so that about `target` of them fall in [min, max]; an integer
// axis (epochs, steps, ensemble members) never ticks finer than 1 once it spans more than a couple of units. The
// labels carry as many decimals as the interval needs and no more: 0, 5, 10 — not 0.0667, 7.55, 15.
#include <QString>

namespace ffn::views {

struct AxisTicks {
  double interval = 1;  // distance between ticks
  double anchor = 0;    // a tick position: every anchor + k * interval in range gets one
  QString format;       // printf format for QValueAxis::setLabelFormat
  int decimals = 0;     // digits after the point the format writes (-1: exponent notation)
};

// target: ticks wanted in [min, max] (at least 2); integer: the values are counts.
AxisTicks niceTicks(double min, double max, int target, bool integer);

}  // namespace ffn::views

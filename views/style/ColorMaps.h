#pragma once
// The colours that carry meaning in the lab's pictures: one colour per class (the same in the decision boundary,
// the data points, the charts and the dataset browser) and the maps that turn numbers into colours — diverging
// (blue < 0 < red, for weights and relevance) and sequential (dark to bright, for activations >= 0).
#include <QColor>
#include <QRgb>

namespace ffn::views {

// Class c's colour (ten distinct hues, repeating beyond ten).
QColor classColor(int c);
// The colour of the k-th line in a chart when each line is its own thing (runs, layers).
QColor seriesColor(int k);
// t in [-1, 1]: blue (-1), white (0), red (+1).
QRgb divergingColor(double t);
// t in [0, 1]: a perceptually even dark-violet-to-yellow ramp (viridis-like).
QRgb sequentialColor(double t);
// Blends `color` towards white by (1 - strength), strength in [0, 1]: a class region's confidence.
QRgb tinted(const QColor& color, double strength);

}  // namespace ffn::views

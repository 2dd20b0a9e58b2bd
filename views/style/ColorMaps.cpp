#include "views/style/ColorMaps.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ffn::views {
namespace {

// Tableau's ten categorical colours: distinct in hue and lightness, readable on a projector.
constexpr std::array<QRgb, 10> kCategorical{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                            0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

// Viridis sampled at nine stops; colours between stops are interpolated linearly.
constexpr std::array<QRgb, 9> kViridis{0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c,
                                       0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};

int mix(int a, int b, double t) { return static_cast<int>(std::lround(a + (b - a) * t)); }

QRgb mixRgb(QRgb a, QRgb b, double t) {
  return qRgb(mix(qRed(a), qRed(b), t), mix(qGreen(a), qGreen(b), t), mix(qBlue(a), qBlue(b), t));
}

}  // namespace

QColor classColor(int c) { return QColor(kCategorical[static_cast<std::size_t>(std::max(c, 0)) % kCategorical.size()]); }

QColor seriesColor(int k) { return classColor(k); }

QRgb divergingColor(double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, -1.0, 1.0);
  constexpr QRgb kBlue = 0x2166ac, kWhite = 0xf7f7f7, kRed = 0xb2182b;
  return t < 0 ? mixRgb(kWhite, kBlue, -t) : mixRgb(kWhite, kRed, t);
}

QRgb sequentialColor(double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (kViridis.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(t), kViridis.size() - 2);
  return mixRgb(kViridis[i], kViridis[i + 1], t - static_cast<double>(i));
}

QRgb tinted(const QColor& color, double strength) {
  return mixRgb(qRgb(255, 255, 255), color.rgb(), std::clamp(strength, 0.0, 1.0));
}

}  // namespace ffn::views

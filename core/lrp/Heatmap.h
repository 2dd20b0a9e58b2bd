#pragma once
// Heatmaps of relevance over image inputs, drawn here (no Qt) so the GUI and the CLI show the same pictures: the
// GUI wraps the RgbaImage in a QImage (Format_RGBA8888), the CLI writes it with writePng.
//
// Each map is normalised on its own, symmetrically: r / max|r| (or / the `saturation` quantile of |r|, clipped),
// so zero relevance always sits at the colour map's centre and the sign of the evidence keeps its colour.
#include <span>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/base/RgbaImage.h"
#include "core/tensor/Tensor.h"

namespace ffn {

// A diverging colour map over [-1, 1], centred on 0.
class ColorMap {
 public:
  // "bwr" (blue - white - red, zero white: for maps on their own), "coldnhot" (cyan - blue - black - red -
  // yellow, zero black: for overlays on bright images).
  static Result<ColorMap> named(const std::string& name);
  static std::vector<std::string> names();
  // v in [-1, 1] (clamped).
  Rgba operator()(float v) const;

 private:
  std::vector<std::pair<float, Rgba>> m_stops;  // ascending positions in [-1, 1]
};

struct HeatmapStyle {
  std::string colorMap = "bwr";
  float saturation = 1.0f;       // quantile of |r| that maps to full colour (1 = the maximum)
  bool overlay = false;          // blend the map over the input image (opacity grows with |r|)
  float overlayOpacity = 0.8f;
  bool showInput = false;        // in grids: the input image beside each map
  int scale = 4;                 // each input pixel becomes scale x scale screen pixels
  int padding = 4;               // between grid cells, in screen pixels
};

// One sample's map. relevance:[C, H, W] (channels are summed); input:[C, H, W] in the network's input space, shown
// as grey (or colour when C = 3) after min-max scaling; only needed for overlays.
Result<RgbaImage> renderHeatmap(std::span<const float> relevance, const Shape& imageShape, const HeatmapStyle& style,
                                std::span<const float> input = {});

// A grid of many samples, `columns` wide. relevance:[N, C, H, W]; inputs:[N, C, H, W] (for overlays and
// showInput; may be null otherwise).
Result<RgbaImage> renderHeatmapGrid(const Tensor& relevance, const Tensor* inputs, int columns,
                                    const HeatmapStyle& style);

// The input image alone, as the heatmaps show it ([C, H, W] -> grey or colour, min-max scaled).
RgbaImage renderInput(std::span<const float> input, const Shape& imageShape, int scale);

}  // namespace ffn

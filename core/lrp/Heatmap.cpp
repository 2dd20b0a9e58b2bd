#include "core/lrp/Heatmap.h"

#include <algorithm>
#include <cmath>

namespace ffn {
namespace {

std::uint8_t toByte(float v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 255.0f))); }

Rgba mix(Rgba a, Rgba b, float t) {
  return {toByte(a.r + (b.r - a.r) * t), toByte(a.g + (b.g - a.g) * t), toByte(a.b + (b.b - a.b) * t),
          toByte(a.a + (b.a - a.a) * t)};
}

struct ImageGeometry {
  std::int64_t channels = 1, height = 0, width = 0;
};

Result<ImageGeometry> geometryOf(const Shape& shape) {
  if (shape.rank() == 3 && shape.allPositive()) return ImageGeometry{shape[0], shape[1], shape[2]};
  if (shape.rank() == 2 && shape.allPositive()) return ImageGeometry{1, shape[0], shape[1]};
  return fail("heatmaps need image inputs [C, H, W]; this input is ", shape.toString());
}

// Per pixel: relevance summed over channels, divided symmetrically by the saturation level.
std::vector<float> normalisedMap(std::span<const float> relevance, const ImageGeometry& g, float saturation) {
  const std::int64_t plane = g.height * g.width;
  std::vector<float> map(static_cast<std::size_t>(plane), 0.0f);
  for (std::int64_t c = 0; c < g.channels; ++c)
    for (std::int64_t p = 0; p < plane; ++p) map[static_cast<std::size_t>(p)] += relevance[static_cast<std::size_t>(c * plane + p)];
  std::vector<float> magnitudes(map.size());
  std::transform(map.begin(), map.end(), magnitudes.begin(), [](float v) { return std::abs(v); });
  float level = 0.0f;
  if (saturation >= 1.0f) {
    level = *std::max_element(magnitudes.begin(), magnitudes.end());
  } else {
    const auto k = static_cast<std::size_t>(std::clamp(saturation, 0.0f, 1.0f) * static_cast<float>(magnitudes.size() - 1));
    std::nth_element(magnitudes.begin(), magnitudes.begin() + static_cast<std::ptrdiff_t>(k), magnitudes.end());
    level = magnitudes[k];
  }
  if (level > 0.0f)
    for (float& v : map) v = std::clamp(v / level, -1.0f, 1.0f);
  return map;
}

// The input as display colours: min-max scaled over the whole sample; grey unless it has three channels.
std::vector<Rgba> inputColours(std::span<const float> input, const ImageGeometry& g) {
  const auto [lowIt, highIt] = std::minmax_element(input.begin(), input.end());
  const float low = *lowIt, range = *highIt - *lowIt > 0.0f ? *highIt - *lowIt : 1.0f;
  const std::int64_t plane = g.height * g.width;
  std::vector<Rgba> colours(static_cast<std::size_t>(plane));
  auto level = [&](std::int64_t c, std::int64_t p) { return 255.0f * (input[static_cast<std::size_t>(c * plane + p)] - low) / range; };
  for (std::int64_t p = 0; p < plane; ++p) {
    if (g.channels == 3) {
      colours[static_cast<std::size_t>(p)] = {toByte(level(0, p)), toByte(level(1, p)), toByte(level(2, p)), 255};
    } else {
      float grey = 0.0f;
      for (std::int64_t c = 0; c < g.channels; ++c) grey += level(c, p);
      const std::uint8_t v = toByte(grey / static_cast<float>(g.channels));
      colours[static_cast<std::size_t>(p)] = {v, v, v, 255};
    }
  }
  return colours;
}

// Draws per-pixel colours into `target` at (left, top), each pixel a scale x scale block.
void blit(const std::vector<Rgba>& colours, const ImageGeometry& g, int scale, RgbaImage& target, int left, int top) {
  for (std::int64_t y = 0; y < g.height; ++y)
    for (std::int64_t x = 0; x < g.width; ++x) {
      const Rgba c = colours[static_cast<std::size_t>(y * g.width + x)];
      for (int dy = 0; dy < scale; ++dy)
        for (int dx = 0; dx < scale; ++dx)
          target.set(left + static_cast<int>(x) * scale + dx, top + static_cast<int>(y) * scale + dy, c);
    }
}

Result<std::vector<Rgba>> heatmapColours(std::span<const float> relevance, const ImageGeometry& g,
                                         const HeatmapStyle& style, std::span<const float> input) {
  auto colorMap = ColorMap::named(style.colorMap);
  if (!colorMap) return colorMap.error();
  const std::vector<float> map = normalisedMap(relevance, g, style.saturation);
  std::vector<Rgba> colours(map.size());
  std::transform(map.begin(), map.end(), colours.begin(), [&](float v) { return (*colorMap)(v); });
  if (style.overlay) {
    if (input.empty()) return fail("an overlay needs the input images");
    const std::vector<Rgba> background = inputColours(input, g);
    for (std::size_t p = 0; p < colours.size(); ++p)
      colours[p] = mix(background[p], colours[p], style.overlayOpacity * std::abs(map[p]));
  }
  return colours;
}

}  // namespace

Result<ColorMap> ColorMap::named(const std::string& name) {
  ColorMap map;
  if (name == "bwr") {
    map.m_stops = {{-1.0f, {0, 0, 255, 255}}, {0.0f, {255, 255, 255, 255}}, {1.0f, {255, 0, 0, 255}}};
  } else if (name == "coldnhot") {
    map.m_stops = {{-1.0f, {0, 255, 255, 255}}, {-0.5f, {0, 0, 255, 255}}, {0.0f, {0, 0, 0, 255}},
                   {0.5f, {255, 0, 0, 255}}, {1.0f, {255, 255, 0, 255}}};
  } else {
    return fail("unknown colour map '", name, "' (known: bwr, coldnhot)");
  }
  return map;
}

std::vector<std::string> ColorMap::names() { return {"bwr", "coldnhot"}; }

Rgba ColorMap::operator()(float v) const {
  v = std::clamp(std::isfinite(v) ? v : 0.0f, -1.0f, 1.0f);
  for (std::size_t i = 1; i < m_stops.size(); ++i)
    if (v <= m_stops[i].first) {
      const auto& [x0, c0] = m_stops[i - 1];
      const auto& [x1, c1] = m_stops[i];
      return mix(c0, c1, (v - x0) / (x1 - x0));
    }
  return m_stops.back().second;
}

Result<RgbaImage> renderHeatmap(std::span<const float> relevance, const Shape& imageShape, const HeatmapStyle& style,
                                std::span<const float> input) {
  auto g = geometryOf(imageShape);
  if (!g) return g.error();
  if (static_cast<std::int64_t>(relevance.size()) != imageShape.elementCount())
    return fail("the relevance has ", std::to_string(relevance.size()), " values, the image ",
                std::to_string(imageShape.elementCount()));
  auto colours = heatmapColours(relevance, *g, style, input);
  if (!colours) return colours.error();
  const int scale = std::max(1, style.scale);
  RgbaImage image(static_cast<int>(g->width) * scale, static_cast<int>(g->height) * scale);
  blit(*colours, *g, scale, image, 0, 0);
  return image;
}

RgbaImage renderInput(std::span<const float> input, const Shape& imageShape, int scale) {
  const ImageGeometry g{imageShape[0], imageShape[1], imageShape[2]};
  scale = std::max(1, scale);
  RgbaImage image(static_cast<int>(g.width) * scale, static_cast<int>(g.height) * scale);
  blit(inputColours(input, g), g, scale, image, 0, 0);
  return image;
}

Result<RgbaImage> renderHeatmapGrid(const Tensor& relevance, const Tensor* inputs, int columns,
                                    const HeatmapStyle& style) {
  const Shape sample = relevance.shape().withoutBatch();
  auto g = geometryOf(sample);
  if (!g) return g.error();
  const bool needInputs = style.overlay || style.showInput;
  if (needInputs && (!inputs || inputs->shape() != relevance.shape()))
    return fail("overlays and input images need the inputs, shaped like the relevance ", relevance.shape().toString());
  const std::int64_t n = relevance.rows(), size = sample.elementCount();
  if (n == 0) return fail("no samples to draw");
  columns = static_cast<int>(std::clamp<std::int64_t>(columns, 1, n));
  const int rows = static_cast<int>((n + columns - 1) / columns);
  const int scale = std::max(1, style.scale), pad = std::max(0, style.padding);
  const int mapWidth = static_cast<int>(g->width) * scale, mapHeight = static_cast<int>(g->height) * scale;
  const int cellWidth = style.showInput ? 2 * mapWidth + pad : mapWidth;
  RgbaImage grid(columns * cellWidth + (columns + 1) * pad, rows * mapHeight + (rows + 1) * pad);
  for (std::int64_t s = 0; s < n; ++s) {
    const auto first = static_cast<std::size_t>(s * size);
    const std::span<const float> r = relevance.values().subspan(first, static_cast<std::size_t>(size));
    const std::span<const float> x = inputs ? inputs->values().subspan(first, static_cast<std::size_t>(size))
                                            : std::span<const float>();
    auto colours = heatmapColours(r, *g, style, x);
    if (!colours) return colours.error();
    int left = pad + static_cast<int>(s % columns) * (cellWidth + pad);
    const int top = pad + static_cast<int>(s / columns) * (mapHeight + pad);
    if (style.showInput) {
      blit(inputColours(x, *g), *g, scale, grid, left, top);
      left += mapWidth + pad;
    }
    blit(*colours, *g, scale, grid, left, top);
  }
  return grid;
}

}  // namespace ffn

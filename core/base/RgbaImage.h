#pragma once
// RgbaImage: 8-bit RGBA pixels, row-major, 4 bytes per pixel in R, G, B, A order - the layout of
// QImage::Format_RGBA8888, so the GUI wraps the buffer without converting it, and the CLI writes the same
// pixels to a PNG (PngFile.h).
#include <cstdint>
#include <vector>

namespace ffn {

struct Rgba {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Rgba&) const = default;
};

struct RgbaImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 4

  RgbaImage() = default;
  RgbaImage(int w, int h, Rgba fill = {255, 255, 255, 255})
      : width(w), height(h), pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4) {
    for (std::size_t i = 0; i < pixels.size(); i += 4) {
      pixels[i] = fill.r, pixels[i + 1] = fill.g, pixels[i + 2] = fill.b, pixels[i + 3] = fill.a;
    }
  }
  int bytesPerLine() const { return width * 4; }
  Rgba at(int x, int y) const {
    const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4;
    return {pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]};
  }
  void set(int x, int y, Rgba c) {
    const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4;
    pixels[i] = c.r, pixels[i + 1] = c.g, pixels[i + 2] = c.b, pixels[i + 3] = c.a;
  }
};

}  // namespace ffn

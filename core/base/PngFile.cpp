#include "core/base/PngFile.h"

#include <png.h>

#include "core/base/AtomicFile.h"

namespace ffn {
namespace {

constexpr std::size_t kMaxPngBytes = std::size_t{256} << 20;

png_image rgbaImageHeader(int width, int height) {
  png_image header{};
  header.version = PNG_IMAGE_VERSION;
  header.width = static_cast<png_uint_32>(width);
  header.height = static_cast<png_uint_32>(height);
  header.format = PNG_FORMAT_RGBA;
  return header;
}

}  // namespace

Result<std::string> encodePng(const RgbaImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4)
    return fail("cannot encode an empty or inconsistent image (", std::to_string(image.width), "x",
                std::to_string(image.height), ")");
  png_image header = rgbaImageHeader(image.width, image.height);
  png_alloc_size_t size = 0;
  // The first call measures, the second writes.
  if (!png_image_write_to_memory(&header, nullptr, &size, 0, image.pixels.data(), image.bytesPerLine(), nullptr))
    return fail("PNG encoding failed: ", header.message);
  std::string bytes(size, '\0');
  if (!png_image_write_to_memory(&header, bytes.data(), &size, 0, image.pixels.data(), image.bytesPerLine(), nullptr))
    return fail("PNG encoding failed: ", header.message);
  bytes.resize(size);
  return bytes;
}

Status writePng(const RgbaImage& image, const std::string& path) {
  auto bytes = encodePng(image);
  if (!bytes) return fail(path, ": ", bytes.message());
  return writeFileAtomically(path, *bytes);
}

Result<RgbaImage> readPng(const std::string& path) {
  auto bytes = readWholeFile(path, kMaxPngBytes);
  if (!bytes) return bytes.error();
  png_image header{};
  header.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&header, bytes->data(), bytes->size()))
    return fail(path, ": not a readable PNG (", header.message, ")");
  header.format = PNG_FORMAT_RGBA;
  RgbaImage image(static_cast<int>(header.width), static_cast<int>(header.height));
  if (!png_image_finish_read(&header, nullptr, image.pixels.data(), image.bytesPerLine(), nullptr)) {
    png_image_free(&header);
    return fail(path, ": PNG decoding failed (", header.message, ")");
  }
  return image;
}

}  // namespace ffn

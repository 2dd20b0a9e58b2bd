#pragma once
// PNG files for RgbaImages, through libpng's simplified API (no setjmp), saved atomically (AtomicFile.h).
#include <string>

#include "core/base/Result.h"
#include "core/base/RgbaImage.h"

namespace ffn {

Result<std::string> encodePng(const RgbaImage& image);
Status writePng(const RgbaImage& image, const std::string& path);
// Any PNG, converted to 8-bit RGBA. Files over 256 MB are refused unread.
Result<RgbaImage> readPng(const std::string& path);

}  // namespace ffn

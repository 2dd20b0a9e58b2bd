#include "core/layers/ImageShapes.h"

namespace ffn {

Window2d windowFor(const Shape& input, const Json& params) {
  Window2d w;
  w.channels = input[0];
  w.height = input[1];
  w.width = input[2];
  w.kernelH = w.kernelW = params.at("kernel").get<std::int64_t>();
  w.strideH = w.strideW = params.at("stride").get<std::int64_t>();
  w.padH = w.padW = params.contains("padding") ? params.at("padding").get<std::int64_t>() : 0;
  return w;
}

Result<Shape> windowOutputShape(const Shape& input, const Json& params, std::int64_t outChannels) {
  if (input.rank() != 3)
    return fail("needs an image input [channels, height, width], got ", input.toString(),
                "; image layers go before Flatten and Dense");
  const Window2d w = windowFor(input, params);
  if (w.padH >= w.kernelH) return fail("padding must be smaller than the kernel");
  if (w.height + 2 * w.padH < w.kernelH || w.width + 2 * w.padW < w.kernelW)
    return fail("a ", std::to_string(w.kernelH), "x", std::to_string(w.kernelW), " window does not fit in a ",
                std::to_string(w.height), "x", std::to_string(w.width), " image");
  return Shape{outChannels, w.outHeight(), w.outWidth()};
}

}  // namespace ffn

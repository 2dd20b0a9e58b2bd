#pragma once
// Shared by the image layers: reading a [C, H, W] input and a window's settings into a Window2d.
#include "core/backend/Backend.h"
#include "core/graph/ParamSpec.h"
#include "core/tensor/Shape.h"

namespace ffn {

// The window of a convolution or pooling node over a [C, H, W] input (params: kernel, stride, padding).
Window2d windowFor(const Shape& input, const Json& params);
// Fails unless the input is [C, H, W] and the window fits inside the (padded) image.
Result<Shape> windowOutputShape(const Shape& input, const Json& params, std::int64_t outChannels);

}  // namespace ffn

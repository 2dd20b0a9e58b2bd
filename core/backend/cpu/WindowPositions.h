#pragma once
// Where the windows of a 2-D convolution or pooling sit on one image plane: shared by im2col / col2im and the
// pooling ops.
#include <cstdint>

#include "core/backend/Backend.h"

namespace ffn {

// Calls visit(y0, x0, inside) for the OH x OW windows of one plane, row by row: (y0, x0) is the window's top-left
// corner in the input (negative inside the padding), inside whether the whole window lies in the image. Most
// do, and those need no bounds checks: the checks (and a division per window) took most of im2col's and max
// pooling's time.
template <typename Visit>
void forEachWindowPosition(const Window2d& w, Visit&& visit) {
  const std::int64_t oh = w.outHeight(), ow = w.outWidth();
  for (std::int64_t y = 0; y < oh; ++y) {
    const std::int64_t y0 = y * w.strideH - w.padH;
    const bool rowInside = y0 >= 0 && y0 + w.kernelH <= w.height;
    for (std::int64_t x = 0; x < ow; ++x) {
      const std::int64_t x0 = x * w.strideW - w.padW;
      visit(y0, x0, rowInside && x0 >= 0 && x0 + w.kernelW <= w.width);
    }
  }
}

}  // namespace ffn

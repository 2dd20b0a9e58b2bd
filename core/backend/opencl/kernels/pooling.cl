// Max and average pooling over [N, C, H, W]; one work item per output (forward) or per input pixel (backward,
// which gathers from the windows covering the pixel in output order, so the sums match the CPU's bit for bit).
// Average pooling divides by the full window (padding counts as zeros). Twin: core/backend/cpu/Pooling.cpp.
// The host keeps pad < kernel here (a window entirely in the padding runs on the CPU).

// First window index covering input coordinate `in` along one axis, and one past the last.
int firstWindow(int in, int pad, int size, int stride) {
  const int numerator = in + pad - size + 1;
  return numerator <= 0 ? 0 : (numerator + stride - 1) / stride;
}
int endWindow(int in, int pad, int stride, int outSize) { return min(outSize, (in + pad) / stride + 1); }

// y = max over each window; argmax = the winner's index within its sample's [C, H, W] (as float)
__kernel void max_pool_forward(int total, FFN_WINDOW_ARGS, __global const float* x, int xo, __global float* y, int yo,
                               __global float* argmax, int ao) {
  const int o = get_global_id(0);
  if (o >= total) return;
  const int ox = o % outW, oy = (o / outW) % outH, plane = o / (outW * outH);
  const int planeStart = plane * height * width;
  const int sampleStart = (plane / channels) * channels * height * width;
  const int y0 = oy * strideH - padH, x0 = ox * strideW - padW;
  float best = -INFINITY;
  int bestIndex = planeStart;
  for (int ky = 0; ky < kernelH; ++ky)
    for (int kx = 0; kx < kernelW; ++kx) {
      const int iy = y0 + ky, ix = x0 + kx;
      if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
      const int index = planeStart + iy * width + ix;
      const float v = x[xo + index];
      if (v > best) {
        best = v;
        bestIndex = index;
      }
    }
  y[yo + o] = best;
  argmax[ao + o] = (float)(bestIndex - sampleStart);
}

// dx[pixel] = sum of dy over the windows whose winner is this pixel            total = N*C*H*W
__kernel void max_pool_backward(int total, FFN_WINDOW_ARGS, __global const float* argmax, int ao,
                                __global const float* dy, int dyo, __global float* dx, int dxo) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const int ix = i % width, iy = (i / width) % height, plane = i / (width * height);
  const int withinSample = i - (plane / channels) * channels * height * width;
  const int oyEnd = endWindow(iy, padH, strideH, outH), oxEnd = endWindow(ix, padW, strideW, outW);
  float sum = 0.0f;
  for (int oy = firstWindow(iy, padH, kernelH, strideH); oy < oyEnd; ++oy)
    for (int ox = firstWindow(ix, padW, kernelW, strideW); ox < oxEnd; ++ox) {
      const int o = (plane * outH + oy) * outW + ox;
      if ((int)argmax[ao + o] == withinSample) sum += dy[dyo + o];
    }
  dx[dxo + i] = sum;
}

// y = mean over each window (divided by KH*KW)
__kernel void avg_pool_forward(int total, FFN_WINDOW_ARGS, __global const float* x, int xo, __global float* y,
                               int yo) {
  const int o = get_global_id(0);
  if (o >= total) return;
  const int ox = o % outW, oy = (o / outW) % outH, plane = o / (outW * outH);
  const int y0 = oy * strideH - padH, x0 = ox * strideW - padW;
  const float inverseArea = 1.0f / (float)(kernelH * kernelW);
  float sum = 0.0f;
  for (int ky = 0; ky < kernelH; ++ky)
    for (int kx = 0; kx < kernelW; ++kx) {
      const int iy = y0 + ky, ix = x0 + kx;
      if (iy >= 0 && iy < height && ix >= 0 && ix < width) sum += x[xo + (plane * height + iy) * width + ix];
    }
  y[yo + o] = sum * inverseArea;
}

// dx[pixel] = sum over covering windows of dy / (KH*KW)                        total = N*C*H*W
__kernel void avg_pool_backward(int total, FFN_WINDOW_ARGS, __global const float* dy, int dyo, __global float* dx,
                                int dxo) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const int ix = i % width, iy = (i / width) % height, plane = i / (width * height);
  const float inverseArea = 1.0f / (float)(kernelH * kernelW);
  const int oyEnd = endWindow(iy, padH, strideH, outH), oxEnd = endWindow(ix, padW, strideW, outW);
  float sum = 0.0f;
  for (int oy = firstWindow(iy, padH, kernelH, strideH); oy < oyEnd; ++oy)
    for (int ox = firstWindow(ix, padW, kernelW, strideW); ox < oxEnd; ++ox)
      sum += dy[dyo + (plane * outH + oy) * outW + ox] * inverseArea;
  dx[dxo + i] = sum;
}

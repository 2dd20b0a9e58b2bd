// im2col / col2im and the channel transposes: x:[N,C,H,W] -> cols:[N*OH*OW, C*KH*KW]; one work item per output
// element. col2im gathers (each input pixel adds up the columns that read it, in the CPU's order) so no atomics
// are needed. Twin: core/backend/cpu/Convolution.cpp. The window arrives as FFN_WINDOW_ARGS (common.cl).

// cols[(s*OH + oy)*OW + ox, (c*KH + ky)*KW + kx] = x[s, c, oy*SH - PH + ky, ox*SW - PW + kx] (0 outside)
__kernel void im2col(int total, FFN_WINDOW_ARGS, __global const float* x, int xo, __global float* cols, int co) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const int patch = channels * kernelH * kernelW;
  const int row = i / patch, column = i - row * patch;
  const int ox = row % outW, oy = (row / outW) % outH, s = row / (outW * outH);
  const int kx = column % kernelW, ky = (column / kernelW) % kernelH, c = column / (kernelW * kernelH);
  const int iy = oy * strideH - padH + ky, ix = ox * strideW - padW + kx;
  const bool inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
  cols[co + i] = inside ? x[xo + ((s * channels + c) * height + iy) * width + ix] : 0.0f;
}

// dx[s, c, iy, ix] = sum of the column entries im2col copied from there      total = N*C*H*W
__kernel void col2im(int total, FFN_WINDOW_ARGS, __global const float* cols, int co, __global float* dx, int dxo) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const int ix = i % width, iy = (i / width) % height, c = (i / (width * height)) % channels;
  const int s = i / (width * height * channels);
  const int patch = channels * kernelH * kernelW;
  float sum = 0.0f;
  for (int oy = 0; oy < outH; ++oy) {
    const int ky = iy + padH - oy * strideH;
    if (ky < 0 || ky >= kernelH) continue;
    for (int ox = 0; ox < outW; ++ox) {
      const int kx = ix + padW - ox * strideW;
      if (kx < 0 || kx >= kernelW) continue;
      sum += cols[co + ((s * outH + oy) * outW + ox) * patch + (c * kernelH + ky) * kernelW + kx];
    }
  }
  dx[dxo + i] = sum;
}

// [N, HW, C] -> [N, C, HW]                                 total = N*HW*C, i indexes the output
__kernel void channels_last_to_first(int total, int hw, int c, __global const float* from, int fo, __global float* to,
                                     int to_) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const int p = i % hw, ch = (i / hw) % c, s = i / (hw * c);
  to[to_ + i] = from[fo + (s * hw + p) * c + ch];
}

// [N, C, HW] -> [N, HW, C]                                 total = N*HW*C, i indexes the output
__kernel void channels_first_to_last(int total, int hw, int c, __global const float* from, int fo, __global float* to,
                                     int to_) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const int ch = i % c, p = (i / c) % hw, s = i / (hw * c);
  to[to_ + i] = from[fo + (s * c + ch) * hw + p];
}

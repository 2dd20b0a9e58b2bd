// Element-wise kernels: one work item per element (global size rounded up; items past n return). The matrix
// forms take a row stride, so they work on column ranges too. Twin: core/backend/cpu/Elementwise.cpp.

// x[i] = value                                            x:[n]
__kernel void fill(int n, float value, __global float* x, int xo) {
  const int i = get_global_id(0);
  if (i < n) x[xo + i] = value;
}

// to[i] = from[i]                                         from, to:[n]
__kernel void copy(int n, __global const float* from, int fo, __global float* to, int to_) {
  const int i = get_global_id(0);
  if (i < n) to[to_ + i] = from[fo + i];
}

// y[i] += alpha x[i]                                      x, y:[n]
__kernel void axpy(int n, float alpha, __global const float* x, int xo, __global float* y, int yo) {
  const int i = get_global_id(0);
  if (i < n) y[yo + i] += alpha * x[xo + i];
}

// x[i] *= alpha                                          x:[n]
__kernel void scale(int n, float alpha, __global float* x, int xo) {
  const int i = get_global_id(0);
  if (i < n) x[xo + i] *= alpha;
}

// out[i] = a[i] * b[i]                                    a, b, out:[n]
__kernel void multiply(int n, __global const float* a, int ao, __global const float* b, int bo,
                       __global float* out, int oo) {
  const int i = get_global_id(0);
  if (i < n) out[oo + i] = a[ao + i] * b[bo + i];
}

// out = r / (z + eps * sign(z)) with sign(0) = +1; 0 where the denominator is 0 (LRP's epsilon rule)
__kernel void stabilized_divide(int n, float eps, __global const float* r, int ro, __global const float* z, int zo,
                                __global float* out, int oo) {
  const int i = get_global_id(0);
  if (i >= n) return;
  const float zi = z[zo + i];
  const float denominator = zi + eps * (zi >= 0.0f ? 1.0f : -1.0f);
  out[oo + i] = denominator != 0.0f ? r[ro + i] / denominator : 0.0f;
}

// x[r, c] = value over a [rows, cols] view with row stride xs; global (cols rounded up, rows)
__kernel void fill_matrix(int rows, int cols, float value, __global float* x, int xo, int xs) {
  const int c = get_global_id(0), r = get_global_id(1);
  if (c < cols && r < rows) x[xo + r * xs + c] = value;
}

// x[r, c] *= alpha over a [rows, cols] view with row stride xs; global (cols rounded up, rows)
__kernel void scale_matrix(int rows, int cols, float alpha, __global float* x, int xo, int xs) {
  const int c = get_global_id(0), r = get_global_id(1);
  if (c < cols && r < rows) x[xo + r * xs + c] *= alpha;
}

// y[r, :] += bias                                         y:[rows, cols] (row stride ys), bias:[cols]
__kernel void add_row_vector(int rows, int cols, __global float* y, int yo, int ys, __global const float* bias,
                             int bo) {
  const int c = get_global_id(0), r = get_global_id(1);
  if (c < cols && r < rows) y[yo + r * ys + c] += bias[bo + c];
}

// y[r, :] = x[index[r], :]                               x:[?, cols] (row stride xs), index:[rows], y:[rows, cols]
__kernel void gather_rows(int rows, int cols, __global const float* x, int xo, int xs, __global const float* index,
                          int io, __global float* y, int yo, int ys) {
  const int c = get_global_id(0), r = get_global_id(1);
  if (c < cols && r < rows) y[yo + r * ys + c] = x[xo + (int)index[io + r] * xs + c];
}

// y[r, :] = factors[r] * x[r, :] (y may be x)             x, y:[rows, cols] (row strides xs, ys), factors:[rows]
__kernel void scale_rows(int rows, int cols, __global const float* x, int xo, int xs, __global const float* factors,
                         int fo, __global float* y, int yo, int ys) {
  const int c = get_global_id(0), r = get_global_id(1);
  if (c < cols && r < rows) y[yo + r * ys + c] = factors[fo + r] * x[xo + r * xs + c];
}

// Reductions. Whole-tensor ones write one partial per work-group (in acc_t: double where the device has it),
// which the host adds up in double — the CPU reference sums in double too. Twin: core/backend/cpu/Elementwise.cpp
// and Gemm.cpp (sumRows).

// mode 0: sum x, 1: sum x^2, 2: count of NaN/inf.   x:[n] -> partials:[groups]
// Launched with global = groups * FFN_REDUCE_GROUP, local = FFN_REDUCE_GROUP; items stride by the global size.
__kernel void reduce_partials(int n, int mode, __global const float* x, int xo, __global acc_t* partials) {
  __local acc_t scratch[FFN_REDUCE_GROUP];
  const int lid = get_local_id(0);
  const int stride = get_global_size(0);
  acc_t total = 0;
  for (int i = get_global_id(0); i < n; i += stride) {
    const float v = x[xo + i];
    if (mode == 0)
      total += (acc_t)v;
    else if (mode == 1)
      total += (acc_t)v * (acc_t)v;
    else
      total += isfinite(v) ? (acc_t)0 : (acc_t)1;
  }
  scratch[lid] = total;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int span = FFN_REDUCE_GROUP / 2; span > 0; span >>= 1) {
    if (lid < span) scratch[lid] += scratch[lid + span];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0) partials[get_group_id(0)] = scratch[0];
}

// out = beta * out + sum_r x[r, :]    x:[rows, cols] (row stride xs) -> out:[cols]; one item per column, rows
// added in order in float (as Eigen's column sums); out is not read when beta == 0 (it may hold NaN).
__kernel void sum_rows(int rows, int cols, float beta, __global const float* x, int xo, int xs, __global float* out,
                       int oo) {
  const int c = get_global_id(0);
  if (c >= cols) return;
  float total = 0.0f;
  for (int r = 0; r < rows; ++r) total += x[xo + r * xs + c];
  out[oo + c] = beta == 0.0f ? total : beta * out[oo + c] + total;
}

// out[r] = sum_c x[r, c]^2        x:[rows, cols] -> out:[rows]; one work-group per row
__kernel void row_sum_of_squares(int rows, int cols, __global const float* x, int xo, int xs, __global float* out,
                                 int oo) {
  __local acc_t scratch[FFN_ROW_GROUP];
  const int r = get_group_id(0);
  __global const float* row = x + xo + r * xs;
  const float total = rowGroupDot(scratch, row, row, cols);
  if (get_local_id(0) == 0) out[oo + r] = total;
}

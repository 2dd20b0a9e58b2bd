// Row-wise kernels: one work-group of FFN_ROW_GROUP items per row (global = rows * FFN_ROW_GROUP); the items
// stride over the row's columns and meet in local memory for the row's sums and maxima. Views are
// (buffer, offset, row stride). Twins: core/backend/cpu/Elementwise.cpp and Normalization.cpp.

// y = softmax(x) per row                                  x:[rows, cols] -> y:[rows, cols]
__kernel void softmax_rows(int rows, int cols, __global const float* x, int xo, int xs, __global float* y, int yo,
                           int ys) {
  FFN_ROW_ARGMAX_SCRATCH;
  const int r = get_group_id(0);
  __global const float* in = x + xo + r * xs;
  __global float* out = y + yo + r * ys;
  float best;
  int bestIndex;
  rowArgMax(in, cols, maxima, indices, &best, &bestIndex);
  acc_t total = 0;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) {
    const float e = exp(in[c] - best);
    out[c] = e;
    total += (acc_t)e;
  }
  const float sum = (float)rowGroupSum(scratch, total);
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) out[c] = out[c] / sum;
}

// dx = y * (dy - <dy, y>) per row                         y, dy:[rows, cols] -> dx:[rows, cols]
__kernel void softmax_backward(int rows, int cols, __global const float* y, int yo, int ys, __global const float* dy,
                               int dyo, int dys, __global float* dx, int dxo, int dxs) {
  __local acc_t scratch[FFN_ROW_GROUP];
  const int r = get_group_id(0);
  __global const float* out = y + yo + r * ys;
  __global const float* gradOut = dy + dyo + r * dys;
  __global float* gradIn = dx + dxo + r * dxs;
  const float d = rowGroupDot(scratch, out, gradOut, cols);
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) gradIn[c] = out[c] * (gradOut[c] - d);
}

// y[r, :] = x[r, :] / (||x[r, :]|| + eps), norms[r] = ||x[r, :]||       x:[rows, cols] -> y, norms:[rows]
__kernel void normalize_rows(int rows, int cols, float eps, __global const float* x, int xo, int xs, __global float* y,
                             int yo, int ys, __global float* norms, int no) {
  __local acc_t scratch[FFN_ROW_GROUP];
  const int r = get_group_id(0);
  __global const float* in = x + xo + r * xs;
  __global float* out = y + yo + r * ys;
  const float norm = sqrt(rowGroupDot(scratch, in, in, cols));
  const float denominator = norm + eps;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) out[c] = in[c] / denominator;
  if (get_local_id(0) == 0) norms[no + r] = norm;
}

// With s = ||x||: dx = (dy - y <dy, y> s / (s + eps)) / (s + eps)           y, dy:[rows, cols], norms:[rows]
__kernel void normalize_rows_backward(int rows, int cols, float eps, __global const float* y, int yo, int ys,
                                      __global const float* norms, int no, __global const float* dy, int dyo, int dys,
                                      __global float* dx, int dxo, int dxs) {
  __local acc_t scratch[FFN_ROW_GROUP];
  const int r = get_group_id(0);
  __global const float* out = y + yo + r * ys;
  __global const float* gradOut = dy + dyo + r * dys;
  __global float* gradIn = dx + dxo + r * dxs;
  const float d = rowGroupDot(scratch, out, gradOut, cols);
  const float s = norms[no + r];
  const float coefficient = d * s / (s + eps);
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP)
    gradIn[c] = (gradOut[c] - out[c] * coefficient) / (s + eps);
}

// Layer normalisation of each row, then y = y * gamma + beta when given; mean, rstd:[rows] are kept.
__kernel void layer_norm_forward(int rows, int cols, float eps, __global const float* x, int xo, int xs,
                                 __global const float* gamma, int go, int hasGamma, __global const float* beta,
                                 int bo, int hasBeta, __global float* y, int yo, int ys, __global float* mean, int mo,
                                 __global float* rstd, int ro) {
  __local acc_t scratch[FFN_ROW_GROUP];
  const int r = get_group_id(0);
  __global const float* in = x + xo + r * xs;
  __global float* out = y + yo + r * ys;
  acc_t total = 0;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) total += (acc_t)in[c];
  const float m = (float)rowGroupSum(scratch, total) / (float)cols;
  acc_t squares = 0;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) {
    const float centred = in[c] - m;
    squares += (acc_t)(centred * centred);
  }
  const float variance = fmax((float)rowGroupSum(scratch, squares) / (float)cols, 0.0f);
  const float inverseStd = 1.0f / sqrt(variance + eps);
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) {
    float v = (in[c] - m) * inverseStd;
    if (hasGamma) v *= gamma[go + c];
    if (hasBeta) v += beta[bo + c];
    out[c] = v;
  }
  if (get_local_id(0) == 0) {
    mean[mo + r] = m;
    rstd[ro + r] = inverseStd;
  }
}

// dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), g = dy * gamma, xhat = (x - mean) * rstd
__kernel void layer_norm_backward(int rows, int cols, __global const float* x, int xo, int xs,
                                  __global const float* gamma, int go, int hasGamma, __global const float* mean, int mo,
                                  __global const float* rstd, int ro, __global const float* dy, int dyo, int dys,
                                  __global float* dx, int dxo, int dxs) {
  __local acc_t scratch[FFN_ROW_GROUP];
  const int r = get_group_id(0);
  __global const float* in = x + xo + r * xs;
  __global const float* gradOut = dy + dyo + r * dys;
  __global float* gradIn = dx + dxo + r * dxs;
  const float m = mean[mo + r], inverseStd = rstd[ro + r];
  acc_t sumG = 0, sumGX = 0;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) {
    const float g = hasGamma ? gradOut[c] * gamma[go + c] : gradOut[c];
    const float xhat = (in[c] - m) * inverseStd;
    sumG += (acc_t)g;
    sumGX += (acc_t)(g * xhat);
  }
  const float invF = 1.0f / (float)cols;
  const float meanG = (float)rowGroupSum(scratch, sumG) * invF;
  const float meanGX = (float)rowGroupSum(scratch, sumGX) * invF;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) {
    const float g = hasGamma ? gradOut[c] * gamma[go + c] : gradOut[c];
    const float xhat = (in[c] - m) * inverseStd;
    gradIn[c] = ((g - meanG) - xhat * meanGX) * inverseStd;
  }
}

// dgamma[c] += sum_r dy * xhat, dbeta[c] += sum_r dy; one item per column, rows in order (float, as Eigen)
__kernel void layer_norm_param_grads(int rows, int cols, __global const float* x, int xo, int xs,
                                     __global const float* mean, int mo, __global const float* rstd, int ro,
                                     __global const float* dy, int dyo, int dys, __global float* dgamma, int dgo,
                                     int hasDgamma, __global float* dbeta, int dbo, int hasDbeta) {
  const int c = get_global_id(0);
  if (c >= cols) return;
  float sumGX = 0.0f, sumG = 0.0f;
  for (int r = 0; r < rows; ++r) {
    const float g = dy[dyo + r * dys + c];
    const float xhat = (x[xo + r * xs + c] - mean[mo + r]) * rstd[ro + r];
    sumGX += g * xhat;
    sumG += g;
  }
  if (hasDgamma) dgamma[dgo + c] += sumGX;
  if (hasDbeta) dbeta[dbo + c] += sumG;
}

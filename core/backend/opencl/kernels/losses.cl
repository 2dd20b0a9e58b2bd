// Losses, one work-group per row. Each row leaves its loss (acc_t) and whether its argmax was right (int) in
// small per-row buffers; the host downloads those and adds them up in double. Twin: core/backend/cpu/Losses.cpp.

// dlogits = scale * (softmax(logits) - onehot(label)); loss = log(sum exp(z - max)) - (z[label] - max)
// logits:[rows, cols], labels:[rows] (class ids as floats) -> dlogits:[rows, cols], rowLoss, rowCorrect:[rows].
// A label outside [0, cols) gives a NaN loss (the trainer stops on it) instead of reading out of bounds.
__kernel void softmax_cross_entropy(int rows, int cols, float scale, __global const float* logits, int lo, int ls,
                                    __global const float* labels, int lbo, __global float* dlogits, int dlo, int dls,
                                    __global acc_t* rowLoss, __global int* rowCorrect) {
  FFN_ROW_ARGMAX_SCRATCH;
  const int r = get_group_id(0);
  __global const float* z = logits + lo + r * ls;
  __global float* grad = dlogits + dlo + r * dls;
  float best;
  int bestIndex;
  rowArgMax(z, cols, maxima, indices, &best, &bestIndex);
  acc_t total = 0;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) total += (acc_t)exp(z[c] - best);
  const float sum = (float)rowGroupSum(scratch, total);
  const float label = labels[lbo + r];
  const int target = (int)label;
  const bool valid = label >= 0.0f && target < cols;
  const float targetLogit = valid ? z[target] : 0.0f;
  // Every item has read what it needs from z before anyone writes (dlogits may be logits).
  barrier(CLK_GLOBAL_MEM_FENCE);
  const float factor = scale / sum;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) {
    float g = exp(z[c] - best) * factor;
    if (c == target) g -= scale;
    grad[c] = g;
  }
  if (get_local_id(0) == 0) {
    rowLoss[r] = valid ? log((acc_t)sum) - (acc_t)(targetLogit - best) : (acc_t)NAN;
    rowCorrect[r] = valid && bestIndex == target ? 1 : 0;
  }
}

// dout = scale * (out - target); loss = 0.5 * sum (out - target)^2; correct when the argmaxes agree
// out, target:[rows, cols] -> dout:[rows, cols], rowLoss, rowCorrect:[rows]
__kernel void mean_squared_error(int rows, int cols, float scale, __global const float* out, int oo, int os,
                                 __global const float* target, int to_, int ts, __global float* dout, int doo, int dos,
                                 __global acc_t* rowLoss, __global int* rowCorrect) {
  FFN_ROW_ARGMAX_SCRATCH;
  const int r = get_group_id(0);
  __global const float* y = out + oo + r * os;
  __global const float* t = target + to_ + r * ts;
  __global float* grad = dout + doo + r * dos;
  float best, expectedBest;
  int predicted, expected;
  rowArgMax(y, cols, maxima, indices, &best, &predicted);
  rowArgMax(t, cols, maxima, indices, &expectedBest, &expected);
  acc_t squares = 0;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) {
    const float difference = y[c] - t[c];
    squares += (acc_t)difference * (acc_t)difference;
    grad[c] = difference * scale;
  }
  const acc_t total = rowGroupSum(scratch, squares);
  if (get_local_id(0) == 0) {
    rowLoss[r] = (acc_t)0.5 * total;
    rowCorrect[r] = predicted == expected ? 1 : 0;
  }
}

// A two-layer ReLU network on inputs that are basis vectors, x_n = e_index[n] (the permutation task's training
// set), with weights stored unit-minor: w1t:[in, units] (W1 transposed), b1:[units], w2:[outs, units], b2:[outs].
// The first layer's forward is a gather of rows of w1t and its weight gradient a row update. index holds
// float-coded positions. Twin: core/backend/BasisRelu.cpp (the host implementation every backend inherits).

float basisRelu(float a) { return a < 0.0f ? 0.0f : a; }  // as std::max(a, 0.0f)

// out[n, o] = sum_j relu(w1t[index[n], j] + b1[j]) w2[o, j] + b2[o]; one work-group per (n, o), its items striding
// over the units.                                                          index:[rows] -> out:[rows, outs]
__kernel void basis_relu_forward(int rows, int outs, int units, __global const float* index, int io,
                                 __global const float* w1t, int w1o, int w1s, __global const float* b1, int b1o,
                                 __global const float* w2, int w2o, int w2s, __global const float* b2, int b2o,
                                 __global float* out, int oo, int os) {
  __local acc_t scratch[FFN_ROW_GROUP];
  const int pair = get_group_id(0);
  const int n = pair / outs, o = pair % outs;
  __global const float* w = w1t + w1o + (int)index[io + n] * w1s;
  __global const float* v = w2 + w2o + o * w2s;
  acc_t total = 0;
  for (int j = get_local_id(0); j < units; j += FFN_ROW_GROUP) total += (acc_t)(basisRelu(w[j] + b1[b1o + j]) * v[j]);
  const float sum = (float)rowGroupSum(scratch, total);
  if (get_local_id(0) == 0) out[oo + n * os + o] = sum + b2[b2o + o];
}

// Gradients for dL/dout = g:[rows, outs], written (not added): one work item per hidden unit j (adjacent items read
// adjacent columns), which owns column j of dw1t, db1 and dw2, so nothing is shared; item o < outs also sums db2[o].
//   dw2[o, j] = sum_n g[n, o] relu(pre[n, j]),  dh[n, j] = sum_o g[n, o] w2[o, j] relu'(pre[n, j]),
//   dw1t[i, j] = sum over n with index[n] = i of dh[n, j],  db1[j] = sum_n dh[n, j],  db2[o] = sum_n g[n, o]
__kernel void basis_relu_backward(int rows, int outs, int inputs, int units, __global const float* index, int io,
                                  __global const float* w1t, int w1o, int w1s, __global const float* b1, int b1o,
                                  __global const float* w2, int w2o, int w2s, __global const float* g, int go,
                                  int gs, __global float* dw1t, int d1o, int d1s, __global float* db1, int db1o,
                                  __global float* dw2, int d2o, int d2s, __global float* db2, int db2o) {
  const int j = get_global_id(0);
  if (j < outs) {
    acc_t s = 0;
    for (int n = 0; n < rows; ++n) s += (acc_t)g[go + n * gs + j];
    db2[db2o + j] = (float)s;
  }
  if (j >= units) return;
  const float bias = b1[b1o + j];
  for (int i = 0; i < inputs; ++i) dw1t[d1o + i * d1s + j] = 0.0f;
  for (int o = 0; o < outs; ++o) {
    acc_t s = 0;
    for (int n = 0; n < rows; ++n)
      s += (acc_t)(g[go + n * gs + o] * basisRelu(w1t[w1o + (int)index[io + n] * w1s + j] + bias));
    dw2[d2o + o * d2s + j] = (float)s;
  }
  acc_t biasGradient = 0;
  for (int n = 0; n < rows; ++n) {
    const int i = (int)index[io + n];
    if (!(w1t[w1o + i * w1s + j] + bias > 0.0f)) continue;  // relu'(0) = 0, as in PyTorch
    acc_t d = 0;
    for (int o = 0; o < outs; ++o) d += (acc_t)(g[go + n * gs + o] * w2[w2o + o * w2s + j]);
    dw1t[d1o + i * d1s + j] += (float)d;
    biasGradient += d;
  }
  db1[db1o + j] = (float)biasGradient;
}

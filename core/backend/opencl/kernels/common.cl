// Shared by every FFN Lab kernel (this file comes first in the program). The host builds with:
//   -DFFN_ROW_GROUP=<n>     work-group size of the row kernels (one group per row), a power of two
//   -DFFN_REDUCE_GROUP=<n>  work-group size of the whole-tensor reductions, a power of two
//   -DFFN_FP64              when the device has cl_khr_fp64: sums are accumulated in double, as on the CPU
// Views arrive as (buffer, element offset[, row stride]); sizes are int (the host refuses tensors of 2^31
// elements or more). Every kernel has a CPU twin in core/backend/cpu/, which is the reference in the tests.

// a*b+c stays two roundings, as in the CPU reference (compiled without FMA contraction).
#pragma OPENCL FP_CONTRACT OFF

#ifdef FFN_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#else
typedef float acc_t;
#endif

#ifndef FFN_ROW_GROUP
#define FFN_ROW_GROUP 64
#endif
#ifndef FFN_REDUCE_GROUP
#define FFN_REDUCE_GROUP 256
#endif

// A 2-D window over [N, C, H, W] (ffn::Window2d plus its output size), as kernel parameters.
#define FFN_WINDOW_ARGS                                                                                         \
  int channels, int height, int width, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, \
      int outH, int outW

// Sum of `value` over the work-group (size FFN_ROW_GROUP); every item of the group must call it and gets the
// total. `scratch` holds FFN_ROW_GROUP entries.
acc_t rowGroupSum(__local acc_t* scratch, acc_t value) {
  const int lid = get_local_id(0);
  scratch[lid] = value;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int span = FFN_ROW_GROUP / 2; span > 0; span >>= 1) {
    if (lid < span) scratch[lid] += scratch[lid + span];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  const acc_t total = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);  // scratch may be reused right after
  return total;
}

// <a, b> of one row (both read with the row's work-group stride), summed over the group; every item gets it.
float rowGroupDot(__local acc_t* scratch, __global const float* a, __global const float* b, int cols) {
  acc_t dot = 0;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) dot += (acc_t)(a[c] * b[c]);
  return (float)rowGroupSum(scratch, dot);
}

// The local memory of a row kernel that needs the row's argmax and a sum: OpenCL allows __local arrays only
// at kernel scope, so each such kernel opens with this line instead of three declarations.
#define FFN_ROW_ARGMAX_SCRATCH            \
  __local float maxima[FFN_ROW_GROUP];    \
  __local int indices[FFN_ROW_GROUP];     \
  __local acc_t scratch[FFN_ROW_GROUP]

// Maximum of `value` over the work-group, with the smallest index among equal maxima (Eigen's maxCoeff keeps
// the first). NaN loses against numbers, as `>` does on the CPU.
void rowGroupArgMax(__local float* values, __local int* indices, float* value, int* index) {
  const int lid = get_local_id(0);
  values[lid] = *value;
  indices[lid] = *index;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int span = FFN_ROW_GROUP / 2; span > 0; span >>= 1) {
    if (lid < span) {
      const float other = values[lid + span];
      const int otherIndex = indices[lid + span];
      if (other > values[lid] || (other == values[lid] && otherIndex < indices[lid])) {
        values[lid] = other;
        indices[lid] = otherIndex;
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  *value = values[0];
  *index = indices[0];
  barrier(CLK_LOCAL_MEM_FENCE);
}

// Max over the row's strided slice of one work item, then over the group: the row maximum and its first index.
// Items with no column start from -INFINITY / index INT_MAX so they never win.
void rowArgMax(__global const float* row, int cols, __local float* values, __local int* indices, float* best,
               int* bestIndex) {
  float value = -INFINITY;
  int index = INT_MAX;
  for (int c = get_local_id(0); c < cols; c += FFN_ROW_GROUP) {
    const float v = row[c];
    if (index == INT_MAX || v > value) {
      value = v;
      index = c;
    }
  }
  rowGroupArgMax(values, indices, &value, &index);
  *best = value;
  *bestIndex = index;
}

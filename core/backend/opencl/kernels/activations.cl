// Activations and their derivatives, element-wise; `kind` follows ffn::ActivationKind
// (0 Identity, 1 ReLU, 2 ELU, 3 GELU, 4 Tanh, 5 Sigmoid). Twin: core/backend/cpu/Elementwise.cpp.

#define FFN_INV_SQRT2 0.70710678118654752f
#define FFN_INV_SQRT2PI 0.39894228040143268f

// y = f(x)                                                x, y:[n]
__kernel void activation_forward(int n, int kind, float alpha, __global const float* x, int xo, __global float* y,
                                 int yo) {
  const int i = get_global_id(0);
  if (i >= n) return;
  const float v = x[xo + i];
  float out;
  switch (kind) {
    case 1: out = fmax(v, 0.0f); break;
    case 2: out = v > 0.0f ? v : alpha * (exp(v) - 1.0f); break;
    case 3: out = 0.5f * v * (1.0f + erf(v * FFN_INV_SQRT2)); break;
    case 4: out = tanh(v); break;
    case 5: out = 1.0f / (1.0f + exp(-v)); break;
    default: out = v; break;
  }
  y[yo + i] = out;
}

// dx = dy * f'(x), with y = f(x) for the kinds whose derivative uses it      x, y, dy, dx:[n]
__kernel void activation_backward(int n, int kind, float alpha, __global const float* x, int xo,
                                  __global const float* y, int yo, __global const float* dy, int dyo,
                                  __global float* dx, int dxo) {
  const int i = get_global_id(0);
  if (i >= n) return;
  const float v = x[xo + i];
  const float g = dy[dyo + i];
  float out;
  switch (kind) {
    case 1: out = v > 0.0f ? g : 0.0f; break;
    case 2: out = v > 0.0f ? g : g * (y[yo + i] + alpha); break;
    case 3:
      out = g * (0.5f * (1.0f + erf(v * FFN_INV_SQRT2)) + v * FFN_INV_SQRT2PI * exp(-0.5f * v * v));
      break;
    case 4: {
      const float t = y[yo + i];
      out = g * (1.0f - t * t);
      break;
    }
    case 5: {
      const float s = y[yo + i];
      out = g * s * (1.0f - s);
      break;
    }
    default: out = g; break;
  }
  dx[dxo + i] = out;
}

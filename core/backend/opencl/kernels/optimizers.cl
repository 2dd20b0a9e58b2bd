// Optimiser updates, element-wise over matching views. Weight decay: L2 added to the gradient for SGD and
// momentum, decoupled (AdamW) for Adam. Twin: core/backend/cpu/Optimizers.cpp.

// p -= lr * (g + wd * p)                                  g, p:[n]
__kernel void sgd_update(int n, float learningRate, float weightDecay, __global const float* g, int go,
                         __global float* p, int po) {
  const int i = get_global_id(0);
  if (i >= n) return;
  const float w = p[po + i];
  p[po + i] = weightDecay != 0.0f ? w - learningRate * (g[go + i] + weightDecay * w) : w - learningRate * g[go + i];
}

// PyTorch's form: v = mu v + g; p -= lr * (nesterov ? g + mu v : v)          g, v, p:[n]
__kernel void momentum_update(int n, float learningRate, float momentum, int nesterov, float weightDecay,
                              __global const float* g, int go, __global float* v, int vo, __global float* p, int po) {
  const int i = get_global_id(0);
  if (i >= n) return;
  const float w = p[po + i];
  const float grad = weightDecay != 0.0f ? g[go + i] + weightDecay * w : g[go + i];
  const float velocity = momentum * v[vo + i] + grad;
  v[vo + i] = velocity;
  p[po + i] = nesterov ? w - learningRate * (grad + momentum * velocity) : w - learningRate * velocity;
}

// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p *= decay (when decay != 1); p -= step * m / (sqrt(v) + eps)
// with the bias corrections folded into step and eps on the host (adamStepConstants)       g, m, v, p:[n]
__kernel void adam_update(int n, float beta1, float beta2, float epsilon, float stepSize, float decay,
                          __global const float* g, int go, __global float* m, int mo, __global float* v, int vo,
                          __global float* p, int po) {
  const int i = get_global_id(0);
  if (i >= n) return;
  const float grad = g[go + i];
  const float first = beta1 * m[mo + i] + (1.0f - beta1) * grad;
  const float second = beta2 * v[vo + i] + (1.0f - beta2) * (grad * grad);
  m[mo + i] = first;
  v[vo + i] = second;
  float w = p[po + i];
  if (decay != 1.0f) w *= decay;
  p[po + i] = w - stepSize * first / (sqrt(second) + epsilon);
}

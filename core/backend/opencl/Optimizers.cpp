// Optimiser updates on the device: parameters, gradients and moments never leave it. Twin:
// core/backend/cpu/Optimizers.cpp (the bias corrections are computed here exactly as there).
#include <cmath>

#include "core/backend/opencl/OpenClBackend.h"

namespace ffn {

using opencl::KernelId;

void OpenClBackend::sgdUpdate(float learningRate, float weightDecay, const TensorView& grad, const TensorView& param) {
  // param:[n] -= lr * (grad + wd * param)
  if (param.size() == 0) return;
  run(
      Op::SgdUpdate,
      [&] {
        const cl::Buffer gb = read(grad);
        const cl::Buffer pb = write(param, false);
        launchElements(KernelId::SgdUpdate, param.size(), static_cast<int>(param.size()), learningRate, weightDecay, gb,
                       offset(grad), pb, offset(param));
        wrote(param);
      },
      [&] { onCpu(&CpuBackend::sgdUpdate, learningRate, weightDecay, grad, param); });
}

void OpenClBackend::momentumUpdate(float learningRate, float momentum, bool nesterov, float weightDecay,
                                   const TensorView& grad, const TensorView& velocity, const TensorView& param) {
  // v = mu v + g; param:[n] -= lr * (nesterov ? g + mu v : v)
  if (param.size() == 0) return;
  run(
      Op::MomentumUpdate,
      [&] {
        const cl::Buffer gb = read(grad);
        const cl::Buffer vb = write(velocity, false), pb = write(param, false);
        launchElements(KernelId::MomentumUpdate, param.size(), static_cast<int>(param.size()), learningRate, momentum,
                       nesterov ? 1 : 0, weightDecay, gb, offset(grad), vb, offset(velocity), pb, offset(param));
        wrote(velocity);
        wrote(param);
      },
      [&] { onCpu(&CpuBackend::momentumUpdate, learningRate, momentum, nesterov, weightDecay, grad, velocity, param); });
}

void OpenClBackend::adamUpdate(const AdamSettings& s, const TensorView& grad, const TensorView& m,
                               const TensorView& v, const TensorView& param) {
  // m, v, param:[n] updated from grad:[n]
  if (param.size() == 0) return;
  run(
      Op::AdamUpdate,
      [&] {
        const AdamStepConstants folded = adamStepConstants(s);
        const cl::Buffer gb = read(grad);
        const cl::Buffer mb = write(m, false), vb = write(v, false), pb = write(param, false);
        launchElements(KernelId::AdamUpdate, param.size(), static_cast<int>(param.size()), s.beta1, s.beta2,
                       folded.epsilon, folded.stepSize, folded.decayFactor, gb, offset(grad), mb, offset(m), vb,
                       offset(v), pb, offset(param));
        wrote(m);
        wrote(v);
        wrote(param);
      },
      [&] { onCpu(&CpuBackend::adamUpdate, s, grad, m, v, param); });
}

}  // namespace ffn

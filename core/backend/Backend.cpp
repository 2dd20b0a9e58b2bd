#include "core/backend/Backend.h"

#include <cmath>

namespace ffn {

const char* opName(Op op) {
  static constexpr const char* kNames[] = {
      "gemm", "add_row_vector", "sum_rows", "activation_forward", "activation_backward", "softmax_rows",
      "softmax_backward", "softmax_cross_entropy", "mean_squared_error", "axpy", "scale", "multiply", "copy",
      "fill", "sum", "sum_of_squares", "all_finite", "row_sum_of_squares", "normalize_rows",
      "normalize_rows_backward", "stabilized_divide", "sgd_update", "momentum_update", "adam_update",
      "layer_norm_forward", "layer_norm_backward", "im2col", "col2im", "channels_last_to_first",
      "channels_first_to_last", "max_pool_forward", "max_pool_backward", "avg_pool_forward", "avg_pool_backward",
      "scale_rows", "basis_relu_forward", "basis_relu_backward", "gather_rows"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<int>(Op::Count));
  return kNames[static_cast<int>(op)];
}

AdamStepConstants adamStepConstants(const AdamSettings& s) {
  const auto t = static_cast<double>(s.step);
  const double correction1 = 1.0 - std::pow(static_cast<double>(s.beta1), t);
  const double rootCorrection2 = std::sqrt(1.0 - std::pow(static_cast<double>(s.beta2), t));
  return {static_cast<float>(s.learningRate * rootCorrection2 / correction1),
          static_cast<float>(s.epsilon * rootCorrection2), 1.0f - s.learningRate * s.weightDecay};
}

void Backend::linearForward(const TensorView& x, const TensorView& weight, const TensorView* bias,
                            const TensorView& y, const FusedActivation* then) {
  gemm(Transpose::No, Transpose::Yes, 1.0f, x, weight, 0.0f, y);
  if (bias) addRowVector(y, *bias);
  if (then) activationForward(then->kind, then->alpha, y, then->output);
}

void Backend::linearTransposeTimes(const TensorView& s, const TensorView& weight, const TensorView& a,
                                   const TensorView& c) {
  gemm(Transpose::No, Transpose::No, 1.0f, s, weight, 0.0f, c);
  multiply(a, c, c);
}

}  // namespace ffn

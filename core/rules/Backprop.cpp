#include "core/rules/Backprop.h"

#include <cmath>

namespace ffn {

Status Backprop::prepare(Network& net, const RuleSetup& setup) {
  if (net.loss() == LossKind::CrossEntropy && setup.classCount > 0 && net.classCount() != setup.classCount)
    return fail("the network ends in ", std::to_string(net.classCount()), " scores but the data has ",
                std::to_string(setup.classCount), " classes; set the last layer's units to ",
                std::to_string(setup.classCount));
  return {};
}

Result<StepStats> Backprop::step(Network& net, const Batch& batch, Optimizer& optimizer) {
  const LossResult r = net.forwardWithLoss(batch.inputs, batch, m_loss, m_gradLogits);
  StepStats stats;
  stats.loss = r.lossSum / static_cast<double>(batch.size());
  stats.accuracy = static_cast<double>(r.correct) / static_cast<double>(batch.size());
  if (!std::isfinite(stats.loss)) return fail("the loss became ", std::isnan(stats.loss) ? "NaN" : "infinite");
  net.backward(m_gradLogits, false, GradientUpdate::Overwrite);  // written over the last step's: no zeroing pass
  FFN_TRY(optimizer.step(net.weights(), net.gradients(), {}, net.gradientsFinite(), net.weightRows()));
  return stats;
}

const Tensor& Backprop::predict(Network& net, const Tensor& inputs) { return net.forward(inputs, false); }

}  // namespace ffn

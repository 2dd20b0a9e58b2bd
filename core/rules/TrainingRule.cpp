#include "core/rules/TrainingRule.h"

namespace ffn {

EvalStats TrainingRule::evaluate(Network& net, const Batch& batch) {
  const Tensor& scores = predict(net, batch.inputs);
  const LossResult r = m_evalLoss.evaluate(net.backend(), net.loss(), scores, batch, nullptr);
  return EvalStats{r.lossSum, r.correct, batch.size()};
}

}  // namespace ffn

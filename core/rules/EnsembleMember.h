#pragma once
// EnsembleMember: one independently initialised copy of the project's network, trained alone by full-batch
// gradient descent on the mean squared error (PyTorch's mse_loss: the mean over all N x k outputs, as in the
// permutation paper's code) on its own one-thread CPU backend, so that members run side by side, one per core,
// and a member's numbers never depend on what runs beside it.
//
// Two ways to train, with the same mathematics:
//  - basis path: the graph is Input -> Dense -> ReLU -> Dense -> Output (both Dense with bias) and every training
//    input is a basis vector e_i (the permutation task). Weights live unit-minor in the member's own buffer and
//    each epoch is Backend::basisReluForward/Backward + one optimiser step: the first layer's forward is a gather
//    and its gradient a row update, never a product with the identity matrix. They are written back into the
//    network when training ends. With plain SGD (the published setup: no momentum, weight decay or gradient
//    noise) the backward pass and the step are one fused pass, CpuBackend::basisReluSgdStep, with no gradient
//    buffers, and it also computes the next epoch's outputs (the same bits as basisReluForward), so that each
//    epoch sweeps the weights once; other optimisers get the gradients from Backend::basisReluBackward and step
//    through the Optimizer.
//    A fused step does not first check the whole gradient for NaN: a non-finite gradient shows as a non-finite
//    loss the next epoch, and the member fails then, as it would have with the Optimizer's refusal.
//  - network path: any other MLP goes through Network::forward/backward.
//
// Parameterisations: standard (the stored weights are the weights) and NTK (f uses w / sqrt(fan_in) with
// w ~ N(0, 1)). NTK is implemented as the equivalent reparameterisation of the stored weights W = w / sqrt(fan_in):
// with lecun-normal init W starts exactly as the NTK draw, and a gradient step of size lr on w is a step of
// lr / fan_in on W, so weight gradients are scaled by 1 / fan_in (biases are not scaled). Exact for sgd.
#include <chrono>
#include <memory>

#include "core/backend/cpu/CpuBackend.h"
#include "core/data/Batch.h"
#include "core/model/Network.h"
#include "core/optim/Optimizer.h"

namespace ffn {

enum class Parameterization { Standard, Ntk };

struct MemberSettings {
  int epochs = 1;                 // full-batch gradient-descent steps per member
  OptimizerSettings optimizer;    // the project's optimiser (the paper: sgd, lr 1e-3)
  Parameterization parameterization = Parameterization::Standard;
  bool allowBasisPath = true;     // false: always the network path (for comparisons)
  bool allowFusedStep = true;     // false: the basis path never fuses its SGD step (for comparisons)
};

// What a trained member leaves behind: its outputs, never its weights (an ensemble of hundreds of 50,000-wide
// members would not fit), except when asked for.
struct MemberResult {
  int index = 0;
  Tensor testOutputs;   // [T, k] on the evaluation inputs
  Tensor trainOutputs;  // [N, k] on the training inputs
  double trainLoss = 0.0;  // mean squared error on the training set after the last step
  double seconds = 0.0;    // time spent training (one core)
  Tensor weights;          // the network's flat weights, only when requested
};

class EnsembleMember {
 public:
  // train: the whole training set as one batch (inputs and targets); it must outlive the member.
  static Result<std::unique_ptr<EnsembleMember>> create(const Graph& graph, const MemberSettings& settings,
                                                        const Batch& train);

  // Starts afresh as member `index`: weights drawn by Network::initializeWeights(seed), optimiser state cleared.
  Status start(int index, std::uint64_t seed);
  // Runs up to `epochs` more epochs (never past settings.epochs); returns how many ran.
  Result<int> train(int epochs);
  bool done() const { return m_epoch >= m_settings.epochs; }
  // Writes the weights back into the network and evaluates it on the training set and on `inputs` ([T, k]).
  Result<MemberResult> finish(const Tensor& inputs, bool keepWeights);

  // Outputs of the network (after finish) for inputs:[T, in] -> [T, out], in row chunks that bound memory.
  Tensor outputs(const Tensor& inputs);
  bool usesBasisPath() const { return m_basis; }
  bool usesFusedStep() const { return m_fused; }
  int index() const { return m_index; }
  Network& network() { return *m_net; }
  double lastLoss() const { return m_lastLoss; }

 private:
  EnsembleMember(const MemberSettings& settings, const Batch& train) : m_settings(settings), m_train(train) {}
  Status setUpBasisPath();
  void toUnitMinor();
  void fromUnitMinor();
  Status basisEpoch();
  Status networkEpoch();
  void scaleForNtk(const TensorView& gradient, std::int64_t fanIn);
  float ntkScale(std::int64_t fanIn) const;

  MemberSettings m_settings;
  const Batch& m_train;
  CpuBackend m_backend{1};
  std::unique_ptr<Network> m_net;
  std::unique_ptr<Optimizer> m_optimizer;
  int m_index = 0, m_epoch = 0;
  double m_lastLoss = 0.0, m_seconds = 0.0;
  Tensor m_gradOut;
  // The basis path's own unit-minor weights and gradients: [w1t | b1 | w2 | b2], each at an aligned offset.
  bool m_basis = false, m_fused = false;
  bool m_outFresh = false;  // m_out already holds the outputs of the current weights (from the fused step)
  std::int64_t m_inputs = 0, m_units = 0, m_outputs = 0;
  Tensor m_positions, m_params, m_grads, m_out;
  TensorView m_w1t, m_b1, m_w2, m_b2, m_dw1t, m_db1, m_dw2, m_db2;
};

}  // namespace ffn

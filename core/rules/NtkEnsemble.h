#pragma once
// NtkEnsemble: exact learning of permutations with ensembles of wide two-layer networks (arXiv 2502.16763).
// Every member is an independently initialised copy of the project's own graph (by default Input(k) -> Dense(m)
// -> ReLU -> Dense(k), lecun-normal, as published), trained alone by full-batch gradient descent on the mean
// squared error for the project's epochs with the project's optimiser (published: sgd, lr 1e-3, 10,000 epochs);
// the ensemble predicts bit j of P x as 1 iff the members' mean output j is > 0 (option: > a small tolerance).
// Members train in parallel, one per core, and are streamed: only their outputs on the test set are kept
// (summed), never all their weights. They always run on the CPU, each on its own one-thread CpuBackend, whatever
// the project's device: one member per core is the design (the ensemble is embarrassingly parallel), and it keeps
// a member's numbers independent of where it ran. The OpenCL backend does have the member step's ops
// (basisReluForward/Backward), so a single member could run there; the rule does not do it.
//
// Member i draws its weights with Network::initializeWeights(memberSeed(setup.seed, i)), where setup.seed is the
// run's seed derived from the project seed (RunSeeds::shuffle), so any member can be trained again alone.
// The Trainer's steps map linearly onto the work (members x epochs): step s of S has trained s/S of it, and the
// last step finishes every member. The minibatch is ignored: members always see the whole training set, as
// published. After training, the network holds member 0's weights; predict() gives the ensemble mean on the
// training and test inputs and member 0's outputs on any other input.
//
// Metrics per step: members, test_exact_match, test_bit_error, test_mse, train_exact_match, n_for_90, n_for_999
// (-1 until reached), member_seconds, and the theory's reference sizes k ln k and k^2; the whole curves are
// testCurve() / trainCurve().
#include <functional>
#include <memory>
#include <unordered_map>

#include "core/rules/EnsembleCurve.h"
#include "core/rules/MemberPool.h"
#include "core/rules/TrainingRule.h"

namespace ffn {

class NtkEnsemble final : public TrainingRule {
 public:
  static std::vector<ParamSpec> paramSpecs();
  explicit NtkEnsemble(const Json& params);  // params completed against paramSpecs()

  std::string name() const override { return "ntk-ensemble"; }
  Status prepare(Network& net, const RuleSetup& setup) override;
  Result<StepStats> step(Network& net, const Batch& batch, Optimizer& optimizer) override;
  const Tensor& predict(Network& net, const Tensor& inputs) override;
  EvalStats evaluate(Network& net, const Batch& batch) override;
  void finish(Network& net) override;

  static std::uint64_t memberSeed(std::uint64_t runSeed, int index);
  int members() const { return m_members; }
  Parameterization parameterization() const { return m_parameterization; }
  const EnsembleCurve& testCurve() const { return m_test; }
  const EnsembleCurve& trainCurve() const { return m_train; }
  // The test inputs' 0/1 targets [T, k] the test curve scores against, and its vote threshold (after prepare).
  const Tensor& testTargets() const { return m_testTargets; }
  double tolerance() const { return m_tolerance; }
  double meanMemberSeconds() const { return m_folded ? m_memberSeconds / m_folded : 0.0; }
  bool basisPath() const { return m_pool && m_pool->basisPath(); }
  std::vector<Metric> metrics() const;

  // Beyond one process (MPI): train only members i with i % parts == part; every member trained here is also
  // handed to the listener (on the thread that calls step); members trained elsewhere come in through addMember.
  void setShare(int part, int parts);
  void setMemberListener(std::function<void(const MemberResult&)> listener) { m_listener = std::move(listener); }
  void addMember(const MemberResult& result);

 private:
  int m_members = 1, m_threads = 0, m_part = 0, m_parts = 1;
  double m_tolerance = 0.0;
  Parameterization m_parameterization = Parameterization::Standard;
  std::uint64_t m_seed = 1;
  int m_epochs = 1;
  std::int64_t m_totalSteps = 1, m_steps = 0;
  Graph m_graph;
  Batch m_trainBatch;
  Tensor m_testInputs, m_testTargets;
  EnsembleCurve m_train, m_test;
  std::unique_ptr<MemberPool> m_pool;
  std::function<void(const MemberResult&)> m_listener;
  Tensor m_firstWeights;  // member 0's, for the network at the end
  double m_memberSeconds = 0.0, m_lossSum = 0.0;
  int m_folded = 0;
  std::unordered_map<std::string, std::pair<const EnsembleCurve*, std::int64_t>> m_rows;  // input row -> cached
  Tensor m_prediction;
};

}  // namespace ffn

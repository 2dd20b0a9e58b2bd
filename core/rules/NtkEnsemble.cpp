#include "core/rules/NtkEnsemble.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

namespace ffn {
namespace {

constexpr std::uint64_t kMemberStream = 0x4e544b0000ULL;  // "NTK": member i is stream kMemberStream + i

std::string rowKey(const float* row, std::int64_t count) {
  return std::string(reinterpret_cast<const char*>(row), static_cast<std::size_t>(count) * sizeof(float));
}

}  // namespace

std::vector<ParamSpec> NtkEnsemble::paramSpecs() {
  return {intParam("members", "Members", 100, 1, 1'000'000,
                   "Independently trained copies of the network whose mean output votes on every bit. Published: "
                   "90% exact match on two-hot inputs needs 69 (k = 10), 117 (k = 20), 175 (k = 30)."),
          choiceParam("parameterization", "Parameterisation", "standard", {"standard", "ntk"},
                      "standard: the weights are used as stored (the paper's code). ntk: the layer computes "
                      "w x / sqrt(fan_in) with w ~ N(0, 1), done as weight gradients scaled by 1 / fan_in on "
                      "lecun-normal weights (exactly equivalent for sgd)."),
          floatParam("tolerance", "Decision tolerance", 0.0, 0.0, 0.5,
                     "Bit j of the vote is 1 iff the members' mean output j is > tolerance. Published: 0. On inputs "
                     "the members were trained on (the basis vectors, part of the test 'all') a converged member's 0 "
                     "bits are 0 up to float rounding, so with 0 their sign is a coin toss; the paper's check of the "
                     "kernel limit (double precision) uses 1e-10; 1e-3 absorbs float32 rounding."),
          intParam("threads", "Threads", 0, 0, 1024,
                   "Members trained at once, one per thread on its own core (0 = one per core).")};
}

NtkEnsemble::NtkEnsemble(const Json& params)
    : m_members(params.at("members").get<int>()),
      m_threads(params.at("threads").get<int>()),
      m_tolerance(params.at("tolerance").get<double>()),
      m_parameterization(params.at("parameterization") == "ntk" ? Parameterization::Ntk : Parameterization::Standard) {}

std::uint64_t NtkEnsemble::memberSeed(std::uint64_t runSeed, int index) {
  return deriveSeed(runSeed, kMemberStream + static_cast<std::uint64_t>(index));
}

void NtkEnsemble::setShare(int part, int parts) {
  m_parts = std::max(1, parts);
  m_part = std::clamp(part, 0, m_parts - 1);
}

Status NtkEnsemble::prepare(Network& net, const RuleSetup& setup) {
  const Dataset* train = setup.data.train;
  if (!train || train->size() == 0) return fail("the NTK ensemble needs training data");
  if (!train->hasTargets())
    return fail("the NTK ensemble learns target vectors (the permutation task); this data has only class labels");
  const Dataset* test = setup.data.test && setup.data.test->size() > 0 ? setup.data.test : train;
  const std::int64_t k = train->targetShape().elementCount();
  if (net.classCount() != k)
    return fail("the network ends in ", std::to_string(net.classCount()), " outputs but the targets have ",
                std::to_string(k), " bits; set the last layer's units to ", std::to_string(k));
  m_graph = net.graph();
  m_seed = setup.seed;
  m_epochs = setup.epochs;
  m_totalSteps = std::max<std::int64_t>(1, static_cast<std::int64_t>(setup.epochs) * setup.stepsPerEpoch);
  m_steps = 0;
  train->makeRangeBatch(0, train->size(), m_trainBatch);
  Batch testBatch;
  test->makeRangeBatch(0, test->size(), testBatch);
  m_testInputs = testBatch.inputs;
  m_testTargets = testBatch.targets;
  m_train.reset(m_trainBatch.targets, m_tolerance);
  m_test.reset(testBatch.targets, m_tolerance);
  m_pool.reset();
  m_firstWeights = Tensor();
  m_memberSeconds = m_lossSum = 0.0;
  m_folded = 0;
  m_rows.clear();
  const std::int64_t in = m_testInputs.cols();
  for (std::int64_t r = 0; r < m_testInputs.rows(); ++r) m_rows.emplace(rowKey(m_testInputs.data() + r * in, in), std::pair{&m_test, r});
  for (std::int64_t r = 0; r < m_trainBatch.size(); ++r)
    m_rows.emplace(rowKey(m_trainBatch.inputs.data() + r * in, in), std::pair{&m_train, r});
  return {};
}

Result<StepStats> NtkEnsemble::step(Network& net, const Batch& batch, Optimizer& optimizer) {
  if (!m_pool) {
    std::vector<int> local;
    for (int i = m_part; i < m_members; i += m_parts) local.push_back(i);
    MemberSettings settings{m_epochs, optimizer.settings(), m_parameterization};
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int threads = std::min<int>(m_threads > 0 ? m_threads : cores, std::max<int>(1, static_cast<int>(local.size())));
    auto factory = [this, settings] { return EnsembleMember::create(m_graph, settings, m_trainBatch); };
    const std::uint64_t seed = m_seed;
    m_pool = std::make_unique<MemberPool>(threads, std::move(local), [seed](int i) { return memberSeed(seed, i); },
                                          factory, m_testInputs, m_epochs, 0);
  }
  ++m_steps;
  const bool last = m_steps >= m_totalSteps;
  const auto target = static_cast<std::int64_t>(static_cast<long double>(m_pool->epochsTotal()) * m_steps / m_totalSteps);
  const std::int64_t budget = last ? -1 : target - m_pool->epochsDone();
  if (last || budget > 0) {
    auto results = m_pool->advance(budget);
    if (!results) return results.error();
    for (const auto& result : *results) {
      if (m_listener) m_listener(result);
      addMember(result);
    }
  }
  StepStats stats;
  stats.loss = m_folded ? m_lossSum / m_folded : 0.0;
  stats.accuracy = m_train.members() ? m_train.exactMatch().back() : -1.0;
  stats.metrics = metrics();
  return stats;
}

void NtkEnsemble::addMember(const MemberResult& result) {
  m_test.add(result.index, result.testOutputs);
  m_train.add(result.index, result.trainOutputs);
  m_memberSeconds += result.seconds;
  m_lossSum += result.trainLoss;
  ++m_folded;
  if (result.index == 0 && !result.weights.empty()) m_firstWeights = result.weights;
}

std::vector<Metric> NtkEnsemble::metrics() const {
  const double k = static_cast<double>(m_test.bits());
  auto last = [](const std::vector<double>& v) { return v.empty() ? 0.0 : v.back(); };
  return {{"members", static_cast<double>(m_test.members())},
          {"test_exact_match", last(m_test.exactMatch())},
          {"test_bit_error", last(m_test.bitError())},
          {"test_mse", last(m_test.meanSquaredError())},
          {"train_exact_match", last(m_train.exactMatch())},
          {"n_for_90", static_cast<double>(m_test.membersFor(0.9))},
          {"n_for_999", static_cast<double>(m_test.membersFor(0.999))},
          {"member_seconds", meanMemberSeconds()},
          {"reference_k_log_k", k * std::log(k)},
          {"reference_k_squared", k * k}};
}

void NtkEnsemble::finish(Network& net) {
  if (!m_firstWeights.empty() && m_firstWeights.size() == net.weights().size()) net.weights() = m_firstWeights;
}

const Tensor& NtkEnsemble::predict(Network& net, const Tensor& inputs) {
  // inputs:[T,k] -> [T,k]: the ensemble mean where the inputs are known rows, member 0 (the network) elsewhere
  const std::int64_t in = inputs.cols(), outs = net.classCount();
  m_prediction.resize(Shape{inputs.rows(), outs});
  std::vector<std::int64_t> unknown;
  for (std::int64_t r = 0; r < inputs.rows(); ++r) {
    const auto found = m_rows.find(rowKey(inputs.data() + r * in, in));
    if (found == m_rows.end() || found->second.first->members() == 0) {
      unknown.push_back(r);
      continue;
    }
    for (std::int64_t b = 0; b < outs; ++b)
      m_prediction.mutableData()[r * outs + b] = found->second.first->mean(found->second.second, b);
  }
  if (!unknown.empty()) {
    const Tensor& y = net.forward(inputs, false);
    for (std::int64_t r : unknown) std::memcpy(m_prediction.mutableData() + r * outs, y.data() + r * outs, sizeof(float) * outs);
  }
  return m_prediction;
}

EvalStats NtkEnsemble::evaluate(Network& net, const Batch& batch) {
  // Loss: the mean squared error per row; correct: rows whose k bits (mean > tolerance) all match the target.
  const Tensor& mean = predict(net, batch.inputs);
  EvalStats stats;
  stats.samples = batch.size();
  if (!batch.hasTargets()) return stats;
  const std::int64_t k = mean.cols();
  for (std::int64_t r = 0; r < batch.size(); ++r) {
    bool all = true;
    double squared = 0.0;
    for (std::int64_t b = 0; b < k; ++b) {
      const float y = mean.at(r * k + b), t = batch.targets.at(r * k + b);
      all = all && ((y > m_tolerance) == (t > 0.5f));
      squared += (y - t) * (y - t);
    }
    stats.lossSum += squared / static_cast<double>(k);
    stats.correct += all ? 1 : 0;
  }
  return stats;
}

}  // namespace ffn

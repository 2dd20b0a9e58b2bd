// ffnlab-cli perm: the permutation experiment of arXiv 2502.16763 — an NTK ensemble learns a random permutation of
// k bits from the k basis vectors; prints the exact-match rate as members are added. Under mpirun the members are
// shared out over the ranks (MpiSession) and rank 0 prints the same result as a single process would.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "app/cli/MpiSession.h"
#include "core/project/PermutationProject.h"
#include "core/project/ProjectRun.h"
#include "core/rules/MemberOrderStudy.h"
#include "core/rules/NtkEnsemble.h"

namespace ffn::cli {
namespace {

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

Json resultJson(const PermutationProjectOptions& o, const NtkEnsemble& rule, const MpiSession& mpi, double seconds) {
  const EnsembleCurve& test = rule.testCurve();
  const double k = o.k;
  return Json{{"command", "perm"},
              {"k", o.k},
              {"width", o.width},
              {"members", test.members()},
              {"epochs", o.epochs},
              {"lr", o.learningRate},
              {"seed", o.seed},
              {"param", o.parameterization},
              {"test", o.test},
              {"tolerance", o.tolerance},
              {"test_inputs", test.rows()},
              {"exact_match_by_members", test.exactMatch()},
              {"bit_error_by_members", test.bitError()},
              {"mse_by_members", test.meanSquaredError()},
              {"n_for_90", test.membersFor(0.9)},
              {"n_for_999", test.membersFor(0.999)},
              {"reference_k_log_k", k * std::log(k)},
              {"reference_k_squared", k * k},
              {"train_exact_match", rule.trainCurve().exactMatch().empty() ? 0.0 : rule.trainCurve().exactMatch().back()},
              {"seconds_per_member", seconds / std::max(1, test.members())},
              {"member_seconds_mean", rule.meanMemberSeconds()},
              {"seconds_total", seconds},
              {"ranks", mpi.size()},
              {"mpi", MpiSession::builtWithMpi()},
              {"basis_path", rule.basisPath()}};
}

// N for a rate over random member orders: the order-to-order noise of this run's N (see MemberOrderStudy).
Json orderNoiseJson(const MemberOrderStudy& study, double rate, int orders, std::uint64_t seed) {
  const std::vector<int> n = study.membersFor(rate, orders, seed);
  return Json{{"orders", orders},
              {"p10", quantileOfMembersFor(n, 0.1)},
              {"median", quantileOfMembersFor(n, 0.5)},
              {"p90", quantileOfMembersFor(n, 0.9)},
              {"never_reached", std::count(n.begin(), n.end(), -1)},
              {"n_by_order", n}};
}

int runPerm(const PermutationProjectOptions& options, int orderResamples) {
  MpiSession mpi;
  if (MpiSession::launchedByMpirun() && !mpi.active())
    std::cerr << "ffnlab-cli: started by mpirun, but this build has no MPI: every rank trains every member\n";
  auto fail = [&](const std::string& message) {
    const int code = reportError(message);
    mpi.abortAll(code);
    return code;
  };
  CpuBackend backend(1);
  auto run = ProjectRun::create(permutationProject(options), "", backend);
  if (!run) return fail(run.message());
  auto* rule = dynamic_cast<NtkEnsemble*>(&(*run)->rule());
  if (!rule) return fail("the permutation project must use the ntk-ensemble rule");
  rule->setShare(mpi.rank(), mpi.size());
  const bool root = mpi.rank() == 0;
  MemberOrderStudy study;
  const bool studyOrders = root && orderResamples > 0;
  if (studyOrders) {
    study.reset(rule->testTargets(), rule->tolerance());
    rule->setMemberListener([&](const MemberResult& r) { study.add(r.index, r.testOutputs); });
  }
  auto addRemote = [&](const MemberResult& r) {
    rule->addMember(r);
    if (studyOrders) study.add(r.index, r.testOutputs);
  };
  if (!root) rule->setMemberListener([&](const MemberResult& r) { mpi.send(r); });
  if (root)
    std::cerr << "perm: " << (*run)->data().description << "; " << options.members << " members of width "
              << options.width << ", " << options.epochs << " epochs, lr " << options.learningRate << ", "
              << options.parameterization << " parameterisation" << (mpi.size() > 1 ? ", " : "")
              << (mpi.size() > 1 ? std::to_string(mpi.size()) + " ranks" : "") << "\n";

  // The rule is stepped directly (not through the Trainer): the trainer's per-epoch snapshots and test passes
  // are of no use to an ensemble that trains its members to the end on its own, and cost time on wide members.
  const auto start = std::chrono::steady_clock::now();
  const std::int64_t steps = (*run)->trainer().stepsPerEpoch() * options.epochs;
  Batch unused;
  int reported = 0;
  MemberResult remote;
  for (std::int64_t s = 0; s < steps; ++s) {
    auto stats = rule->step((*run)->network(), unused, (*run)->optimizer());
    if (!stats) return fail(stats.message());
    if (root) {
      while (mpi.active() && mpi.receive(remote, false)) addRemote(remote);
      const int folded = rule->testCurve().members();
      if (folded > reported) {
        reported = folded;
        std::fprintf(stderr, "\rmembers %d/%d  exact match %.4f  (%.0f s)", folded, options.members,
                     rule->testCurve().exactMatch().back(), secondsSince(start));
      }
    }
  }
  if (!root) return 0;
  while (mpi.active() && rule->testCurve().members() + static_cast<int>(rule->testCurve().waiting()) < options.members &&
         mpi.receive(remote, true))
    addRemote(remote);
  std::fprintf(stderr, "\n");
  rule->finish((*run)->network());
  if (rule->testCurve().members() != options.members)
    return fail("only " + std::to_string(rule->testCurve().members()) + " of " + std::to_string(options.members) +
                " members arrived");
  Json result = resultJson(options, *rule, mpi, secondsSince(start));
  if (studyOrders) {
    const std::uint64_t orderSeed = options.seed ^ 0x6f72646572ULL;  // "order": not the members' own streams
    result["n_for_90_over_orders"] = orderNoiseJson(study, 0.9, orderResamples, orderSeed);
    result["n_for_999_over_orders"] = orderNoiseJson(study, 0.999, orderResamples, orderSeed);
  }
  printResult(result);
  return 0;
}

}  // namespace

CommandRunner addPermCommand(CLI::App& app) {
  auto o = std::make_shared<PermutationProjectOptions>();
  auto orderResamples = std::make_shared<int>(0);
  CLI::App* cmd = app.add_subcommand(
      "perm", "Exact permutation learning with an NTK ensemble (arXiv 2502.16763); runs across ranks under mpirun");
  cmd->add_option("--k", o->k, "Bits of the permutation")->check(CLI::Range(2, 4096));
  cmd->add_option("--width", o->width, "Hidden units per member (published: 50000)")->check(CLI::Range(1, 10'000'000));
  cmd->add_option("--members", o->members, "Ensemble size N")->check(CLI::Range(1, 1'000'000));
  cmd->add_option("--epochs", o->epochs, "Gradient-descent epochs per member (published: 10000)")->check(CLI::Range(1, 1'000'000));
  cmd->add_option("--lr", o->learningRate, "Learning rate (published: 1e-3)")->check(CLI::PositiveNumber);
  cmd->add_option("--seed", o->seed, "Seed of the permutation, the test inputs and every member");
  cmd->add_option("--param", o->parameterization, "Parameterisation")->check(CLI::IsMember({"standard", "ntk"}));
  cmd->add_option("--test", o->test, "Test inputs: two-hot (1000 random, published) or all 2^k - 1 (k <= 20)")
      ->check(CLI::IsMember({"two-hot", "all"}));
  cmd->add_option("--test-samples", o->testSamples, "Two-hot test inputs")->check(CLI::Range(1, 100'000'000));
  cmd->add_option("--tolerance", o->tolerance,
                  "Bit j is 1 iff the mean output j is > this (published: 0; with --test all use e.g. 1e-3: on the "
                  "basis vectors, which were trained on, 0 bits are 0 up to float rounding)")
      ->check(CLI::Range(0.0, 0.5));
  cmd->add_option("--threads", o->threads, "Members trained at once in this process (0 = one per core)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--order-resamples", *orderResamples,
                  "Also report n_for_90/n_for_999 over this many random orders of the same members (their 10/50/90 % "
                  "quantiles): how much of N is the luck of which members came first, at no extra training")
      ->check(CLI::Range(0, 100'000));
  return [o, orderResamples] { return runPerm(*o, *orderResamples); };
}

}  // namespace ffn::cli

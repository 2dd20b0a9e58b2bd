// ffnlab-cli attribution-eval PROJECT --weights FILE [--composite NAME] --samples N: how faithful the LRP
// explanations are - MoRF / LeRF region-perturbation curves and ABPC, beside the same for a random order - over
// the first N samples of the test split, in batches.
#include <algorithm>
#include <chrono>
#include <iostream>

#include "app/cli/CliExplain.h"
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "core/lrp/PerturbationCurves.h"

namespace ffn::cli {
namespace {

struct EvalOptions {
  std::string project, weights, composite, baseline = "zero", classChoice = "predicted";
  std::int64_t samples = 1000;
  std::int64_t batch = 1000;
  int steps = 20;
  long long seed = 1;
  int threads = 0;
};

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

int runAttributionEval(const EvalOptions& options) {
  applyThreads(options.threads);
  auto session = openExplainSession(options.project, options.weights, options.composite);
  if (!session) return reportError(session.message());
  ProjectExplainer& lrp = (*session)->lrp;
  auto baseline = baselineFromName(options.baseline);
  if (!baseline) return reportError(baseline.message());
  PerturbationSettings settings;
  settings.steps = options.steps;
  settings.baseline = *baseline;
  settings.mean = &lrp.statistics.mean;
  const std::int64_t total = std::min(options.samples, lrp.samples->size());
  for (const std::string& line : lrp.explainer->describe()) std::cerr << "  " << line << "\n";

  const auto start = std::chrono::steady_clock::now();
  double explainSeconds = 0.0;
  PerturbationCurves curves(options.steps);
  Rng rng(static_cast<std::uint64_t>(options.seed));
  std::vector<double> conservation;
  Batch batch;
  Explanation explanation;
  for (std::int64_t first = 0; first < total; first += options.batch) {
    const std::int64_t count = std::min(options.batch, total - first);
    lrp.samples->makeRangeBatch(first, count, batch);
    auto choice = parseClassChoice(options.classChoice, batch);
    if (!choice) return reportError(choice.message());
    const auto explainStart = std::chrono::steady_clock::now();
    if (Status s = lrp.explainer->explain(batch.inputs, *choice, explanation); !s) return reportError(s.message());
    explainSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - explainStart).count();
    const auto errors = explanation.conservationErrors();
    conservation.insert(conservation.end(), errors.begin(), errors.end());
    if (Status s = curves.add(*lrp.explainer, batch.inputs, explanation, settings, rng); !s)
      return reportError(s.message());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << total << " " << lrp.samplesName << " samples, baseline " << options.baseline << ": ABPC "
            << curves.abpc() << " (random order " << curves.abpcRandom() << "), " << seconds << " s\n";
  printResult({{"command", "attribution-eval"},
               {"project", (*session)->opened.path},
               {"weights_file", options.weights},
               {"composite", (*session)->composite},
               {"target", explanation.target},
               {"split", lrp.samplesName},
               {"samples", curves.samples()},
               {"baseline", options.baseline},
               {"steps", options.steps},
               {"abpc", curves.abpc()},
               {"abpc_random", curves.abpcRandom()},
               {"auc_morf", PerturbationCurves::area(curves.morf())},
               {"auc_lerf", PerturbationCurves::area(curves.lerf())},
               {"auc_morf_random", PerturbationCurves::area(curves.randomMorf())},
               {"auc_lerf_random", PerturbationCurves::area(curves.randomLerf())},
               {"morf", curves.morf()},
               {"lerf", curves.lerf()},
               {"morf_random", curves.randomMorf()},
               {"lerf_random", curves.randomLerf()},
               {"conservation_error", median(conservation)},
               {"explain_seconds", explainSeconds},
               {"seconds", seconds}});
  return 0;
}

}  // namespace

CommandRunner addAttributionEvalCommand(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand("attribution-eval",
                                     "Faithfulness of LRP: MoRF/LeRF perturbation curves and ABPC vs a random order");
  cmd->add_option("project", o->project, "The .ffnlab project file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--weights", o->weights, "Trained weights (safetensors)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--composite", o->composite, "LRP composite (default: the project's)");
  cmd->add_option("--samples", o->samples, "How many test samples, from the first (default 1000)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  cmd->add_option("--baseline", o->baseline, "What replaces a feature: zero (default), mean, blur");
  cmd->add_option("--steps", o->steps, "Perturbation steps (default 20)")->check(CLI::Range(1, 100000));
  cmd->add_option("--batch", o->batch, "Samples per batch (default 1000)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 20));
  cmd->add_option("--class", o->classChoice, "Explained class: predicted (default), label, or a class number");
  cmd->add_option("--seed", o->seed, "Seed of the random orders (default 1)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", o->threads, "Compute threads (0 = all cores)")->check(CLI::Range(0, 1024));
  return [o] { return runAttributionEval(*o); };
}

}  // namespace ffn::cli

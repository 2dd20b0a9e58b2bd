// ffnlab-cli train PROJECT: trains the project's network with its rule (or --rule) and reports the result.
#include <csignal>
#include <filesystem>
#include <fstream>

#include "app/cli/CliOutput.h"
#include "app/cli/CliProject.h"
#include "app/cli/Commands.h"
#include "core/base/AtomicFile.h"
#include "core/project/ProjectRun.h"
#include "core/project/WeightsFile.h"
#include "core/train/MetricsLog.h"

namespace ffn::cli {
namespace {

struct TrainOptions {
  std::string project;
  std::string rule;
  int epochs = 0;
  long long seed = -1;
  int threads = 0;
  std::string device;
  std::string saveWeights;
  std::string metrics;
};

Json evalJson(const TrainingProgress& p, bool has, const EvalStats& stats, const char* prefix) {
  Json j = Json::object();
  if (!has) return j;
  j[std::string(prefix) + "_loss"] = stats.loss();
  j[std::string(prefix) + "_accuracy"] = stats.accuracy();
  return j;
}

int runTrain(const TrainOptions& options) {
  applyThreads(options.threads);
  auto opened = openProject(options.project);
  if (!opened) return reportError(opened.message());
  RunOverrides overrides;
  if (!options.rule.empty()) overrides.rule = options.rule;
  if (options.epochs > 0) overrides.epochs = options.epochs;
  if (options.seed >= 0) overrides.seed = static_cast<std::uint64_t>(options.seed);
  const std::unique_ptr<Backend> backend = openBackend(options.device, opened->project);
  auto run = ProjectRun::create(opened->project, opened->directory, *backend, overrides);
  if (!run) return reportError(run.message());
  const Project& project = (*run)->project();
  std::cerr << "training '" << (project.name.empty() ? opened->path : project.name) << "' with "
            << project.training.rule << " for " << project.training.epochs << " epochs ("
            << (*run)->data().description << ", " << (*run)->network().weightCount() << " weights)\n";

  ProgressPrinter printer;
  MetricsLog log;
  auto summary = (*run)->trainer().run({}, [&](const TrainingProgress& p) {
    printer.update(p);
    if (p.epochEnd) log.record(p);
  });
  printer.finish();
  reportBackendWarnings(*backend);
  if (!options.metrics.empty()) {
    if (Status s = writeFileAtomically(options.metrics, log.toCsv()); !s) return reportError(s.message());
  }
  if (!summary) return reportError(summary.message());
  if (!options.saveWeights.empty()) {
    const auto ruleTensors = (*run)->rule().ruleTensors();
    if (Status s = saveWeights((*run)->network(), options.saveWeights, {{"ffnlab.rule", project.training.rule}},
                               ruleTensors);
        !s)
      return reportError(s.message());
    std::cerr << "weights saved to " << options.saveWeights << "\n";
  }

  const TrainingProgress& last = summary->last;
  Json result{{"command", "train"},
              {"project", opened->path},
              {"rule", project.training.rule},
              {"device", backend->name()},
              {"epochs", summary->epochsCompleted},
              {"seed", project.seed},
              {"batch_size", project.training.batchSize},
              {"weights", (*run)->network().weightCount()},
              {"train_loss", last.epochLoss},
              {"seconds_per_epoch", summary->secondsPerEpoch},
              {"seconds_total", last.elapsedSeconds}};
  if (last.epochAccuracy >= 0.0) result["train_accuracy"] = last.epochAccuracy;
  result.update(evalJson(last, last.hasValidation, last.validation, "validation"));
  result.update(evalJson(last, last.hasTest, last.test, "test"));
  for (const auto& m : last.metrics) result["metrics"][m.name] = m.value;
  if (!options.saveWeights.empty()) result["weights_file"] = options.saveWeights;
  printResult(result);
  return 0;
}

}  // namespace

CommandRunner addTrainCommand(CLI::App& app) {
  auto options = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand("train", "Train a project's network and report loss and accuracy");
  cmd->add_option("project", options->project, "The .ffnlab project file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--rule", options->rule, "Training rule instead of the project's (backprop, ff, mf, ccl, ...)");
  cmd->add_option("--epochs", options->epochs, "Number of epochs instead of the project's")->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", options->seed, "Seed instead of the project's")->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", options->threads, "Compute threads (0 = all cores)")->check(CLI::Range(0, 1024));
  cmd->add_option("--device", options->device, kDeviceHelp);
  cmd->add_option("--save-weights", options->saveWeights, "Save the trained weights (safetensors)");
  cmd->add_option("--metrics", options->metrics, "Write per-epoch metrics as CSV");
  return [options] { return runTrain(*options); };
}

}  // namespace ffn::cli

// ffnlab-cli eval PROJECT --weights FILE: loss and accuracy of saved weights on the project's test data.
#include "app/cli/CliOutput.h"
#include "app/cli/CliProject.h"
#include "app/cli/Commands.h"
#include "core/project/ProjectRun.h"
#include "core/project/WeightsFile.h"

namespace ffn::cli {
namespace {

struct EvalOptions {
  std::string project;
  std::string weights;
  std::string rule;
  int threads = 0;
  std::string device;
};

int runEval(const EvalOptions& options) {
  applyThreads(options.threads);
  auto opened = openProject(options.project);
  if (!opened) return reportError(opened.message());
  const std::unique_ptr<Backend> backend = openBackend(options.device, opened->project);
  RunOverrides overrides;
  if (!options.rule.empty()) overrides.rule = options.rule;
  auto run = ProjectRun::create(opened->project, opened->directory, *backend, overrides);
  if (!run) return reportError(run.message());
  // The rule is prepared for this network, so its own tensors (projections, feedback net) exist to be loaded.
  const auto ruleTensors = (*run)->rule().ruleTensors();
  if (Status s = loadWeights((*run)->network(), options.weights, ruleTensors); !s) return reportError(s.message());
  (*run)->network().finishTraining();

  Json result{{"command", "eval"},
              {"project", opened->path},
              {"rule", (*run)->project().training.rule},
              {"device", backend->name()},
              {"weights_file", options.weights}};
  const DataSplits splits = (*run)->data().splits();
  const std::pair<const char*, const Dataset*> parts[] = {
      {"train", splits.train}, {"validation", splits.validation}, {"test", splits.test}};
  for (const auto& [name, data] : parts) {
    if (!data || data->size() == 0) continue;
    const EvalStats stats = (*run)->trainer().evaluate(*data);
    std::cerr << name << ": loss " << stats.loss() << ", accuracy " << stats.accuracy() << " (" << stats.samples
              << " samples)\n";
    result[std::string(name) + "_loss"] = stats.loss();
    result[std::string(name) + "_accuracy"] = stats.accuracy();
    result[std::string(name) + "_samples"] = stats.samples;
  }
  reportBackendWarnings(*backend);
  printResult(result);
  return 0;
}

}  // namespace

CommandRunner addEvalCommand(CLI::App& app) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate saved weights on the project's data");
  cmd->add_option("project", options->project, "The .ffnlab project file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--weights", options->weights, "Weights file (safetensors)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--rule", options->rule,
                  "The rule the weights were trained with, when not the project's (its tensors are in the file)");
  cmd->add_option("--threads", options->threads, "Compute threads (0 = all cores)")->check(CLI::Range(0, 1024));
  cmd->add_option("--device", options->device, kDeviceHelp);
  return [options] { return runEval(*options); };
}

}  // namespace ffn::cli

// ffnlab-cli explain PROJECT --weights FILE [--composite NAME] [--samples LIST] --out grid.png: LRP heatmaps of
// chosen samples of the project's data (test split when it has one), drawn as a grid.
#include <chrono>
#include <iostream>

#include "app/cli/CliExplain.h"
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "core/base/PngFile.h"
#include "core/lrp/Heatmap.h"

namespace ffn::cli {
namespace {

struct ExplainOptions {
  std::string project, weights, composite, samples = "0-15", classChoice = "predicted", out;
  HeatmapStyle style;
  int columns = 8;
  int threads = 0;
};

int runExplain(const ExplainOptions& options) {
  applyThreads(options.threads);
  auto session = openExplainSession(options.project, options.weights, options.composite);
  if (!session) return reportError(session.message());
  ProjectExplainer& lrp = (*session)->lrp;
  auto indices = parseSampleList(options.samples, lrp.samples->size());
  if (!indices) return reportError(indices.message());
  Batch batch;
  lrp.samples->makeBatch(*indices, batch);
  auto choice = parseClassChoice(options.classChoice, batch);
  if (!choice) return reportError(choice.message());
  for (const std::string& line : lrp.explainer->describe()) std::cerr << "  " << line << "\n";

  const auto start = std::chrono::steady_clock::now();
  auto explanation = lrp.explainer->explain(batch.inputs, *choice);
  if (!explanation) return reportError(explanation.message());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto grid = renderHeatmapGrid(explanation->relevance, &batch.inputs, options.columns, options.style);
  if (!grid) return reportError(grid.message());
  if (Status s = writePng(*grid, options.out); !s) return reportError(s.message());

  const auto names = lrp.samples->classNames();
  Json labels = Json::array(), classes = Json::array();
  for (std::int64_t i = 0; i < batch.size(); ++i) {
    const int c = explanation->classes[static_cast<std::size_t>(i)];
    classes.push_back(c);
    labels.push_back(batch.label(i));
    std::cerr << lrp.samplesName << " sample " << (*indices)[static_cast<std::size_t>(i)] << ": label "
              << names[static_cast<std::size_t>(batch.label(i))] << ", explained class " << names[static_cast<std::size_t>(c)]
              << ", score " << explanation->scores[static_cast<std::size_t>(i)] << ", relevance sum "
              << explanation->relevanceSums[static_cast<std::size_t>(i)] << "\n";
  }
  std::cerr << "wrote " << options.out << " (" << grid->width << "x" << grid->height << ")\n";
  printResult({{"command", "explain"},
               {"project", (*session)->opened.path},
               {"weights_file", options.weights},
               {"composite", (*session)->composite},
               {"target", explanation->target},
               {"split", lrp.samplesName},
               {"samples", *indices},
               {"classes", classes},
               {"labels", labels},
               {"scores", explanation->scores},
               {"relevance_sums", explanation->relevanceSums},
               {"conservation_error", explanation->medianConservationError()},
               {"rules", lrp.explainer->describe()},
               {"out", options.out},
               {"width", grid->width},
               {"height", grid->height},
               {"seconds", seconds}});
  return 0;
}

}  // namespace

CommandRunner addExplainCommand(CLI::App& app) {
  auto o = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand("explain", "LRP heatmaps of chosen samples, saved as a PNG grid");
  cmd->add_option("project", o->project, "The .ffnlab project file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--weights", o->weights, "Trained weights (safetensors)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--composite", o->composite,
                  "LRP composite (default: the project's): epsilon-plus, epsilon-gamma-box, epsilon-alpha2-beta1, "
                  "epsilon-plus-flat, epsilon, lrp-0");
  cmd->add_option("--samples", o->samples, "Samples of the test split, e.g. 0-15 or 0,4,9 (default 0-15)");
  cmd->add_option("--class", o->classChoice, "Explained class: predicted (default), label, or a class number");
  cmd->add_option("--out", o->out, "PNG file for the grid")->required();
  cmd->add_option("--columns", o->columns, "Grid columns (default 8)")->check(CLI::Range(1, 1000));
  cmd->add_option("--scale", o->style.scale, "Screen pixels per input pixel (default 4)")->check(CLI::Range(1, 64));
  cmd->add_option("--colormap", o->style.colorMap, "bwr (default) or coldnhot");
  cmd->add_option("--saturation", o->style.saturation, "Quantile of |relevance| shown at full colour (default 1)")
      ->check(CLI::Range(0.5, 1.0));
  cmd->add_flag("--overlay", o->style.overlay, "Blend the maps over the input images");
  cmd->add_flag("--show-input", o->style.showInput, "Draw each input image beside its map");
  cmd->add_option("--threads", o->threads, "Compute threads (0 = all cores)")->check(CLI::Range(0, 1024));
  return [o] { return runExplain(*o); };
}

}  // namespace ffn::cli

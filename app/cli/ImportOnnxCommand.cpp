// ffnlab-cli import-onnx M.onnx --out PROJECT: a feed-forward ONNX model (an MLP exported from PyTorch, a model
// exported by FFN Lab) as a project, with its weights beside it (PROJECT's .safetensors), ready to show, train
// further and explain. Unsupported operators are refused by name.
#include <cstdio>

#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "core/onnx/OnnxImport.h"
#include "core/project/ProjectFile.h"

namespace ffn::cli {
namespace {

struct ImportOnnxOptions {
  std::string model;
  std::string out;
  std::string weights;
};

int runImportOnnx(const ImportOnnxOptions& options) {
  auto imported = readOnnx(options.model);
  if (!imported) return reportError(imported.message());
  const std::string weightsPath = options.weights.empty() ? defaultWeightsPath(options.out) : options.weights;
  // Weights first: a project whose weights could not be written would point at nothing.
  if (Status s = writeSafetensors(weightsPath, imported->weights, {{"source", "onnx"}}); !s)
    return reportError(s.message());
  if (Status s = saveProject(imported->project, options.out); !s) return reportError(s.message());
  for (const auto& note : imported->notes) std::fprintf(stderr, "note: %s\n", note.c_str());
  Json layers = Json::array();
  for (const auto& node : imported->project.graph.nodes()) layers.push_back(node.kind);
  std::int64_t values = 0;
  for (const auto& tensor : imported->weights) values += tensor.shape.elementCount();
  std::fprintf(stderr, "wrote %s and %s (%zu nodes, %lld weights); choose its data before training\n",
               options.out.c_str(), weightsPath.c_str(), imported->project.graph.nodes().size(),
               static_cast<long long>(values));
  printResult(Json{{"command", "import-onnx"}, {"onnx_file", options.model}, {"project", options.out},
                   {"weights_file", weightsPath}, {"nodes", layers}, {"weights", values}, {"notes", imported->notes}});
  return 0;
}

}  // namespace

CommandRunner addImportOnnxCommand(CLI::App& app) {
  auto options = std::make_shared<ImportOnnxOptions>();
  CLI::App* cmd = app.add_subcommand("import-onnx", "Import a feed-forward ONNX model as a project with its weights");
  cmd->add_option("model", options->model, "The .onnx file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", options->out, "The .ffnlab project to write")->required();
  cmd->add_option("--weights", options->weights, "Where to write the weights (default: beside the project)");
  return [options] { return runImportOnnx(*options); };
}

}  // namespace ffn::cli

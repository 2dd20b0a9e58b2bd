// ffnlab-cli export-onnx PROJECT --weights W --out M.onnx: the trained network as an ONNX model (opens in Netron,
// runs in ONNX Runtime); the model passes the ONNX checker before it is written.
#include <cstdio>
#include <filesystem>

#include "app/cli/CliOutput.h"
#include "app/cli/CliProject.h"
#include "app/cli/Commands.h"
#include "core/onnx/OnnxExport.h"

namespace ffn::cli {
namespace {

struct ExportOnnxOptions {
  std::string project;
  std::string weights;
  std::string out;
};

int runExportOnnx(const ExportOnnxOptions& options) {
  auto opened = openProject(options.project);
  if (!opened) return reportError(opened.message());
  if (Status s = exportProjectOnnx(opened->project, options.weights, options.out); !s) return reportError(s.message());
  std::error_code ignored;
  const auto bytes = std::filesystem::file_size(options.out, ignored);
  std::fprintf(stderr, "wrote %s (ONNX opset %d)\n", options.out.c_str(), kOnnxOpset);
  printResult(Json{{"command", "export-onnx"}, {"project", opened->path}, {"weights_file", options.weights},
                   {"onnx_file", options.out}, {"opset", kOnnxOpset}, {"bytes", ignored ? 0 : bytes}});
  return 0;
}

}  // namespace

CommandRunner addExportOnnxCommand(CLI::App& app) {
  auto options = std::make_shared<ExportOnnxOptions>();
  CLI::App* cmd = app.add_subcommand("export-onnx", "Export a project's trained network as an ONNX model");
  cmd->add_option("project", options->project, "The .ffnlab project file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--weights", options->weights, "Trained weights (safetensors)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", options->out, "The ONNX file to write")->required();
  return [options] { return runExportOnnx(*options); };
}

}  // namespace ffn::cli

#pragma once
// Each ffnlab-cli subcommand registers itself on the CLI11 app and runs when chosen; returns the exit code.
#include <CLI/CLI.hpp>
#include <functional>

namespace ffn::cli {

using CommandRunner = std::function<int()>;

CommandRunner addTrainCommand(CLI::App& app);
CommandRunner addEvalCommand(CLI::App& app);
CommandRunner addInfoCommand(CLI::App& app);
CommandRunner addDevicesCommand(CLI::App& app);
CommandRunner addExplainCommand(CLI::App& app);
CommandRunner addAttributionEvalCommand(CLI::App& app);
CommandRunner addExportOnnxCommand(CLI::App& app);
CommandRunner addImportOnnxCommand(CLI::App& app);
CommandRunner addPermCommand(CLI::App& app);

}  // namespace ffn::cli

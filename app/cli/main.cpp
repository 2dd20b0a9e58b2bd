// ffnlab-cli: the headless lab. Trains, evaluates and inspects project files exactly as the GUI does.
#include <vector>

#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"

int main(int argc, char** argv) {
  CLI::App app{"FFN Lab command line: train, evaluate, explain and inspect .ffnlab projects.\n"
               "The last line of stdout is always one JSON object with the results."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ffnlab-cli 0.1.0");
  std::vector<std::pair<CLI::App*, ffn::cli::CommandRunner>> commands;
  auto add = [&](ffn::cli::CommandRunner (*adder)(CLI::App&)) {
    const std::size_t before = app.get_subcommands({}).size();
    auto runner = adder(app);
    commands.emplace_back(app.get_subcommands({})[before], std::move(runner));
  };
  add(ffn::cli::addTrainCommand);
  add(ffn::cli::addEvalCommand);
  add(ffn::cli::addInfoCommand);
  add(ffn::cli::addDevicesCommand);
  add(ffn::cli::addExplainCommand);
  add(ffn::cli::addAttributionEvalCommand);
  add(ffn::cli::addExportOnnxCommand);
  add(ffn::cli::addImportOnnxCommand);
  add(ffn::cli::addPermCommand);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (auto& [command, run] : commands)
    if (command->parsed()) return run();
  return ffn::cli::reportError("no command given (try --help)");
}

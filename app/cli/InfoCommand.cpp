// ffnlab-cli info PROJECT: the graph as a table (shapes, weights, FLOPs per node) and whether it is valid.
#include <algorithm>
#include <cstdio>

#include "app/cli/CliOutput.h"
#include "app/cli/CliProject.h"
#include "app/cli/Commands.h"
#include "core/graph/GraphValidator.h"

namespace ffn::cli {
namespace {

int runInfo(const std::string& path) {
  auto opened = openProject(path);
  if (!opened) return reportError(opened.message());
  const Project& project = opened->project;
  const GraphCheck check = checkGraph(project.graph);
  std::fprintf(stderr, "%s\n%-14s %-14s %-16s %12s %14s\n", project.name.c_str(), "node", "kind", "output",
               "weights", "FLOPs/sample");
  std::int64_t weights = 0, flops = 0;
  Json nodes = Json::array();
  const auto& order = check.chain.empty() ? std::vector<NodeId>{} : check.chain;
  std::vector<NodeId> listed = order;
  for (const auto& node : project.graph.nodes())
    if (std::find(listed.begin(), listed.end(), node.id) == listed.end()) listed.push_back(node.id);
  for (const auto& id : listed) {
    const Node& node = *project.graph.node(id);
    const NodeCheck& c = check.nodes.at(id);
    // A multiply-add is two floating-point operations.
    std::fprintf(stderr, "%-14s %-14s %-16s %12lld %14lld%s%s\n", node.label.c_str(), node.kind.c_str(),
                 c.outputShape.empty() ? "?" : c.outputShape.toString().c_str(), static_cast<long long>(c.weightCount),
                 static_cast<long long>(2 * c.flopsPerSample), c.error.empty() ? "" : "  ! ", c.error.c_str());
    weights += c.weightCount;
    flops += 2 * c.flopsPerSample;
    nodes.push_back(Json{{"id", id}, {"kind", node.kind}, {"output", c.outputShape.dims()},
                         {"weights", c.weightCount}, {"flops_per_sample", 2 * c.flopsPerSample}});
  }
  std::fprintf(stderr, "total: %lld weights, %lld FLOPs per sample (forward)\n", static_cast<long long>(weights),
               static_cast<long long>(flops));
  Json result{{"command", "info"},   {"project", opened->path}, {"valid", check.ok()},
              {"weights", weights},  {"flops_per_sample", flops}, {"nodes", nodes},
              {"rule", project.training.rule}, {"dataset", project.dataset.value("kind", "")}};
  if (!check.ok()) result["error"] = check.firstError();
  printResult(result);
  return check.ok() ? 0 : reportError(check.firstError());
}

}  // namespace

CommandRunner addInfoCommand(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("info", "Summarise a project's network: shapes, weights and FLOPs");
  cmd->add_option("project", *path, "The .ffnlab project file")->required()->check(CLI::ExistingFile);
  return [path] { return runInfo(*path); };
}

}  // namespace ffn::cli

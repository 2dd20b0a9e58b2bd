#include "core/project/ProjectRun.h"

#include "core/rules/RuleRegistry.h"

namespace ffn {

RunSeeds RunSeeds::from(std::uint64_t projectSeed) {
  return {deriveSeed(projectSeed, 1), deriveSeed(projectSeed, 2), deriveSeed(projectSeed, 3)};
}

Result<std::unique_ptr<ProjectRun>> ProjectRun::create(const Project& project, const std::string& projectDirectory,
                                                       Backend& backend, const RunOverrides& overrides) {
  std::unique_ptr<ProjectRun> run(new ProjectRun());
  run->m_project = project;
  Project& p = run->m_project;
  if (overrides.rule && *overrides.rule != p.training.rule) {
    p.training.rule = *overrides.rule;
    p.training.ruleParams = Json::object();  // another rule's settings do not carry over
  }
  if (overrides.epochs) p.training.epochs = *overrides.epochs;
  if (overrides.seed) p.seed = *overrides.seed;

  // Settings first (cheap, and the likeliest mistakes), then the graph, then the data (may read files).
  const RunSeeds seeds = RunSeeds::from(p.seed);
  auto rule = createRule(p.training.rule, p.training.ruleParams);
  if (!rule) return rule.error();
  run->m_rule = std::move(*rule);
  auto optimizer = Optimizer::create(p.training.optimizer, backend, seeds.optimizerNoise);
  if (!optimizer) return optimizer.error();
  run->m_optimizer = std::move(*optimizer);

  auto network = Network::compile(p.graph, backend);
  if (!network) return network.error();
  run->m_network = std::move(*network);
  run->m_network->initializeWeights(seeds.weights);

  auto data = loadData(p.dataset, projectDirectory);
  if (!data) return data.error();
  run->m_data = std::move(*data);

  TrainerSettings settings;
  settings.epochs = p.training.epochs;
  settings.batchSize = p.training.batchSize;
  settings.seed = seeds.shuffle;
  run->m_trainer = std::make_unique<Trainer>(*run->m_network, *run->m_rule, *run->m_optimizer,
                                             run->m_data.splits(), settings);
  FFN_TRY(run->m_trainer->prepare());
  return run;
}

}  // namespace ffn

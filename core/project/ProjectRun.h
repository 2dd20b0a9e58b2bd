#pragma once
// ProjectRun: everything needed to train or evaluate a project, built from the project alone — the data, the
// compiled network with seeded weights, the rule, the optimiser and the trainer. The GUI and the CLI both go
// through here, so the same project file and seed give the same numbers in both.
#include <memory>
#include <optional>
#include <string>

#include "core/data/LoadedData.h"
#include "core/project/Project.h"
#include "core/rules/TrainingRule.h"
#include "core/train/Trainer.h"

namespace ffn {

// Command-line style changes to a project's settings for one run.
struct RunOverrides {
  std::optional<std::string> rule;
  std::optional<int> epochs;
  std::optional<std::uint64_t> seed;
};

// Seeds of the independent random streams of a run, all derived from the project seed.
struct RunSeeds {
  std::uint64_t weights, shuffle, optimizerNoise;
  static RunSeeds from(std::uint64_t projectSeed);
};

class ProjectRun {
 public:
  // Loads the data (paths relative to projectDirectory), compiles the graph and seeds the weights.
  static Result<std::unique_ptr<ProjectRun>> create(const Project& project, const std::string& projectDirectory,
                                                    Backend& backend, const RunOverrides& overrides = {});

  const Project& project() const { return m_project; }  // with the overrides applied
  Network& network() { return *m_network; }
  TrainingRule& rule() { return *m_rule; }
  Optimizer& optimizer() { return *m_optimizer; }
  Trainer& trainer() { return *m_trainer; }
  const LoadedData& data() const { return m_data; }

 private:
  ProjectRun() = default;
  Project m_project;
  LoadedData m_data;
  std::unique_ptr<Network> m_network;
  std::unique_ptr<TrainingRule> m_rule;
  std::unique_ptr<Optimizer> m_optimizer;
  std::unique_ptr<Trainer> m_trainer;
};

}  // namespace ffn

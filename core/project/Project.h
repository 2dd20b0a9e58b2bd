#pragma once
// Project: everything a `.ffnlab` file holds — the graph with node positions, how to train it (rule and its
// settings, optimiser, epochs, batch size), which data, the seed, the compute device, the LRP composite and the
// runs kept with it. Trained weights live beside the file in safetensors format.
#include <cstdint>
#include <string>

#include "core/graph/Graph.h"
#include "core/optim/OptimizerSettings.h"

namespace ffn {

struct TrainingSettings {
  std::string rule = "backprop";   // a name from the rule registry: backprop, ff, mf, ccl, ntk-ensemble
  Json ruleParams = Json::object();  // the rule's own settings (validated by the rule)
  int epochs = 10;
  int batchSize = 128;
  OptimizerSettings optimizer;
};

struct LrpSettings {
  std::string composite = "epsilon-plus";
  Json overrides = Json::object();  // node id -> rule name (and its settings), set by clicking a node
};

struct Project {
  std::string name;
  std::string description;
  Graph graph;
  // The data, as a spec the data module understands: {"kind": "spiral", "samples": 1000, ...} or
  // {"kind": "fashion-mnist", ...}. See core/data/DataSpec.h.
  Json dataset = Json::object();
  TrainingSettings training;
  std::uint64_t seed = 1;
  std::string device = "cpu";  // cpu | opencl | opencl:N
  LrpSettings lrp;
  Json runs = Json::array();  // runs kept with the project (the GUI's run history), stored verbatim
};

}  // namespace ffn

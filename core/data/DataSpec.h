#pragma once
// The data a project names, as JSON: {"kind": "spiral", "samples": 1000, ...}. Each kind has a ParamSpec table,
// so the GUI builds its editors from the same list that fills in defaults and refuses bad values. Loading a spec
// into datasets is loadData (core/data/LoadedData.h).
//   fashion-mnist  path (folder with the four .gz files), trainLimit, testLimit, validationFraction, normalize, seed
//   idx            trainImages, trainLabels, testImages, testLabels, classes, and the same options
//   csv            path, labelColumn, featureColumns, testFraction, validationFraction, normalize, seed
//   spiral, circles, xor, blobs, moons   samples, noise, classes (spiral, blobs), testFraction, validationFraction, seed
//   permutation    k, test (two-hot | all), testSamples, seed (core/data/PermutationTask.h)
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/graph/ParamSpec.h"

namespace ffn {

// Every kind, in the order a menu lists them.
std::vector<std::string> dataKinds();
// The settings of one kind, without "kind" itself; empty for an unknown kind.
std::vector<ParamSpec> dataParamSpecs(const std::string& kind);
// A spec with defaults for all missing settings; refuses a missing or unknown kind, unknown keys and bad values.
Result<Json> completeDataSpec(const Json& spec);
// The default spec of a kind ({"kind": kind, ...defaults}).
Json defaultDataSpec(const std::string& kind);

}  // namespace ffn

#pragma once
// loadData turns a data spec (core/data/DataSpec.h) into the datasets a run uses: a base dataset per file or
// generated set, owned here, and train / validation / test views into it (DatasetSubset, no copies).
// Normalization statistics come from the train split only and are applied to every split.
#include <memory>
#include <string>
#include <vector>

#include "core/base/Result.h"
#include "core/data/Dataset.h"
#include "core/graph/ParamSpec.h"

namespace ffn {

struct LoadedData {
  // Declared first so that it is destroyed last: the splits below read from these.
  std::vector<std::unique_ptr<Dataset>> owned;
  std::unique_ptr<Dataset> train;
  std::unique_ptr<Dataset> validation;  // null when the spec asks for none
  std::unique_ptr<Dataset> test;        // null when the spec asks for none
  Json spec;                            // the spec with every default filled in
  std::string description;              // one line for a status bar: sizes, sample shape, classes

  DataSplits splits() const { return {train.get(), validation.get(), test.get()}; }
};

// Relative file paths in the spec are resolved against baseDirectory (the project file's folder).
Result<LoadedData> loadData(const Json& spec, const std::string& baseDirectory);

}  // namespace ffn

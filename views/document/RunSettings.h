#pragma once
// RunSettings: how a project trains — the rule and its settings, optimiser, epochs, batch size, data, seed,
// device and LRP composite — kept as the project file's own JSON sections ("training", "dataset", "seed",
// "device", "lrp"). One undo command class can then store any of these edits, the project file's reader validates
// them, and a run record keeps exactly the sections that reproduce it.
#include "core/base/Result.h"
#include "core/project/Project.h"

namespace ffn::views {

class RunSettings {
 public:
  RunSettings() = default;
  // The settings sections of a project (never its graph or runs, which can be large).
  static RunSettings of(const Project& project);
  // Settings from a JSON object with any of the sections; refused with a message naming the field when a value
  // is wrong (an unknown rule, a data spec the data module refuses, a bad optimiser value ...).
  static Result<RunSettings> fromJson(const Json& sections);

  const Json& json() const { return m_json; }
  // Writes the settings into a project (keeping its graph, name and runs).
  void applyTo(Project& project) const;
  // A copy with one value replaced: `path` is a JSON pointer such as "/training/optimizer/lr".
  Result<RunSettings> with(const std::string& path, const Json& value) const;

  bool operator==(const RunSettings& other) const { return m_json == other.m_json; }

 private:
  explicit RunSettings(Json json) : m_json(std::move(json)) {}
  Json m_json = Json::object();
  Project m_parsed;  // the same settings, typed (graph and runs empty)
};

}  // namespace ffn::views

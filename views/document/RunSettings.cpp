#include "views/document/RunSettings.h"

#include "core/data/DataSpec.h"
#include "core/project/ProjectFile.h"
#include "core/rules/RuleRegistry.h"

namespace ffn::views {
namespace {

constexpr const char* kSections[] = {"training", "dataset", "seed", "device", "lrp"};

Json sectionsOf(const Project& project) {
  Project light;  // no graph, no runs: serialising those on every settings edit would be waste
  light.dataset = project.dataset;
  light.training = project.training;
  light.seed = project.seed;
  light.device = project.device;
  light.lrp = project.lrp;
  const Json full = projectToJson(light);
  Json sections = Json::object();
  for (const char* key : kSections) sections[key] = full.at(key);
  return sections;
}

}  // namespace

RunSettings RunSettings::of(const Project& project) {
  RunSettings settings(sectionsOf(project));
  settings.m_parsed.dataset = project.dataset;
  settings.m_parsed.training = project.training;
  settings.m_parsed.seed = project.seed;
  settings.m_parsed.device = project.device;
  settings.m_parsed.lrp = project.lrp;
  return settings;
}

Result<RunSettings> RunSettings::fromJson(const Json& sections) {
  if (!sections.is_object()) return fail("the run settings must be a JSON object");
  Json document{{"format", "ffnlab-project"}, {"version", kProjectFormatVersion}};
  for (const char* key : kSections)
    if (sections.contains(key)) document[key] = sections.at(key);
  auto project = projectFromJson(document);
  if (!project) return project.error();
  const TrainingSettings& training = project->training;
  // A rule this build does not know (a project from a build with more rules) is kept as it is: the run says so
  // when it starts, and the other settings stay editable.
  if (const RuleInfo* rule = findRule(training.rule))
    if (auto params = completeParams(rule->params, training.ruleParams, "rule '" + training.rule + "'"); !params)
      return params.error();
  if (!project->dataset.empty())
    if (auto data = completeDataSpec(project->dataset); !data) return data.error();
  return RunSettings::of(*project);
}

void RunSettings::applyTo(Project& project) const {
  project.dataset = m_parsed.dataset;
  project.training = m_parsed.training;
  project.seed = m_parsed.seed;
  project.device = m_parsed.device;
  project.lrp = m_parsed.lrp;
}

Result<RunSettings> RunSettings::with(const std::string& path, const Json& value) const {
  Json changed = m_json;
  try {
    changed[Json::json_pointer(path)] = value;
  } catch (const Json::exception& e) {
    return fail("no setting '", path, "': ", e.what());
  }
  return fromJson(changed);
}

}  // namespace ffn::views

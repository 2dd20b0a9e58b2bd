#include "core/project/ProjectFile.h"

#include <algorithm>
#include <filesystem>
#include <initializer_list>

#include "core/base/AtomicFile.h"
#include "core/graph/GraphJson.h"

namespace ffn {
namespace {

constexpr const char* kFormatName = "ffnlab-project";

// Reads the fields of one JSON object; errors name each field by its path in the file ("training.epochs").
// Absent fields leave the target at its default.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string prefix) : m_object(object), m_prefix(std::move(prefix)) {}

  Status string(const char* key, std::string& out) const {
    if (const Json* value = find(key)) {
      if (!value->is_string()) return wrongType(key, "a string", *value);
      out = value->get<std::string>();
    }
    return {};
  }
  Status integer(const char* key, int& out, int minimum, int maximum) const {
    if (const Json* value = find(key)) {
      if (!value->is_number_integer() || (value->is_number_unsigned() && value->get<std::uint64_t>() > 1'000'000'000) ||
          value->get<std::int64_t>() < minimum || value->get<std::int64_t>() > maximum)
        return fail(name(key), " must be a whole number from ", std::to_string(minimum), " to ", std::to_string(maximum),
                    ", got ", value->dump());
      out = static_cast<int>(value->get<std::int64_t>());
    }
    return {};
  }
  Status unsignedInteger(const char* key, std::uint64_t& out) const {
    if (const Json* value = find(key)) {
      if (!value->is_number_integer() || (!value->is_number_unsigned() && value->get<std::int64_t>() < 0))
        return fail(name(key), " must be a whole number >= 0, got ", value->dump());
      out = value->get<std::uint64_t>();
    }
    return {};
  }
  Status object(const char* key, Json& out) const {
    if (const Json* value = find(key)) {
      if (!value->is_object()) return wrongType(key, "a JSON object", *value);
      out = *value;
    }
    return {};
  }
  Status array(const char* key, Json& out) const {
    if (const Json* value = find(key)) {
      if (!value->is_array()) return wrongType(key, "a list", *value);
      out = *value;
    }
    return {};
  }
  // Refuses fields this build does not know: silently dropping them would lose them on the next save.
  Status onlyKnown(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : m_object.items())
      if (std::find(known.begin(), known.end(), key) == known.end())
        return fail("unknown field '", name(key.c_str()), "' (from a newer FFN Lab, or a typing mistake?)");
    return {};
  }

 private:
  const Json* find(const char* key) const {
    auto it = m_object.find(key);
    return it == m_object.end() ? nullptr : &*it;
  }
  std::string name(const char* key) const { return m_prefix.empty() ? key : m_prefix + "." + key; }
  Error wrongType(const char* key, const char* wanted, const Json& value) const {
    return fail(name(key), " must be ", wanted, ", not ", value.type_name());
  }

  const Json& m_object;
  std::string m_prefix;
};

Status checkSection(const Json& json, const char* key) {
  if (json.contains(key) && !json.at(key).is_object())
    return fail(key, " must be a JSON object, not ", json.at(key).type_name());
  return {};
}

Status readTraining(const Json& json, TrainingSettings& training) {
  FieldReader fields(json, "training");
  FFN_TRY(fields.onlyKnown({"rule", "ruleParams", "epochs", "batchSize", "optimizer"}));
  FFN_TRY(fields.string("rule", training.rule));
  if (training.rule.empty()) return fail("training.rule must name a training rule");
  FFN_TRY(fields.object("ruleParams", training.ruleParams));
  FFN_TRY(fields.integer("epochs", training.epochs, 1, kMaxEpochs));
  FFN_TRY(fields.integer("batchSize", training.batchSize, 1, kMaxBatchSize));
  Json optimizer = Json::object();
  FFN_TRY(fields.object("optimizer", optimizer));
  auto settings = optimizerSettingsFromJson(optimizer);
  if (!settings) return fail("training.", settings.message());
  training.optimizer = *settings;
  return {};
}

Result<Project> readProject(const Json& json) {
  if (!json.is_object()) return fail("not an FFN Lab project: the file holds a JSON ", json.type_name(), ", not an object");
  const auto format = json.find("format");
  if (format == json.end() || !format->is_string())
    return fail("not an FFN Lab project (it has no \"format\": \"", kFormatName, "\")");
  if (format->get<std::string>() != kFormatName)
    return fail("not an FFN Lab project: its format is '", format->get<std::string>(), "'");
  // The version comes before every other check: a newer file may well have fields this build cannot read.
  const auto version = json.find("version");
  if (version == json.end() || !version->is_number_integer())
    return fail("the project has no format version (a whole number)");
  if (version->is_number_unsigned() ? version->get<std::uint64_t>() > kProjectFormatVersion
                                    : version->get<std::int64_t>() > kProjectFormatVersion)
    return fail("the project was written by a newer FFN Lab (format version ", version->dump(),
                "; this build reads up to ", std::to_string(kProjectFormatVersion), ")");
  if (version->get<std::int64_t>() < 1) return fail("the project has an invalid format version ", version->dump());

  Project project;
  FieldReader fields(json, "");
  FFN_TRY(fields.onlyKnown({"format", "version", "name", "description", "seed", "device", "graph", "dataset",
                            "training", "lrp", "runs"}));
  FFN_TRY(fields.string("name", project.name));
  FFN_TRY(fields.string("description", project.description));
  FFN_TRY(fields.unsignedInteger("seed", project.seed));
  FFN_TRY(fields.string("device", project.device));
  if (project.device.empty()) return fail("device must name a compute device (cpu, opencl, opencl:N)");
  FFN_TRY(fields.object("dataset", project.dataset));
  FFN_TRY(fields.array("runs", project.runs));
  for (const char* section : {"graph", "training", "lrp"}) FFN_TRY(checkSection(json, section));

  if (json.contains("graph")) {
    auto graph = graphFromJson(json.at("graph"));
    if (!graph) return fail("graph: ", graph.message());
    project.graph = std::move(*graph);
  }
  if (json.contains("training")) FFN_TRY(readTraining(json.at("training"), project.training));
  if (json.contains("lrp")) {
    FieldReader lrp(json.at("lrp"), "lrp");
    FFN_TRY(lrp.onlyKnown({"composite", "overrides"}));
    FFN_TRY(lrp.string("composite", project.lrp.composite));
    FFN_TRY(lrp.object("overrides", project.lrp.overrides));
  }
  return project;
}

}  // namespace

Json projectToJson(const Project& project) {
  const TrainingSettings& training = project.training;
  return Json{{"format", kFormatName},
              {"version", kProjectFormatVersion},
              {"name", project.name},
              {"description", project.description},
              {"seed", project.seed},
              {"device", project.device},
              {"graph", graphToJson(project.graph)},
              {"dataset", project.dataset},
              {"training",
               {{"rule", training.rule},
                {"ruleParams", training.ruleParams},
                {"epochs", training.epochs},
                {"batchSize", training.batchSize},
                {"optimizer", toJson(training.optimizer)}}},
              {"lrp", {{"composite", project.lrp.composite}, {"overrides", project.lrp.overrides}}},
              {"runs", project.runs}};
}

Result<Project> projectFromJson(const Json& json) {
  // Every access is type-checked first; this only keeps a missed case from escaping as an exception.
  try {
    return readProject(json);
  } catch (const Json::exception& e) {
    return fail("the project cannot be read: ", e.what());
  }
}

std::string projectToText(const Project& project) {
  // Invalid UTF-8 (a name pasted from elsewhere) becomes U+FFFD rather than making the save fail.
  return projectToJson(project).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Result<Project> projectFromText(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return fail("the file is empty");
  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& e) {
    std::string detail = e.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 1: ..." -> "parse error at line 3, ..."
    if (auto bracket = detail.find("] "); detail.starts_with("[json.exception") && bracket != std::string::npos)
      detail.erase(0, bracket + 2);
    const bool truncated = e.byte >= text.size();
    return fail("not valid JSON", truncated ? ", the file ends too early (was it cut off?)" : "", ": ", detail);
  } catch (const Json::exception& e) {  // a number too large for a double (found by fuzz_project)
    std::string detail = e.what();
    if (auto bracket = detail.find("] "); bracket != std::string::npos) detail.erase(0, bracket + 2);
    return fail("not valid JSON: ", detail);
  }
  return projectFromJson(json);
}

Result<Project> loadProject(const std::string& path) {
  auto text = readWholeFile(path, kProjectMaxBytes);
  if (!text) return text.error();
  auto project = projectFromText(*text);
  if (!project) return fail("cannot open '", path, "': ", project.message());
  return project;
}

Status saveProject(const Project& project, const std::string& path) {
  return writeFileAtomically(path, projectToText(project));
}

std::string defaultWeightsPath(const std::string& projectPath) {
  std::filesystem::path path(projectPath);
  if (path.extension() == ".ffnlab") return path.replace_extension(".safetensors").string();
  return projectPath + ".safetensors";
}

}  // namespace ffn

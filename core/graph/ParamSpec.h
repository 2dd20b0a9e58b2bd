#pragma once
// The settings a node kind offers (a Dense layer's `units`, an optimiser's `lr`, ...): type, default, range and
// help text. The inspector builds its editors from these, the project loader fills in defaults from them, and
// validation checks every value against them, so a bad value is refused with a message naming the setting.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/Result.h"

namespace ffn {

using Json = nlohmann::json;

// Text: free text such as a file path (a data set's location); any string is accepted.
enum class ParamType { Int, Float, Bool, Choice, IntList, Text };

struct ParamSpec {
  std::string name;   // key in the node's params ("units")
  std::string label;  // shown in the inspector ("Units")
  ParamType type = ParamType::Int;
  Json defaultValue;
  double minimum = 0.0, maximum = 0.0;  // inclusive range for Int/Float (and each entry of IntList)
  std::vector<std::string> choices;     // for Choice
  std::string help;                     // one or two sentences: what it does, when to change it
  bool logScale = false;                // a Float best edited on a log scale (learning rates)
};

// Checks one value against its spec.
Status checkParam(const ParamSpec& spec, const Json& value);
// Returns params with every missing setting filled with its default; refuses unknown keys and bad values.
// `owner` names the thing in messages ("Dense 'fc1'").
Result<Json> completeParams(const std::vector<ParamSpec>& specs, const Json& params, const std::string& owner);
// Only the defaults.
Json defaultParams(const std::vector<ParamSpec>& specs);

// Shorthands for writing spec tables.
ParamSpec intParam(std::string name, std::string label, std::int64_t value, std::int64_t minimum,
                   std::int64_t maximum, std::string help);
ParamSpec floatParam(std::string name, std::string label, double value, double minimum, double maximum,
                     std::string help, bool logScale = false);
ParamSpec boolParam(std::string name, std::string label, bool value, std::string help);
ParamSpec choiceParam(std::string name, std::string label, std::string value, std::vector<std::string> choices,
                      std::string help);
ParamSpec intListParam(std::string name, std::string label, std::vector<std::int64_t> value, std::int64_t minimum,
                       std::int64_t maximum, std::string help);
ParamSpec textParam(std::string name, std::string label, std::string value, std::string help);

}  // namespace ffn

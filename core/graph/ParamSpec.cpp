#include "core/graph/ParamSpec.h"

#include <algorithm>
#include <cmath>

namespace ffn {
namespace {

// A whole number that converts to int64 exactly: 2^63 itself does not fit (the largest int64 is 2^63 - 1).
bool fitsInt64(double d) { return d == std::floor(d) && d >= -0x1p63 && d < 0x1p63; }

std::string formatNumber(double value) {
  Json j = value;
  if (value == std::floor(value) && std::fabs(value) < 1e15) j = static_cast<std::int64_t>(value);
  return j.dump();
}

Status checkRange(const ParamSpec& spec, double value) {
  if (!std::isfinite(value) || value < spec.minimum || value > spec.maximum)
    return fail("'", spec.name, "' must be between ", formatNumber(spec.minimum), " and ",
                formatNumber(spec.maximum), ", got ", formatNumber(value));
  return {};
}

}  // namespace

Status checkParam(const ParamSpec& spec, const Json& value) {
  switch (spec.type) {
    case ParamType::Int:
      if (!value.is_number_integer()) return fail("'", spec.name, "' must be a whole number, got ", value.dump());
      return checkRange(spec, static_cast<double>(value.get<std::int64_t>()));
    case ParamType::Float:
      if (!value.is_number()) return fail("'", spec.name, "' must be a number, got ", value.dump());
      return checkRange(spec, value.get<double>());
    case ParamType::Bool:
      if (!value.is_boolean()) return fail("'", spec.name, "' must be true or false, got ", value.dump());
      return {};
    case ParamType::Choice: {
      if (!value.is_string()) return fail("'", spec.name, "' must be one of its choices, got ", value.dump());
      const auto text = value.get<std::string>();
      if (std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
        std::string options;
        for (const auto& c : spec.choices) options += (options.empty() ? "" : ", ") + c;
        return fail("'", spec.name, "' must be one of ", options, "; got '", text, "'");
      }
      return {};
    }
    case ParamType::IntList:
      if (!value.is_array() || value.empty()) return fail("'", spec.name, "' must be a list of whole numbers");
      for (const auto& entry : value) {
        if (!entry.is_number_integer()) return fail("'", spec.name, "' must be a list of whole numbers");
        FFN_TRY(checkRange(spec, static_cast<double>(entry.get<std::int64_t>())));
      }
      return {};
    case ParamType::Text:
      if (!value.is_string()) return fail("'", spec.name, "' must be text, got ", value.dump());
      return {};
  }
  return {};
}

Result<Json> completeParams(const std::vector<ParamSpec>& specs, const Json& params, const std::string& owner) {
  if (!params.is_null() && !params.is_object()) return fail(owner, ": settings must be a JSON object");
  Json complete = Json::object();
  for (const auto& spec : specs) {
    Json value = params.is_object() && params.contains(spec.name) ? params.at(spec.name) : spec.defaultValue;
    // A whole-number float given for an integer setting (e.g. 64.0 from a UI spin box) is accepted; one beyond
    // the 64-bit range (1e42) stays a float, for checkParam to refuse (converting it would be undefined).
    if (spec.type == ParamType::Int && value.is_number_float() && fitsInt64(value.get<double>()))
      value = static_cast<std::int64_t>(value.get<double>());
    if (Status s = checkParam(spec, value); !s) return fail(owner, ": ", s.message());
    complete[spec.name] = value;
  }
  if (params.is_object())
    for (const auto& [key, value] : params.items())
      if (!complete.contains(key)) return fail(owner, ": unknown setting '", key, "'");
  return complete;
}

Json defaultParams(const std::vector<ParamSpec>& specs) {
  Json params = Json::object();
  for (const auto& spec : specs) params[spec.name] = spec.defaultValue;
  return params;
}

ParamSpec intParam(std::string name, std::string label, std::int64_t value, std::int64_t minimum,
                   std::int64_t maximum, std::string help) {
  return {std::move(name), std::move(label), ParamType::Int, value, static_cast<double>(minimum),
          static_cast<double>(maximum), {}, std::move(help)};
}

ParamSpec floatParam(std::string name, std::string label, double value, double minimum, double maximum,
                     std::string help, bool logScale) {
  return {std::move(name), std::move(label), ParamType::Float, value, minimum, maximum, {}, std::move(help), logScale};
}

ParamSpec boolParam(std::string name, std::string label, bool value, std::string help) {
  return {std::move(name), std::move(label), ParamType::Bool, value, 0, 0, {}, std::move(help)};
}

ParamSpec choiceParam(std::string name, std::string label, std::string value, std::vector<std::string> choices,
                      std::string help) {
  return {std::move(name), std::move(label), ParamType::Choice, std::move(value), 0, 0, std::move(choices),
          std::move(help)};
}

ParamSpec intListParam(std::string name, std::string label, std::vector<std::int64_t> value, std::int64_t minimum,
                       std::int64_t maximum, std::string help) {
  return {std::move(name), std::move(label), ParamType::IntList, value, static_cast<double>(minimum),
          static_cast<double>(maximum), {}, std::move(help)};
}

ParamSpec textParam(std::string name, std::string label, std::string value, std::string help) {
  return {std::move(name), std::move(label), ParamType::Text, std::move(value), 0, 0, {}, std::move(help)};
}

}  // namespace ffn

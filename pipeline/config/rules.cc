#include "pipeline/config/rules.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/config/config_json.h"
#include "storage/records.h"

namespace postmottak {

using nlohmann::json;

const std::vector<std::string>& KnownAreas() {
  static const std::vector<std::string> areas = {"AAP", "DAG", "SYK", "FOR", "BAR", "ENF",
                                                 "BID", "UFO", "PEN", "HJE", "SOS"};
  return areas;
}

namespace {

Status Bad(const std::string& source, const std::string& field, const std::string& why) {
  return Status::InvalidArgument("rules file " + source + ": " + field + ": " + why);
}

// The shared readers' errors, in the rules file's words.
Status InRules(const std::string& source, const Status& s) {
  return s.WithContext("rules file " + source);
}

}  // namespace

Result<Rules> Rules::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("rules file " + path + " cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

// An optional string field. json::value() would throw on another type (found by
// tests/fuzz/rules_fuzzer): refused with the field named instead.
Status OptionalString(const json& object, const char* key, const std::string& fallback,
                      const std::string& source, const std::string& field, std::string* out) {
  if (!object.contains(key)) {
    *out = fallback;
    return Status::OK();
  }
  if (!object[key].is_string()) return Bad(source, field + "." + key, "must be a string");
  *out = object[key].get<std::string>();
  return Status::OK();
}

Result<Rules> Rules::Parse(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    // Not only parse errors: a number too large for a double ("2e525") is out_of_range
    // (found by tests/fuzz/rules_fuzzer).
    return Status::InvalidArgument("rules file " + source + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) return Bad(source, "top level", "must be an object");
  Rules rules;
  rules.text_ = text;
  if (!j.contains("intake_unit") || !j["intake_unit"].is_string() ||
      !IsValidUnit(j["intake_unit"].get<std::string>()))
    return Bad(source, "intake_unit", "must be a 4-digit unit number");
  rules.intake_unit_ = j["intake_unit"].get<std::string>();
  if (j.contains("response_days")) {
    // Compared as 64 bits: 2^32 + 1 must not pass as 1 day.
    if (!j["response_days"].is_number_integer() || j["response_days"].get<int64_t>() < 1 ||
        j["response_days"].get<int64_t>() > 365)
      return Bad(source, "response_days", "must be a whole number of days from 1 to 365");
    rules.response_days_ = static_cast<int>(j["response_days"].get<int64_t>());
  }
  if (j.contains("return_address"))
    PM_RETURN_IF_ERROR(
        InRules(source, StringList(j["return_address"], "return_address", &rules.return_address_)));

  if (!j.contains("document_types") || !j["document_types"].is_object() ||
      j["document_types"].empty())
    return Bad(source, "document_types", "must be a non-empty object");
  for (const auto& [id, t] : j["document_types"].items()) {
    const std::string field = "document_types." + id;
    if (!t.is_object()) return Bad(source, field, "must be an object");
    DocumentTypeRule rule;
    rule.id = id;
    if (!t.contains("title") || !t["title"].is_string())
      return Bad(source, field + ".title", "missing");
    rule.title = t["title"].get<std::string>();
    if (!t.contains("keywords")) return Bad(source, field + ".keywords", "missing");
    PM_RETURN_IF_ERROR(
        InRules(source, StringList(t["keywords"], field + ".keywords", &rule.keywords)));
    if (rule.keywords.empty())
      return Bad(source, field + ".keywords", "needs at least one keyword");
    PM_RETURN_IF_ERROR(
        OptionalString(t, "awaited_from", "citizen", source, field, &rule.awaited_from));
    static const std::vector<std::string> parties = {"citizen", "employer", "doctor"};
    if (std::find(parties.begin(), parties.end(), rule.awaited_from) == parties.end())
      return Bad(source, field + ".awaited_from", "must be citizen, employer or doctor");
    rules.types_[id] = std::move(rule);
  }

  if (!j.contains("areas") || !j["areas"].is_object())
    return Bad(source, "areas", "must be an object");
  for (const auto& [code, a] : j["areas"].items()) {
    const std::string field = "areas." + code;
    const auto& known = KnownAreas();
    if (std::find(known.begin(), known.end(), code) == known.end())
      return Bad(source, field, "unknown benefit area");
    if (!a.is_object()) return Bad(source, field, "must be an object");
    AreaRule rule;
    rule.code = code;
    PM_RETURN_IF_ERROR(OptionalString(a, "name", code, source, field, &rule.name));
    if (!a.contains("requires")) return Bad(source, field + ".requires", "missing");
    PM_RETURN_IF_ERROR(
        InRules(source, StringList(a["requires"], field + ".requires", &rule.required)));
    if (a.contains("accepts"))
      PM_RETURN_IF_ERROR(
          InRules(source, StringList(a["accepts"], field + ".accepts", &rule.accepts)));
    for (const auto* list : {&rule.required, &rule.accepts})
      for (const auto& type : *list)
        if (!rules.types_.count(type))
          return Bad(source, field, "unknown document type '" + type + "'");
    rules.areas_[code] = std::move(rule);
  }
  return rules;
}

const AreaRule* Rules::Area(const std::string& code) const {
  auto it = areas_.find(code);
  return it == areas_.end() ? nullptr : &it->second;
}

const DocumentTypeRule* Rules::DocumentType(const std::string& id) const {
  auto it = types_.find(id);
  return it == types_.end() ? nullptr : &it->second;
}

bool Rules::Plausible(const std::string& area, const std::string& type) const {
  const AreaRule* a = Area(area);
  if (!a || !DocumentType(type)) return false;
  auto has = [&type](const std::vector<std::string>& v) {
    return std::find(v.begin(), v.end(), type) != v.end();
  };
  return has(a->required) || has(a->accepts);
}

std::string Rules::TitleOf(const std::string& type) const {
  const DocumentTypeRule* t = DocumentType(type);
  return t ? t->title : type;
}

}  // namespace postmottak

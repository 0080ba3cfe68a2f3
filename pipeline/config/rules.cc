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

namespace {

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

// "units": {"0301": {"name": ..., "kind": ...}}; optional (no handovers without it).
Status ParseUnits(const json& j, const std::string& source, std::map<std::string, UnitRule>* out) {
  if (!j.contains("units")) return Status::OK();
  if (!j["units"].is_object()) return Bad(source, "units", "must be an object");
  for (const auto& [id, u] : j["units"].items()) {
    const std::string field = "units." + id;
    if (!IsValidUnit(id)) return Bad(source, field, "must be a 4-digit unit number");
    if (!u.is_object() || !u.contains("kind") || !u["kind"].is_string() ||
        u["kind"].get<std::string>().empty())
      return Bad(source, field, "must be an object with a kind");
    UnitRule rule{id, "", u["kind"].get<std::string>()};
    PM_RETURN_IF_ERROR(OptionalString(u, "name", id, source, field, &rule.name));
    (*out)[id] = std::move(rule);
  }
  return Status::OK();
}

// "handover_categories": {"decide": {"title": ..., "to": ["back_office"]}}: every kind a
// category goes to must be some unit's.
Status ParseCategories(const json& j, const std::string& source,
                       const std::map<std::string, UnitRule>& units,
                       std::map<std::string, HandoverCategory>* out) {
  if (!j.contains("handover_categories")) return Status::OK();
  if (!j["handover_categories"].is_object())
    return Bad(source, "handover_categories", "must be an object");
  for (const auto& [id, c] : j["handover_categories"].items()) {
    const std::string field = "handover_categories." + id;
    if (!c.is_object() || !c.contains("to")) return Bad(source, field, "must say whom it goes to");
    HandoverCategory category{id, "", {}};
    PM_RETURN_IF_ERROR(OptionalString(c, "title", id, source, field, &category.title));
    PM_RETURN_IF_ERROR(InRules(source, StringList(c["to"], field + ".to", &category.to)));
    for (const auto& kind : category.to)
      if (std::none_of(units.begin(), units.end(),
                       [&kind](const auto& u) { return u.second.kind == kind; }))
        return Bad(source, field + ".to", "no unit of kind '" + kind + "'");
    (*out)[id] = std::move(category);
  }
  return Status::OK();
}

}  // namespace

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
    if (t.contains("notify"))
      PM_RETURN_IF_ERROR(InRules(source, StringList(t["notify"], field + ".notify", &rule.notify)));
    rules.types_[id] = std::move(rule);
  }

  PM_RETURN_IF_ERROR(ParseUnits(j, source, &rules.units_));
  PM_RETURN_IF_ERROR(ParseCategories(j, source, rules.units_, &rules.categories_));
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
    if (a.contains("handover"))
      PM_RETURN_IF_ERROR(
          InRules(source, StringList(a["handover"], field + ".handover", &rule.handover)));
    for (const auto& category : rule.handover)
      if (!rules.categories_.count(category))
        return Bad(source, field + ".handover", "unknown handover category '" + category + "'");
    for (const auto* list : {&rule.required, &rule.accepts})
      for (const auto& type : *list)
        if (!rules.types_.count(type))
          return Bad(source, field, "unknown document type '" + type + "'");
    rules.areas_[code] = std::move(rule);
  }
  for (const auto& [id, type] : rules.types_)
    for (const auto& area : type.notify)
      if (!rules.areas_.count(area))
        return Bad(source, "document_types." + id + ".notify",
                   "unknown benefit area '" + area + "'");
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

const UnitRule* Rules::Unit(const std::string& id) const {
  auto it = units_.find(id);
  return it == units_.end() ? nullptr : &it->second;
}

const HandoverCategory* Rules::Category(const std::string& id) const {
  auto it = categories_.find(id);
  return it == categories_.end() ? nullptr : &it->second;
}

namespace {

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

}  // namespace

Status Rules::CheckHandover(const std::string& area, const std::string& unit,
                            const std::string& category) const {
  const AreaRule* a = Area(area);
  if (!a) return Status::InvalidArgument("unknown benefit area " + area);
  const UnitRule* u = Unit(unit);
  if (!u) {
    std::vector<std::string> known;
    for (const auto& [id, rule] : units_) known.push_back(id + " " + rule.name);
    return Status::InvalidArgument("unit " + unit +
                                   " is not in the rules; the units are: " + Joined(known));
  }
  if (std::find(a->handover.begin(), a->handover.end(), category) == a->handover.end())
    return Status::InvalidArgument("category '" + category + "' is not one of " + area +
                                   "'s; they are: " + Joined(a->handover));
  const HandoverCategory* c = Category(category);
  if (std::find(c->to.begin(), c->to.end(), u->kind) != c->to.end()) return Status::OK();
  std::vector<std::string> receivers;
  for (const auto& [id, rule] : units_)
    if (std::find(c->to.begin(), c->to.end(), rule.kind) != c->to.end())
      receivers.push_back(id + " " + rule.name);
  return Status::InvalidArgument("category '" + category + "' (" + c->title + ") is for " +
                                 Joined(c->to) + " units, and unit " + unit + " is a " + u->kind +
                                 ". Units that take it: " + Joined(receivers));
}

bool Rules::Plausible(const std::string& area, const std::string& type) const {
  const AreaRule* a = Area(area);
  if (!a || !DocumentType(type)) return false;
  auto has = [&type](const std::vector<std::string>& v) {
    return std::find(v.begin(), v.end(), type) != v.end();
  };
  const auto& notify = DocumentType(type)->notify;
  return has(a->required) || has(a->accepts) ||
         std::find(notify.begin(), notify.end(), area) != notify.end();
}

std::string Rules::TitleOf(const std::string& type) const {
  const DocumentTypeRule* t = DocumentType(type);
  return t ? t->title : type;
}

}  // namespace postmottak

#include "pipeline/services/access.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/config/config_json.h"

namespace postmottak {

namespace {

using nlohmann::json;

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

Policy::Policy() : municipal_areas_{"SOS"} {
  auto give = [this](const std::string& role, std::initializer_list<Permission> ps) {
    roles_[role] = std::set<Permission>(ps);
  };
  give("intake_service", {Permission::kIntake});
  give("case_system", {Permission::kRegisterCases, Permission::kIssueCoverSheets,
                       Permission::kReadCases, Permission::kAllUnits, Permission::kTransferCases});
  give("caseworker",
       {Permission::kRegisterCases, Permission::kIssueCoverSheets, Permission::kReadCases,
        Permission::kLinkDocuments, Permission::kCloseCases, Permission::kUnmask,
        Permission::kStatistics, Permission::kTransferCases, Permission::kCaseStatus});
  give("contact_centre", {Permission::kCaseStatus});
  give("archivist", {Permission::kQuarantine, Permission::kMaintain, Permission::kStatistics,
                     Permission::kRetention});
  give("auditor", {Permission::kAudit, Permission::kUnmask});
}

Result<Policy> Policy::Parse(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(source + " is not valid JSON: " + e.what());
  }
  if (!j.is_object()) return Status::InvalidArgument(source + " must hold a JSON object");
  Policy p;
  if (Status s = p.Read(j); !s.ok()) return s.WithContext(source);
  return p;
}

Status Policy::Read(const json& j) {
  if (auto it = j.find("municipal_areas"); it != j.end()) {
    std::vector<std::string> areas;
    PM_RETURN_IF_ERROR(StringList(*it, "municipal_areas", &areas));
    municipal_areas_ = std::set<std::string>(areas.begin(), areas.end());
  }
  if (auto it = j.find("roles"); it != j.end()) {
    if (!it->is_object())
      return Status::InvalidArgument("roles: must map role names to permission lists");
    roles_.clear();
    for (const auto& [role, list] : it->items()) {
      std::vector<std::string> names;
      PM_RETURN_IF_ERROR(StringList(list, "roles." + role, &names));
      for (const auto& name : names) {
        Permission perm;
        if (!ParsePermission(name, &perm))
          return Status::InvalidArgument("roles." + role + ": unknown permission '" +
                                         name.substr(0, 40) + "'");
        roles_[role].insert(perm);
      }
    }
  }
  if (auto it = j.find("area_rules"); it != j.end()) {
    if (!it->is_array()) return Status::InvalidArgument("area_rules: must be a list");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& r = (*it)[i];
      const std::string where = "area_rules[" + std::to_string(i) + "]";
      if (!r.is_object()) return Status::InvalidArgument(where + ": must be an object");
      AreaAccessRule rule;
      PM_RETURN_IF_ERROR(RequiredString(r, "role", where, &rule.role));
      if (!roles_.count(rule.role))
        return Status::InvalidArgument(where + ": unknown role '" + rule.role + "'");
      PM_RETURN_IF_ERROR(StringList(r.value("areas", json()), where + ".areas", &rule.areas));
      PM_RETURN_IF_ERROR(
          StringList(r.value("units", json::array()), where + ".units", &rule.units));
      for (const auto& u : rule.units)
        if (!IsValidUnit(u))
          return Status::InvalidArgument(where + ": unit '" + u + "' must be 4 digits");
      area_rules_.push_back(std::move(rule));
    }
  }
  if (auto it = j.find("retention_days"); it != j.end()) {
    if (!it->is_object())
      return Status::InvalidArgument("retention_days: must map areas (or \"default\") to days");
    for (const auto& [area, days] : it->items()) {
      if (!days.is_number_integer() || days.get<int64_t>() < 0 || days.get<int64_t>() > 365000)
        return Status::InvalidArgument("retention_days." + area +
                                       ": must be a whole number of days, 0 to 365000");
      (area == "default" ? default_retention_days_ : retention_days_[area]) = days.get<int>();
    }
  }
  if (auto it = j.find("principals"); it != j.end()) {
    if (!it->is_array()) return Status::InvalidArgument("principals: must be a list");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& e = (*it)[i];
      const std::string where = "principals[" + std::to_string(i) + "]";
      if (!e.is_object()) return Status::InvalidArgument(where + ": must be an object");
      std::string id, unit, domain_name;
      std::vector<std::string> roles;
      PM_RETURN_IF_ERROR(RequiredString(e, "id", where, &id));
      PM_RETURN_IF_ERROR(RequiredString(e, "unit", where, &unit));
      PM_RETURN_IF_ERROR(RequiredString(e, "domain", where, &domain_name));
      PM_RETURN_IF_ERROR(StringList(e.value("roles", json::array()), where + ".roles", &roles));
      Domain domain;
      if (!ParseDomain(domain_name, &domain))
        return Status::InvalidArgument(where + ": domain must be state or municipal");
      auto principal = MakePrincipal(id, unit, domain, roles);
      if (!principal.ok()) return principal.status().WithContext(where);
      if (!principals_.emplace(id, std::move(principal).value()).second)
        return Status::InvalidArgument(where + ": principal " + id + " is listed twice");
    }
  }
  return Status::OK();
}

Result<Policy> Policy::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read policy file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), "policy file " + path);
}

Result<Principal> Policy::MakePrincipal(const std::string& id, const std::string& unit,
                                        Domain domain,
                                        const std::vector<std::string>& roles) const {
  if (!IsValidPrincipalId(id))
    return Status::InvalidArgument("principal id '" + id.substr(0, 64) +
                                   "' must be 1-64 of letters, digits and . _ : @ -");
  if (!IsValidUnit(unit))
    return Status::InvalidArgument("principal " + id + ": unit '" + unit + "' must be 4 digits");
  Principal p;
  p.id = id;
  p.unit = unit;
  p.domain = domain;
  for (const auto& role : roles) {
    auto it = roles_.find(role);
    if (it == roles_.end())
      return Status::InvalidArgument("principal " + id + ": unknown role '" + role + "'");
    p.roles.push_back(role);
    p.permissions.insert(it->second.begin(), it->second.end());
  }
  return p;
}

Result<Principal> Policy::Resolve(const std::string& id) const {
  auto it = principals_.find(id);
  if (it == principals_.end())
    return Status::PermissionDenied("principal '" + id.substr(0, 64) +
                                    "' is not in the access policy");
  return it->second;
}

Domain Policy::DomainOf(const std::string& area) const {
  return municipal_areas_.count(area) ? Domain::kMunicipal : Domain::kState;
}

std::function<bool(const std::string&, const std::string&)> Policy::SameDomain() const {
  return [this](const std::string& a, const std::string& b) { return DomainOf(a) == DomainOf(b); };
}

int Policy::RetentionDays(const std::string& area) const {
  auto it = retention_days_.find(area);
  return it != retention_days_.end() ? it->second : default_retention_days_;
}

bool Policy::InDomain(const Principal& p, const std::string& area) const {
  return DomainOf(area) == p.domain;
}

AccessDecision Policy::JournalCase(const Principal& p, const Case& c,
                                   const std::string& document_id) const {
  if (!p.May(Permission::kLinkDocuments)) return {false, p.id + " may not link documents", ""};
  if (!InDomain(p, c.area))
    return {false, "area " + c.area + " belongs to the " + ToString(DomainOf(c.area)) + " domain",
            ""};
  return {true, "journaling document " + document_id + " from a queue it works", ""};
}

bool GrantHolds(const Grant& g, const std::string& now) {
  return g.revoked_at.empty() && !g.expires.empty() && now <= g.expires;
}

AccessDecision Policy::SeeCase(const Principal& p, const Case& c, const CaseFacts& facts,
                               const std::string& now) const {
  AccessDecision d;
  if (!CheckPrincipal(p).ok()) {
    d.basis = "no valid principal";
    return d;
  }
  if (!p.May(Permission::kReadCases)) {
    d.basis = "its roles do not carry 'read_cases'";
    return d;
  }
  for (const auto& g : facts.grants) {
    if (g.principal == p.id && g.case_id == c.id && GrantHolds(g, now)) {
      d.allowed = true;
      d.grant_id = g.id;
      d.basis = "grant " + g.id + " until " + g.expires;
      return d;
    }
  }
  if (!InDomain(p, c.area)) {
    d.basis = "case " + c.id + " (" + c.area + ") belongs to the " + ToString(DomainOf(c.area)) +
              " domain and there is no grant for " + p.id;
    return d;
  }
  if (c.unit == p.unit) {
    d.allowed = true;
    d.basis = "own unit " + p.unit;
    return d;
  }
  if (p.May(Permission::kAllUnits)) {
    d.allowed = true;
    d.basis = "all units";
    return d;
  }
  if (Contains(facts.open_task_units, p.unit)) {
    d.allowed = true;
    d.basis = "open task in unit " + p.unit;
    return d;
  }
  for (const auto& rule : area_rules_) {
    if (Contains(p.roles, rule.role) && Contains(rule.areas, c.area) &&
        (rule.units.empty() || Contains(rule.units, p.unit))) {
      d.allowed = true;
      d.basis = "area rule: " + rule.role + " handles " + c.area;
      return d;
    }
  }
  d.basis = "no need to know: unit " + c.unit + " owns case " + c.id + ", unit " + p.unit +
            " holds no task on it, and no rule or grant gives it to " + p.id;
  return d;
}

AccessDecision Policy::SeeUncased(const Principal& p,
                                  const std::vector<std::string>& task_units) const {
  AccessDecision d;
  if (!CheckPrincipal(p).ok() || !p.May(Permission::kReadCases)) {
    d.basis = "its roles do not carry 'read_cases'";
    return d;
  }
  if (Contains(task_units, p.unit) || p.May(Permission::kAllUnits)) {
    d.allowed = true;
    d.basis = "task in unit " + p.unit;
    return d;
  }
  d.basis = "no need to know: no task on it in unit " + p.unit;
  return d;
}

}  // namespace postmottak

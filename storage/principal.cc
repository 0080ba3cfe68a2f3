#include "storage/principal.h"

#include <cctype>
#include <iterator>

#include "storage/enum_names.h"
#include "storage/records.h"

namespace postmottak {

namespace {
const char* const kDomains[] = {"state", "municipal"};
const char* const kPermissions[] = {"intake",      "register_cases", "issue_cover_sheets",
                                    "read_cases",  "all_units",      "link_documents",
                                    "close_cases", "unmask",         "quarantine",
                                    "maintain",    "statistics",     "retention",
                                    "grant",       "audit",          "transfer_cases",
                                    "case_status", "follow_up",     "deposit"};
static_assert(std::size(kPermissions) == static_cast<size_t>(Permission::kCount));
}  // namespace

std::string ToString(Domain d) { return EnumName(d, kDomains); }
bool ParseDomain(const std::string& s, Domain* out) { return ParseEnum(s, kDomains, out); }
std::string ToString(Permission p) { return EnumName(p, kPermissions); }
bool ParsePermission(const std::string& s, Permission* out) {
  return ParseEnum(s, kPermissions, out);
}

bool IsValidPrincipalId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' &&
        c != '@' && c != '-')
      return false;
  return true;
}

Status CheckPrincipal(const Principal& p) {
  if (!IsValidPrincipalId(p.id))
    return Status::PermissionDenied(
        "no valid principal: every call acts for a named user or "
        "service (--principal or $POSTMOTTAK_PRINCIPAL)");
  if (!IsValidUnit(p.unit))
    return Status::PermissionDenied("principal " + p.id + " has no 4-digit unit");
  return Status::OK();
}

Status Require(const Principal& p, Permission permission, const std::string& what) {
  PM_RETURN_IF_ERROR(CheckPrincipal(p));
  if (p.May(permission)) return Status::OK();
  std::string roles;
  for (const auto& r : p.roles) roles += (roles.empty() ? "" : ", ") + r;
  return Status::PermissionDenied(p.id + " may not " + what + ": its roles (" +
                                  (roles.empty() ? "none" : roles) + ") do not carry '" +
                                  ToString(permission) + "'");
}

}  // namespace postmottak

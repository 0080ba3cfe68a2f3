#include "storage/principal.h"

#include <cctype>
#include <iterator>

namespace postmottak {

namespace {
const char* const kDomains[] = {"state", "municipal"};
const char* const kPermissions[] = {"intake",      "register_cases", "issue_cover_sheets",
                                    "read_cases",  "all_units",      "link_documents",
                                    "close_cases", "unmask",         "quarantine",
                                    "maintain",    "statistics",     "retention",
                                    "grant",       "audit"};
static_assert(std::size(kPermissions) == static_cast<size_t>(Permission::kCount));

bool IsValidUnitNumber(const std::string& unit) {
  if (unit.size() != 4) return false;
  for (char c : unit)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}
}  // namespace

std::string ToString(Domain d) { return kDomains[static_cast<int>(d)]; }

bool ParseDomain(const std::string& s, Domain* out) {
  for (size_t i = 0; i < std::size(kDomains); ++i)
    if (s == kDomains[i]) {
      *out = static_cast<Domain>(i);
      return true;
    }
  return false;
}

std::string ToString(Permission p) { return kPermissions[static_cast<int>(p)]; }

bool ParsePermission(const std::string& s, Permission* out) {
  for (size_t i = 0; i < std::size(kPermissions); ++i)
    if (s == kPermissions[i]) {
      *out = static_cast<Permission>(i);
      return true;
    }
  return false;
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
  if (!IsValidUnitNumber(p.unit))
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

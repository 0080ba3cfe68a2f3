// Principal: who reads or writes case data. Every Change on the store, and so every audit
// entry, acts for one.
//
// A principal is an identity already resolved against the access policy
// (pipeline/services/access.h): its unit, its domain and the permissions its roles carry. The
// library trusts its caller to have authenticated the id, as a database trusts its
// connection; what the id may do is the policy's business, not the caller's.
#ifndef POSTMOTTAK_STORAGE_PRINCIPAL_H_
#define POSTMOTTAK_STORAGE_PRINCIPAL_H_

#include <set>
#include <string>
#include <vector>

#include "storage/status.h"

namespace postmottak {

// State and municipal staff of the same office own different data (DOMAIN.md): every
// benefit area belongs to one domain, and so does every principal.
enum class Domain { kState, kMunicipal };

// What a role may do. Reading case data is further limited by need to know
// (Policy::SeeCase); the other permissions are whole operations.
enum class Permission {
  kIntake,            // take in scans: writes documents and tasks, reads nothing back
  kRegisterCases,     // register cases in the principal's own domain
  kIssueCoverSheets,  // issue cover sheets for cases it may see, or for a person + area
  kReadCases,         // read, list and search cases, documents, page images and tasks
  kAllUnits,          // need to know by unit holds for every unit (a case system)
  kLinkDocuments,     // manual journaling
  kCloseCases,
  kUnmask,      // see person ids in full (each time audited)
  kQuarantine,  // batches, reconcile, quarantine
  kMaintain,    // reindex, verify, rebuild indexes
  kStatistics,  // counts per unit for every unit, without personal data
  kRetention,   // run retention: delete what passed its period
  kGrant,       // grant and revoke access to a single case
  kAudit,       // read and verify the audit trail
  kTransferCases,  // hand a case it may see to another unit, or back to the one that sent it
  kCaseStatus,     // where any case of its domain is and what it waits for, without content
  kFollowUp,       // chase unanswered letters in every case: reminders, then escalation
  kDeposit,        // make the Noark 5 deposit: reads every case and document it deposits
  kCount
};

struct Principal {
  std::string id;    // "user:kari" or "service:intake": [A-Za-z0-9._:@-], 1-64
  std::string unit;  // 4-digit unit number
  Domain domain = Domain::kState;
  std::vector<std::string> roles;
  std::set<Permission> permissions;  // the union of its roles' permissions

  bool May(Permission p) const { return permissions.count(p) > 0; }
};

std::string ToString(Domain d);
bool ParseDomain(const std::string& s, Domain* out);
std::string ToString(Permission p);
bool ParsePermission(const std::string& s, Permission* out);
bool IsValidPrincipalId(const std::string& id);

// OK, or why the principal cannot act at all (no id, no unit).
Status CheckPrincipal(const Principal& p);
// PermissionDenied naming the principal and what it lacked, unless it may.
Status Require(const Principal& p, Permission permission, const std::string& what);

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_PRINCIPAL_H_

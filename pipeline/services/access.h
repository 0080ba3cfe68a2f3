// The access policy: who the principals are, what their roles may do, and need to
// know (tjenstlig behov) for reading case data. Configuration, loaded from JSON
// (samples/policy.json holds the defaults; docs/architecture.md "Access model").
//
// Need to know, for a principal with `read_cases`, about case C of benefit area A:
//   1. a grant naming C and the principal, unexpired and unrevoked, allows; it is the
//      only way across the state/municipal divide;
//   2. otherwise A's domain must be the principal's domain (SOS is municipal, the rest
//      state, unless configured otherwise);
//   3. then the principal's unit owns C (or it has `all_units`), or its unit holds an
//      open task on C, or an area rule gives its role area A (optionally only in some
//      units).
// A document, task or cover sheet is seen through its case. One without a case (a
// document waiting for manual journaling, a task without case) is seen by the unit whose
// queue holds its task.
//
// The journaling basis: whoever may link documents and sees a document waiting in its
// unit's journaling queue may, for that document, see the identity of a case of its own
// domain (never its content) and link the document to it.
#ifndef POSTMOTTAK_PIPELINE_SERVICES_ACCESS_H_
#define POSTMOTTAK_PIPELINE_SERVICES_ACCESS_H_

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "storage/principal.h"
#include "storage/records.h"
#include "storage/status.h"

namespace postmottak {

// Gives a role a benefit area beyond its unit's own cases (a national unit handling one
// benefit, say). `units` empty: in every unit.
struct AreaAccessRule {
  std::string role;
  std::vector<std::string> areas;
  std::vector<std::string> units;
};

// The outcome of a need-to-know decision, with the reason either way; both go into the
// audit trail.
struct AccessDecision {
  bool allowed = false;
  std::string basis;     // "own unit 0301", "grant grant-4", or why not
  std::string grant_id;  // the grant that allowed it, if one did
};

// What need to know looks at besides the case itself.
struct CaseFacts {
  std::vector<std::string> open_task_units;  // units holding an open task on the case
  std::vector<Grant> grants;                 // grants naming the case
};

class Policy {
 public:
  // The built-in defaults: no principals; the roles intake_service, case_system,
  // caseworker, archivist and auditor as in samples/policy.json; SOS municipal; no
  // retention.
  Policy();
  static Result<Policy> Parse(const std::string& json_text, const std::string& source);
  static Result<Policy> Load(const std::string& path);

  // The configured principal with that id, its roles' permissions resolved. NotFound
  // names no one else.
  Result<Principal> Resolve(const std::string& id) const;
  // A principal built from its parts, checked against the roles configured.
  Result<Principal> MakePrincipal(const std::string& id, const std::string& unit, Domain domain,
                                  const std::vector<std::string>& roles) const;

  Domain DomainOf(const std::string& area) const;
  // Whether two areas are on the same side of the state/municipal divide, as the
  // notices ask (stages/notices.h: SameDomain). The policy must outlive the function.
  std::function<bool(const std::string&, const std::string&)> SameDomain() const;
  // Days after closing that a case's documents are kept; -1 when the area has no period
  // (kept for good).
  int RetentionDays(const std::string& area) const;

  // Need to know for a case at time `now` (ISO 8601 UTC).
  AccessDecision SeeCase(const Principal& p, const Case& c, const CaseFacts& facts,
                         const std::string& now) const;
  // For what has no case yet: the units whose queues hold its open tasks.
  AccessDecision SeeUncased(const Principal& p, const std::vector<std::string>& task_units) const;
  // Whether a principal may register or address a case of `area` at all (domain).
  bool InDomain(const Principal& p, const std::string& area) const;
  // The journaling basis for case `c`, for a document the principal sees waiting in a
  // queue it works (the caller has judged that).
  AccessDecision JournalCase(const Principal& p, const Case& c,
                             const std::string& document_id) const;

 private:
  // Fills the policy from its JSON; errors name the field, Parse() adds the file.
  Status Read(const nlohmann::json& j);

  std::map<std::string, std::set<Permission>> roles_;
  std::map<std::string, Principal> principals_;
  std::vector<AreaAccessRule> area_rules_;
  std::set<std::string> municipal_areas_;
  std::map<std::string, int> retention_days_;
  int default_retention_days_ = -1;
};

// Whether a grant holds at `now`: not revoked, and `now` before its expiry.
bool GrantHolds(const Grant& g, const std::string& now);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_ACCESS_H_

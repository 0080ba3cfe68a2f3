// Retention: a case's documents are kept for a period after the case is closed, set per
// benefit area in the access policy (retention_days), and then deleted.
//
// A run deletes, for every closed case whose period has passed: its documents (records,
// page images and searchable PDFs), its cover sheets, its tasks and the case record
// itself, in one atomic change per case. In their place stays a Tombstone (what was
// deleted, when, by whom, under which period; the person only as their audit
// pseudonym), and the audit trail, which retention never touches. The batch ledger
// still names the documents, now resolved through the tombstone. Grants stay too.
#ifndef POSTMOTTAK_PIPELINE_SERVICES_RETENTION_H_
#define POSTMOTTAK_PIPELINE_SERVICES_RETENTION_H_

#include <string>
#include <vector>

#include "pipeline/services/access.h"
#include "storage/store.h"

namespace postmottak {

struct RetentionOptions {
  Principal principal;   // needs the `retention` permission
  std::string purpose;   // for the audit trail; default "retention"
  bool dry_run = false;  // report what would go, delete nothing
};

struct RetentionReport {
  int cases_examined = 0;          // closed cases looked at
  int cases_kept = 0;              // closed, but within their period (or an area without one)
  std::vector<Tombstone> deleted;  // one per case deleted (or that would be, dry run)
  int documents = 0;
  int pages = 0;
  int64_t bytes = 0;
};

// Whether case `c` is closed and its area's retention period has passed at `now`: what
// retention deletes, and what a deposit leaves out.
bool PastRetention(const Policy& policy, const Case& c, const std::string& now);

Result<RetentionReport> RunRetention(Store* store, const Policy& policy,
                                     const RetentionOptions& options);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_RETENTION_H_

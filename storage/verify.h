// Verification: a consistency check of the whole store, like a file system checker.
//
// Re-reads every blob and compares it with the checksum its record holds; decodes every
// record; derives the index from the primary records and compares it entry by entry;
// follows every reference (document -> case, ledger -> document or quarantine entry,
// task -> document, case or quarantine entry, grant -> case, record -> blob; what
// retention deleted counts through its tombstone); and checks the audit trail's hash
// chain (storage/audit.h). Repair only ever rebuilds what is derived (the index): a lost
// or damaged blob or record needs a person and a backup, and is reported, never
// "fixed" by deleting.
#ifndef POSTMOTTAK_STORAGE_VERIFY_H_
#define POSTMOTTAK_STORAGE_VERIFY_H_

#include <string>
#include <vector>

#include "postmottak/reports.h"
#include "storage/store.h"

namespace postmottak {

// Checks the store; with `repair`, rebuilds the index when it differs and checks again.
// Needs a principal with the `maintain` permission; the run is audited.
// `purpose` goes into the audit entries (default "verify" or "verify --repair").
Result<VerifyReport> VerifyStore(Store* store, bool repair, const Principal& principal,
                                 const std::string& purpose = "");

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_VERIFY_H_

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

#include "storage/store.h"

namespace postmottak {

struct VerifyProblem {
  std::string kind;    // checksum_mismatch, missing_blob, orphan_blob, corrupt_record,
                       // index_missing, index_extra, index_wrong, dangling_reference,
                       // audit_chain
  std::string object;  // what it is about ("document/doc-...", "blob doc/.../page/1")
  std::string detail;
  bool repairable = false;  // derived data: `verify --repair` rebuilds it
};

struct VerifyReport {
  int records = 0;
  int blobs = 0;
  int64_t blob_bytes = 0;
  int index_entries = 0;
  int events = 0;
  std::vector<VerifyProblem> problems;
  bool repaired = false;  // the index was rebuilt; `problems` are those left after it
  bool ok() const { return problems.empty(); }
};

// Checks the store; with `repair`, rebuilds the index when it differs and checks again.
// Needs a principal with the `maintain` permission; the run is audited.
Result<VerifyReport> VerifyStore(Store* store, bool repair, const Principal& principal);

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_VERIFY_H_

// Verification: a consistency check of the whole store, like a file system checker.
//
// Re-reads every blob and compares it with the checksum its record holds; decodes every
// record; derives the index from the primary records and compares it entry by entry;
// follows every reference (document -> case, ledger -> document or quarantine entry,
// task -> document, case or quarantine entry, record -> blob); and checks that the
// event log has no gaps. Repair only ever rebuilds what is derived (the index): a lost
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
                       // event_gap
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
Result<VerifyReport> VerifyStore(Store* store, bool repair, const std::string& actor);

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_VERIFY_H_

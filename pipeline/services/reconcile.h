// Reconciliation: accounts for every page of a batch.
//
// The batch's inventory says which files and pages came in; the ledger says what became
// of each page. Every expected page is journaled (with its document and case), blank,
// a cover or separator sheet, a duplicate of a page held already, quarantined (held,
// retried or released to manual journaling), or missing: expected but never accounted
// for. When the batch came with a manifest, or one is given, the files received are
// checked against it: every file listed received, none unlisted, the page counts and
// checksums equal.
#ifndef POSTMOTTAK_PIPELINE_SERVICES_RECONCILE_H_
#define POSTMOTTAK_PIPELINE_SERVICES_RECONCILE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/store.h"

namespace postmottak {

struct PageAccount {
  int file_index = 0;
  std::string file;
  int page = 0;  // 0: the file as a whole
  // A PageDisposition name; "released" or "retried" for a quarantined input a person
  // released or took in again (a retried file's pages have their own accounts); or
  // "missing".
  std::string status;
  std::string document;
  std::string case_id;
  std::string quarantine;
  std::string detail;
};

struct Reconciliation {
  std::string batch;
  int files = 0;
  int pages_expected = 0;
  bool intake_complete = false;
  std::map<std::string, int> counts;  // pages by status
  std::vector<PageAccount> pages;     // every page, in batch order
  std::vector<PageAccount> missing;
  bool checked_manifest = false;
  std::vector<std::string> manifest_problems;
  // Every page accounted for and the manifest, if any, agreeing.
  bool balanced() const { return missing.empty() && manifest_problems.empty(); }
};

// For a principal with the `quarantine` permission (the mail room's; a refusal is
// audited), and audited as a read of the batch's ledger. `manifest` overrides the one
// the batch came with (names as intake names the files).
Result<Reconciliation> Reconcile(Store* store, const Principal& principal,
                                 const std::string& purpose, const std::string& batch,
                                 const std::optional<std::vector<ManifestFile>>& manifest = {});

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_RECONCILE_H_

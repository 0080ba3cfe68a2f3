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

#include "postmottak/reports.h"
#include "storage/store.h"

namespace postmottak {

// For a principal with the `quarantine` permission (the mail room's; a refusal is
// audited), and audited as a read of the batch's ledger. `manifest` overrides the one
// the batch came with (names as intake names the files).
Result<Reconciliation> Reconcile(Store* store, const Principal& principal,
                                 const std::string& purpose, const std::string& batch,
                                 const std::optional<std::vector<ManifestFile>>& manifest = {});

// The batches taken in, in id order, for the same principals as Reconcile.
Result<std::vector<Batch>> ListBatches(Store* store, const Principal& principal,
                                       const std::string& purpose);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_RECONCILE_H_

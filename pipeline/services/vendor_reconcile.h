// The daily reconciliation with the scanning vendor: the vendor sends, each day, the
// names of every PDF it delivered (one a line). Each name is accounted for from the
// index of delivered files and the batch ledger: journaled (with its documents and
// cases), a duplicate of a file journaled before, quarantined, or missing. A day
// without the vendor's list is itself reported.
#ifndef POSTMOTTAK_PIPELINE_SERVICES_VENDOR_RECONCILE_H_
#define POSTMOTTAK_PIPELINE_SERVICES_VENDOR_RECONCILE_H_

#include <string>
#include <vector>

#include "postmottak/reports.h"
#include "storage/store.h"

namespace postmottak {

// The names on a vendor's list: one a line; blank lines and lines starting with '#'
// are skipped, a path keeps its file name, a name listed twice counts once.
// InvalidArgument names `source` for a list larger than 16 MiB or a line that is no
// file name.
Result<std::vector<std::string>> ParseVendorList(const std::string& text,
                                                 const std::string& source);

// ParseVendorList of the list file at `path` (its name in the errors).
Result<std::vector<std::string>> ReadVendorList(const std::string& path);

// The lists in `dir` for `day` (YYYY-MM-DD): the files whose name holds the day as
// 2026-11-30 or 20261130, in name order. None is not an error: the reconciliation says
// no list came.
Result<std::vector<std::string>> VendorListsOf(const std::string& dir, const std::string& day);

// Accounts for every name of `lists` (their names in `names`, read by the caller).
// With `day`, the vendor's files taken in that day (UTC) and on no list are reported
// too. For a principal with the `quarantine` permission (the mail room's; a refusal is
// audited), and audited as a read of the ledger.
Result<VendorReconciliation> ReconcileVendor(Store* store, const Principal& principal,
                                             const std::string& purpose,
                                             const std::vector<std::string>& lists,
                                             const std::vector<std::string>& names,
                                             const std::string& day = "");

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_VENDOR_RECONCILE_H_

// Quarantine: what happens to a rejected input after intake.
//
// Intake keeps every refused file or page with its reason and its bytes (journal.h).
// From there a person either fixes the cause (registers the missing cover sheet,
// raises a limit, obtains an undamaged copy of the file) and retries it, or releases it
// with a reason to a manual-journaling task. Nothing is ever deleted: a retry that
// fails again adds to the entry's history, a release only marks it.
#ifndef POSTMOTTAK_PIPELINE_SERVICES_QUARANTINE_H_
#define POSTMOTTAK_PIPELINE_SERVICES_QUARANTINE_H_

#include <string>

#include "pipeline/config/rules.h"
#include "pipeline/intake/intake.h"
#include "storage/store.h"

namespace postmottak {

struct RetryOutcome {
  QuarantineEntry entry;  // as it stands after the retry
  bool resolved = false;  // false: refused again, `entry.reason` says why
  IntakeReport report;
};

// Both need a principal with the `quarantine` permission (options.principal for a retry).
//
// Runs the quarantined input through intake again, in its own batch, recorded under its
// own file and page. The bytes are those kept in quarantine, or `replacement` (a
// corrected copy of the file) when given. A page is retried on its own, as a mail piece
// of its own; a file refused as a whole is read in full. A scanning vendor's delivery
// refused whole (it could not be opened) is opened again, with options.vendor_key, and
// taken in as a batch of its own ("retry-<entry>"), its files named after the original;
// one that still does not open is refused again.
Result<RetryOutcome> RetryQuarantined(Store* store, const Rules& rules, const std::string& id,
                                      const std::string& replacement, const IntakeOptions& options);

// Hands a quarantined input to a person: a manual-journaling task in the intake unit's
// queue, naming the entry and `reason` (required).
Result<QuarantineEntry> ReleaseQuarantined(Store* store, const Rules& rules, const std::string& id,
                                           const std::string& reason, const Principal& principal,
                                           const std::string& purpose = "");

// The mail room's reads, for a principal with the `quarantine` permission (a refusal is
// audited). Entries of `batch` (all batches when empty), held ones only unless
// `resolved_too`, in id order.
Result<std::vector<QuarantineEntry>> ListQuarantine(Store* store, const Principal& principal,
                                                    const std::string& purpose,
                                                    const std::string& batch, bool resolved_too);
Result<QuarantineEntry> ReadQuarantineEntry(Store* store, const Principal& principal,
                                            const std::string& purpose, const std::string& id);
// The kept bytes (a page image or a whole file of someone's mail): a read audited like
// any page-image read. NotFound when the entry kept none.
Result<std::string> ReadQuarantinedBytes(Store* store, const Principal& principal,
                                         const std::string& purpose, const std::string& id);

// The task a released entry goes to.
std::string ReleaseTaskId(const std::string& quarantine_id);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_QUARANTINE_H_

// Office: the one way into Postmottak for a program that embeds it.
//
//   auto office = postmottak::Office::Open(options);          // the store, rules, policy
//   auto session = (*office)->Begin("service:case-system", "case handling");
//   auto c = session->RegisterCase({...});                    // audited, as every call
//
// An Office owns the store (a RocksDB folder, held by this process alone), the rules
// and the access policy. A Session acts for one principal of the policy, for a stated
// purpose: every call checks the principal's roles and need to know, and every read,
// write and refusal is an entry in the store's audit trail with that principal and
// purpose. Nothing here reads a record around that policy.
//
// Threads: an Office may be shared by threads; a Session is used by one thread at a
// time (make one per thread or request; they are cheap). Writes are serialised inside;
// Intake runs its own worker threads and returns when the batch is done.
//
// Errors: every call returns a Status or a Result, never throws. PermissionDenied: the
// principal lacks the role or need to know (and the refusal is audited); NotFound: an id
// that does not exist; InvalidArgument: bad input or configuration, named; AlreadyExists;
// FailedPrecondition; IOError or Corruption: the store or the disk.
#ifndef POSTMOTTAK_OFFICE_H_
#define POSTMOTTAK_OFFICE_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "postmottak/options.h"
#include "postmottak/records.h"
#include "postmottak/status.h"

namespace postmottak {

class Session;

class Office {
 public:
  // Opens (or creates) the store and reads the rules and policy. InvalidArgument names
  // a bad file; IOError when the store cannot be opened (another process holds it).
  static Result<std::unique_ptr<Office>> Open(const OfficeOptions& options);
  ~Office();
  Office(const Office&) = delete;
  Office& operator=(const Office&) = delete;

  // A session acting for `principal` (an id of the policy: "user:kari",
  // "service:intake") for `purpose` (in every audit entry; required). PermissionDenied
  // when the policy has no such principal. The session must not outlive the office.
  Result<Session> Begin(const std::string& principal, const std::string& purpose);

 private:
  friend class Session;
  struct Rep;
  explicit Office(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// How an intake is run and watched.
struct IntakeControl {
  std::string batch;  // the batch's name; default: the manifest's, else from the files
  // Called on the calling thread as pages are committed (done, of expected).
  std::function<void(int done, int expected)> on_progress;
  // Set from anywhere (a signal handler): no further pages are read, those in flight
  // are committed, and the summary says `interrupted`; the same call again goes on.
  const std::atomic<bool>* stop = nullptr;
};

class Session {
 public:
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  const std::string& principal() const;

  // Person ids in full from now on: needs the `unmask` permission; audited.
  Status Unmask();

  // ---- cases ----
  // Registers a case in the principal's domain (`register_cases`) and evaluates its
  // checklist at once: a missing-documentation task per missing type, and the request
  // letter's cover sheet. Returns the case as ReadCase would.
  Result<CaseRecord> RegisterCase(const CaseRegistration& registration);
  // The case with its checklist, what is missing, documents and tasks (need to know).
  Result<CaseRecord> ReadCase(const std::string& case_id);
  // Closes a case (`close_cases`); its retention period starts now.
  Result<CaseRecord> CloseCase(const std::string& case_id);
  // Cases of a person among those this session may see (without documents and tasks).
  Result<std::vector<CaseRecord>> CasesOfPerson(const std::string& person_id);

  // ---- cover sheets ----
  // Issues a cover sheet for a case (`issue_cover_sheets` and need to know): the record
  // and its printable PDF. `expected` defaults to what the case still misses.
  Result<CoverSheetRecord> IssueCoverSheet(const std::string& case_id,
                                           const std::vector<std::string>& expected = {});

  // ---- intake ----
  // Takes in scanned files or folders (TIFF, PDF, PNG, JPEG) as one batch (`intake`):
  // reads every page, decodes cover sheets, OCRs, links each document to its case or
  // leaves it for manual journaling, and raises and closes tasks. Bad input goes to
  // quarantine and never stops the batch. A batch interrupted (or a process killed) is
  // resumed by the same call: nothing is taken in twice.
  Result<IntakeSummary> Intake(const std::vector<std::string>& paths,
                               const IntakeControl& control = {});

  // ---- documents and tasks ----
  // Documents waiting for manual journaling that this session may see, oldest first.
  Result<std::vector<DocumentRecord>> ManualQueue();
  // Documents holding every word, among those this session may see.
  Result<std::vector<DocumentRecord>> SearchDocuments(const std::string& words);
  // Links a document by hand (`link_documents`, and need to know of both): closes its
  // journaling task and re-evaluates the case's checklist.
  Result<DocumentRecord> Link(const std::string& document_id, const std::string& case_id);
  // Open tasks this session may see; of one unit's queue when `unit` is given.
  Result<std::vector<TaskRecord>> OpenTasks(const std::string& unit = "");

  // ---- the mail room and the units ----
  // Counts per unit (`statistics`).
  Result<std::map<std::string, UnitStatistics>> Statistics();

 private:
  friend class Office;
  struct Rep;
  explicit Session(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_OFFICE_H_

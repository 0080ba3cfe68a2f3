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
#include "postmottak/reports.h"
#include "postmottak/status.h"

namespace postmottak {

class Session;

class Office {
 public:
  // Opens (or creates) the store and reads the rules and policy. InvalidArgument names
  // a bad file; FailedPrecondition when another process holds the store (unless
  // OfficeOptions::read_beside_writer); IOError when it cannot be opened.
  static Result<std::unique_ptr<Office>> Open(const OfficeOptions& options);
  ~Office();
  Office(const Office&) = delete;
  Office& operator=(const Office&) = delete;

  // A session acting for `principal` (an id of the policy: "user:kari",
  // "service:intake") for `purpose` (in every audit entry; required). PermissionDenied
  // when the policy has no such principal. The session must not outlive the office.
  Result<Session> Begin(const std::string& principal, const std::string& purpose);

  // Opened as a reader beside the process that holds the store (read_beside_writer).
  bool reader() const;

 private:
  friend class Session;
  friend struct OfficeAccess;  // the command line reads the rules' titles (internal)
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
  // Pages behind a cover sheet skip OCR: the sheet names the case, so they are journaled
  // at once and Reindex(only_pending) reads them later, off the intake path.
  bool defer_covered_ocr = false;
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
  // letters with their cover sheets. Returns the case as ReadCase would. The same
  // registration again (a retry: same id and content) answers the existing case and
  // sets *already_registered; the same id with other content is AlreadyExists.
  Result<CaseRecord> RegisterCase(const CaseRegistration& registration,
                                  bool* already_registered = nullptr);
  // The case with its checklist, what is missing, documents and tasks (need to know).
  Result<CaseRecord> ReadCase(const std::string& case_id);
  // Closes a case (`close_cases`); its retention period starts now.
  Result<CaseRecord> CloseCase(const std::string& case_id);
  // Hands a case to unit `to` (`transfer_cases` and need to know) with a handover
  // category of the rules for the case's area and that unit's kind (InvalidArgument
  // names the valid ones) and a reason. Its open tasks move with it, the receiving
  // unit gets a handover task of the category, and need to know follows the case: the
  // sending unit may no longer see it. Returns the case as handed over.
  Result<CaseRecord> TransferCase(const std::string& case_id, const std::string& to,
                                  const std::string& category, const std::string& reason);
  // The same, back to the unit that handed the case to its present one
  // (FailedPrecondition when none did).
  Result<CaseRecord> ReturnCase(const std::string& case_id, const std::string& category,
                                const std::string& reason);
  // The case's life from its audit trail, oldest first (need to know; audited).
  Result<std::vector<TimelineEntry>> CaseTimeline(const std::string& case_id);
  // Where the cases of a person (an 11-digit id) or one case (a case id) are and what
  // they wait for, for the local office and the contact centre (`case_status`): every
  // unit's cases of the session's domain, without any content. Each case shown is an
  // audit entry.
  Result<std::vector<CaseStatusRecord>> CaseStatus(const std::string& person_or_case);
  // Cases of a person among those this session may see (without documents and tasks).
  Result<std::vector<CaseRecord>> CasesOfPerson(const std::string& person_id);

  // ---- cover sheets ----
  // Issues a cover sheet (`issue_cover_sheets`, and need to know of the case or the
  // person's area): the record and its printable PDF.
  Result<CoverSheetRecord> IssueCoverSheet(const CoverSheetOrder& order);
  // The same for a case; `expected` defaults to what the case still misses.
  Result<CoverSheetRecord> IssueCoverSheet(const std::string& case_id,
                                           const std::vector<std::string>& expected = {});
  // An issued sheet again, with its printable PDF (a citizen lost the letter): the same
  // permission and need to know as issuing; audited. The barcode is the same one.
  Result<CoverSheetRecord> ReprintCoverSheet(const std::string& cover_id);
  // A request or reminder letter of a case (CaseRecord::letters) as a printable PDF:
  // the letter in bokmål, then its cover sheet. `read_cases` and need to know of the
  // case; audited. The same letter prints the same pages every time.
  Result<std::string> LetterPdf(const std::string& letter_id);
  // Chases what cases wait for (`follow_up`, a scheduled job): where a request's
  // answer-by date has passed, a reminder letter; where a reminder's has, a task for the
  // case's unit to decide on the case as it stands. Safe to run as often as wanted.
  Result<FollowUpReport> FollowUp();

  // ---- intake ----
  // Takes in scanned files or folders (TIFF, PDF, PNG, JPEG) as one batch (`intake`):
  // reads every page, decodes cover sheets, OCRs, links each document to its case or
  // leaves it for manual journaling, and raises and closes tasks. Bad input goes to
  // quarantine and never stops the batch. A batch interrupted (or a process killed) is
  // resumed by the same call: nothing is taken in twice. A scanning vendor's delivery
  // (`*.zip`, `*.zip.pgp`, `*.enc.zip`: docs/vendor-batches.md) is opened with the
  // configured key, each PDF + XML pair one mail piece with the vendor's metadata.
  Result<IntakeSummary> Intake(const std::vector<std::string>& paths,
                               const IntakeControl& control = {});

  // ---- documents and tasks ----
  // Every document this session may see, in id order; what it may not see is left out
  // without a trace, not even a count. `window` of them, and `*total` (when given) set
  // to how many it may see in all.
  Result<std::vector<DocumentRecord>> Documents(const ListWindow& window = {},
                                                int* total = nullptr);
  // Documents waiting for manual journaling that this session may see, oldest first;
  // `window` of them, and `*total` (when given) set to how many there are in all.
  Result<std::vector<DocumentRecord>> ManualQueue(const ListWindow& window = {},
                                                  int* total = nullptr);
  // Documents holding every word (case-insensitive), among those this session may see.
  Result<std::vector<DocumentRecord>> SearchDocuments(const std::string& words);
  // One document with its chain of custody (need to know).
  Result<DocumentRecord> ReadDocument(const std::string& document_id);
  // The document's searchable PDF (its page images and text): a page-image read.
  Result<std::string> DocumentPdf(const std::string& document_id);
  // One page of the document (1-based) as a PNG, upright as stored; `max_width` > 0
  // scales it down to at most that many pixels wide (a thumbnail). A page-image read,
  // audited; NotFound names the document's page count.
  Result<std::string> PageImage(const std::string& document_id, int page, int max_width = 0);
  // Links a document by hand (`link_documents`, and need to know of both): closes its
  // journaling task and re-evaluates the case's checklist. A document waiting in the
  // principal's unit's journaling queue may be linked to any open case of its domain
  // (the journaling basis: the case's identity, not its content; audited as such).
  Result<DocumentRecord> Link(const std::string& document_id, const std::string& case_id);
  // Manual journaling (`link_documents`, for a document waiting in a queue this session
  // sees): what intake found in the document and the open cases of the session's domain
  // it may belong to, with the evidence for each: the case its cover sheet or a case
  // number names, the cases of the persons its text names, and those of `person_id`
  // when the journaler typed one (an 11-digit id read off the page). Each candidate
  // shown is an audit entry; cases of the other domain are left out.
  Result<LinkSuggestion> SuggestLinks(const std::string& document_id,
                                      const std::string& person_id = "");
  // Hands a document the journaler cannot place to the journaling queue of `unit` (a
  // unit of the rules), with a reason (`link_documents`, same need to know). Returns its
  // journaling task, now in that queue.
  Result<TaskRecord> HandOnDocument(const std::string& document_id, const std::string& unit,
                                    const std::string& reason);
  // Links a journaled document to one more case as well (a sick note concerns the
  // sick-pay case and the employer's refund case): its checklist counts it too, and
  // need to know follows each link. A change notice raises notices on the person's
  // other cases when it is first linked; linking it to one of them closes that notice.
  Result<DocumentRecord> LinkAlso(const std::string& document_id, const std::string& case_id);
  // Tasks this session may see, oldest first; open ones unless filter.closed_too;
  // `window` of them, and `*total` (when given) set to how many match in all.
  Result<std::vector<TaskRecord>> Tasks(const TaskFilter& filter, const ListWindow& window = {},
                                        int* total = nullptr);
  // Open tasks this session may see; of one unit's queue when `unit` is given.
  Result<std::vector<TaskRecord>> OpenTasks(const std::string& unit = "");
  // Holding a task (need to know of it): a caseworker takes an open task from its own
  // unit's queue so that nobody else works it, releases it back to the queue, or
  // finishes it. FailedPrecondition: held by someone else (named, with since when),
  // another unit's, closed, or (finishing) not held by this session's principal, or a
  // missing-documentation or manual-journaling task, which close by themselves.
  Result<TaskRecord> TakeTask(const std::string& task_id);
  // The oldest open task nobody holds in the principal's unit; NotFound when none.
  Result<TaskRecord> TakeNextTask();
  Result<TaskRecord> ReleaseTask(const std::string& task_id);
  Result<TaskRecord> FinishTask(const std::string& task_id);

  // ---- the mail room (`quarantine` permission, except statistics) ----
  // Counts only (`statistics`): per unit and benefit area over a period (documents
  // received per day, backlog, awaiting documentation and from whom, overdue, days from
  // first document to ready for decision), and each unit's desk now.
  Result<StatisticsReport> Statistics(const StatisticsPeriod& period = {});
  Result<std::vector<BatchRecord>> Batches();
  // Accounts for every page of a batch. `manifest_file` (a manifest.json) overrides the
  // one the batch came with; InvalidArgument names a bad one. Not balanced is a result,
  // not an error.
  Result<Reconciliation> Reconcile(const std::string& batch, const std::string& manifest_file = "");
  // Accounts for every PDF on the scanning vendor's list (`list_file`: one file name a
  // line): journaled (documents, cases), a duplicate, quarantined, or missing. Missing
  // files are a result (not balanced), not an error.
  Result<VendorReconciliation> ReconcileVendor(const std::string& list_file);
  // The same for `day` (YYYY-MM-DD), with the vendor's lists for that day found in
  // `lists_dir` (names holding the day); a day without one is reported as such, and
  // the vendor's files taken in that day but on no list are reported too.
  Result<VendorReconciliation> ReconcileVendorDay(const std::string& day,
                                                  const std::string& lists_dir);
  // Quarantine entries of `batch` (all when empty): held ones, or all with `resolved_too`.
  Result<std::vector<QuarantineRecord>> Quarantine(const std::string& batch = "",
                                                   bool resolved_too = false);
  Result<QuarantineRecord> ReadQuarantined(const std::string& id);
  // The kept bytes of an entry (a page image or a whole file): audited as a page read.
  Result<std::string> QuarantinedBytes(const std::string& id);
  // Takes the input in again, in a batch of its own, from the kept bytes or from
  // `replacement_file` (a corrected copy). The entry's status says whether it went
  // through; a refusal again is a result, with the new reason.
  Result<QuarantineRecord> RetryQuarantined(const std::string& id,
                                            const std::string& replacement_file = "");
  // Hands the input to a manual-journaling task in the intake unit's queue; `reason`
  // is required. FailedPrecondition when it was retried or released already.
  Result<QuarantineRecord> ReleaseQuarantined(const std::string& id, const std::string& reason);

  // ---- upkeep (`maintain`, `retention`, `deposit`) ----
  // Re-reads every blob against its checksum and checks records, indexes, references
  // and the audit chain; with `repair`, rebuilds the derived indexes when they differ.
  Result<VerifyReport> Verify(bool repair = false);
  // Re-runs OCR and extraction over every stored document (or only those whose OCR
  // intake deferred), keeping links; resumable after a kill, idempotent.
  Result<ReindexReport> Reindex(bool only_pending = false,
                                const std::function<void(int done, int total)>& on_progress = {});
  // Deletes the documents and page images of closed cases past their area's period,
  // keeping a tombstone per case and the audit trail; `dry_run` deletes nothing.
  Result<RetentionSummary> Retention(bool dry_run);
  // The Noark 5 deposit (`deposit`): arkivstruktur.xml with the documents' archive
  // variants and the official schemas, in `options.out_dir`, validated before it
  // returns; cases past retention left out; each case deposited audited. NotFound when
  // nothing was journaled in the period.
  Result<DepositReport> DepositNoark5(const DepositOptions& options);

  // ---- the audit trail (`audit`) and grants (`grant`) ----
  // Reading the trail is itself audited.
  Result<std::vector<AuditEntryRecord>> AuditTrail(const AuditQuery& query);
  // Walks the hash chain; `anchors` are earlier heads ("SEQ:HASH") kept outside the
  // store. A broken chain is a result (AuditCheck::problems), not an error.
  Result<AuditCheck> VerifyAuditTrail(const std::vector<std::string>& anchors = {});
  // Lets `principal` see one case for `purpose` until the end of `expires` (YYYY-MM-DD,
  // within a year).
  Result<GrantRecord> GrantAccess(const std::string& case_id, const std::string& principal,
                                  const std::string& purpose, const std::string& expires);
  Result<GrantRecord> RevokeGrant(const std::string& grant_id);
  // Grants on a case, or all when `case_id` is empty, revoked and expired ones too.
  Result<std::vector<GrantRecord>> Grants(const std::string& case_id = "");

 private:
  friend class Office;
  struct Rep;
  explicit Session(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_OFFICE_H_

// CaseService: what case systems and people call. Every call acts for one principal,
// for a stated purpose; the access policy decides (pipeline/services/access.h), and every read
// and write of a case, document, page image, cover sheet or task, every denial and
// every unmasking is an audit entry. A write is one atomic Change with its entries.
//
// Person ids come back masked (MaskPersonId) unless the principal asked for them with
// Unmask(), which needs the `unmask` permission; from then on each object read with a
// person id in it is audited as unmasked.
#ifndef POSTMOTTAK_PIPELINE_SERVICES_CASE_SERVICE_H_
#define POSTMOTTAK_PIPELINE_SERVICES_CASE_SERVICE_H_

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/config/rules.h"
#include "pipeline/services/access.h"
#include "pipeline/stages/completeness.h"
#include "pipeline/stages/cover_sheet.h"
#include "pipeline/stages/notices.h"
#include "postmottak/records.h"
#include "postmottak/reports.h"
#include "storage/store.h"

namespace postmottak {

// A case as a case system registers it: the public record (postmottak/records.h).
using NewCase = CaseRegistration;

// A letter as it is printed: the letter, its case and the cover sheet it encloses.
struct LetterPrint {
  Letter letter;
  Case c;
  CoverSheet sheet;
};

// A case as its reader may see it: the record, its checklist, documents and tasks.
struct CaseView {
  Case c;
  Checklist checklist;
  std::vector<Document> documents;
  std::vector<Task> tasks;
  std::string basis;  // why the reader may see it
};

class CaseService {
 public:
  // `purpose` goes into every audit entry ("case handling", "answering the citizen").
  CaseService(Store* store, const Rules* rules, const Policy* policy, Principal principal,
              std::string purpose);

  // The time need to know is judged at (grant expiry); NowUtc() unless a test sets it.
  void SetClock(std::function<std::string()> now) { now_ = std::move(now); }
  // Person ids in full from now on: needs `unmask`; the request itself is audited.
  Status Unmask();

  // ---- writes ----
  // Registers a case (in the principal's own domain) and evaluates its checklist at
  // once: missing-documentation tasks and the request letter's cover sheet are raised
  // now, not when the case is opened.
  // The same registration again (same id and content, and the principal may see the
  // case) answers the existing case, with *already_registered set; the same id with
  // other content is AlreadyExists.
  Result<Case> AddCase(NewCase request, bool* already_registered = nullptr);
  // For a case the principal may see, or for a person and an area of its domain.
  Result<CoverSheet> IssueCoverSheet(CoverSheetRequest request);
  // An issued sheet again, to print it again: the same rules as issuing one.
  Result<CoverSheet> ReadCoverSheet(const std::string& cover_id);
  // Links a document by hand (manual journaling); closes its journaling task and
  // re-evaluates both the old and the new case. Both must be visible to the principal.
  Result<Document> LinkDocument(const std::string& document_id, const std::string& case_id);
  // Links a journaled document to one more case (a sick note for the sick-pay case and
  // the employer's refund case): that case's checklist counts it, need to know follows
  // the link, and an open notice about it on that case is closed. The principal must
  // see both; `link_documents`.
  Result<Document> LinkAlso(const std::string& document_id, const std::string& case_id);
  // Closes a case and its open tasks; its retention period starts now.
  Result<Case> CloseCase(const std::string& case_id);
  // Hands a case the principal may see to unit `to`, with a handover category of the
  // rules (Rules::CheckHandover) and a reason; `transfer_cases`. The case's open tasks
  // move with it, the sender's handover task is closed, and the receiving unit gets a
  // handover task of the category. Need to know follows the case's unit. Implemented
  // in handover.cc.
  Result<Case> TransferCase(const std::string& case_id, const std::string& to,
                            const std::string& category, const std::string& reason);
  // The same, to the unit that handed the case to its present unit.
  Result<Case> ReturnCase(const std::string& case_id, const std::string& category,
                          const std::string& reason);
  // Task holding (task_holding.cc): a caseworker takes an open task of its own unit's
  // queue (need to know of it), so that two do not work the same task; releases it back
  // to the queue, or finishes it. `read_cases`; every step audited.
  Result<Task> TakeTask(const std::string& task_id);
  // The oldest open task nobody holds in the principal's unit; NotFound when none.
  Result<Task> TakeNextTask();
  Result<Task> ReleaseTask(const std::string& task_id);
  // Closes a task the principal holds. Missing-documentation and manual-journaling
  // tasks are closed by what they wait for (the document, the link), not by hand.
  Result<Task> FinishTask(const std::string& task_id);
  // The case flow's views (case_status.cc): a case's timeline from its audit trail
  // (need to know), and the status view (`case_status`, no content).
  Result<std::vector<TimelineEntry>> Timeline(const std::string& case_id);
  Result<std::vector<CaseStatusRecord>> StatusOf(const std::string& person_or_case);

  // Letters and deadlines (follow_up_service.cc): the follow-up job over every case
  // waiting for documentation at the clock's now (`follow_up`); a letter of a case the
  // principal may see, to print it (`read_cases`, audited as print_letter).
  Result<FollowUpReport> FollowUp();
  Result<LetterPrint> ReadLetter(const std::string& letter_id);

  // Manual journaling (journaling.cc): the candidate cases of a document waiting for a
  // person, with their evidence; and handing it to another unit's journaling queue.
  Result<LinkSuggestion> SuggestLinks(const std::string& document_id, const std::string& person_id);
  Result<Task> HandOnDocument(const std::string& document_id, const std::string& unit,
                              const std::string& reason);

  // Lets `principal_id` see one case for `purpose` until the end of `expires`
  // (YYYY-MM-DD, within a year). Needs `grant`.
  Result<Grant> GrantAccess(const std::string& case_id, const std::string& principal_id,
                            const std::string& purpose, const std::string& expires);
  Result<Grant> RevokeGrant(const std::string& grant_id);
  // Grants on a case, or all (case_id empty). Needs `grant`.
  Result<std::vector<Grant>> ListGrants(const std::string& case_id);

  // ---- reads: refused (PermissionDenied, audited) without need to know ----
  Result<CaseView> ReadCase(const std::string& case_id);
  Result<Document> ReadDocument(const std::string& document_id);
  // The document's searchable PDF (its page images): a page-image read.
  Result<std::string> ReadDocumentPdf(const std::string& document_id);
  // One stored page image (1-based), as stored (StoredPage::format): a page-image read.
  Result<std::string> ReadPageImage(const std::string& document_id, int page);
  // Lists and searches hold only what the principal may see; what it may not see is
  // left out without a trace in the result (not even a count).
  // `window` cuts the list after need to know; `*total` (when given) counts all shown.
  Result<std::vector<Document>> ListDocuments(bool unlinked_only, const ListWindow& window = {},
                                              int* total = nullptr);
  Result<std::vector<Task>> ListTasks(const TaskFilter& filter, const ListWindow& window = {},
                                      int* total = nullptr);
  Result<std::vector<Case>> SearchCases(const std::string& person_id);
  // Documents whose text or type holds every word of `query` (case-insensitive).
  Result<std::vector<Document>> SearchDocuments(const std::string& query);

 private:
  Change Begin() const { return store_->BeginChange(principal_, purpose_); }
  // OK when the principal's roles carry `permission`; else the refusal, audited.
  Status Allowed(Permission permission, const std::string& what) const;
  // A need-to-know decision with what its audit entry concerns.
  struct Judgement {
    AccessDecision decision;
    Concerning about;
  };
  // By case id, for one call: a list meets the same case for each of its documents and
  // tasks, and decides it once.
  using Judgements = std::map<std::string, Judgement>;
  AccessDecision DecideCase(const Change& view, const Case& c) const;
  // Nullopt when there is no case `case_id` (or it is empty).
  std::optional<Judgement> JudgeCase(const Change& view, const std::string& case_id,
                                     Judgements* memo) const;
  // Through the case, or, without one, through the unit holding the open task.
  Judgement JudgeDocument(const Change& view, const Document& d, Judgements* memo = nullptr) const;
  Judgement JudgeTask(const Change& view, const Task& t, Judgements* memo = nullptr) const;
  // A document read in one view and audited once: the document and, as `what` asks, no
  // bytes, its searchable PDF, or one page's stored image (1-based): a page-image read.
  static constexpr int kRecordOnly = -1;
  static constexpr int kWholePdf = 0;
  Result<std::pair<Document, std::string>> ReadDocumentWith(const std::string& document_id,
                                                            int what);
  // Runs `body` on the case, in one change, when the principal may see it; NotFound when
  // there is no such case, and a refusal audited in a change of its own. `body` writes
  // and commits, or returns an error and nothing is written.
  Status OnCase(const std::string& case_id,
                const std::function<Status(Change&, Case&, const Judgement&)>& body);
  // The same for a document and a case the principal must both see (linking): NotFound
  // for either missing, FailedPrecondition for a closed case, and a refusal naming the
  // first it may not see.
  // `journaling`: a document waiting for a person may go to any open case of the
  // principal's domain (DecideJournaling), not only to one it has need to know of.
  Status OnDocumentAndCase(
      const std::string& document_id, const std::string& case_id, bool journaling,
      const std::function<Status(Change&, Document&, Case&, const Judgement&)>& body);
  // Need to know for linking `d` by hand: DecideCase, or, for a document still waiting
  // for journaling, the policy's journaling basis (access.h).
  AccessDecision DecideJournaling(const Change& view, const Document& d, const Case& c) const;
  // OnCase for a document waiting for journaling: `body` runs in the view that judged
  // it, when the principal may see it; NotFound when there is none, FailedPrecondition
  // when it is journaled already, and a refusal audited in a change of its own.
  // A candidate case for journaling `d`, with its evidence: `pointers` are what in the
  // document points at it (cover_sheet, case_number, person, person_typed).
  CaseCandidate Candidate(const Change& view, const Document& d, const Case& c,
                          const std::set<std::string>& pointers) const;
  Status OnWaitingDocument(const std::string& document_id,
                           const std::function<Status(Change&, Document&, const Judgement&)>& body);
  // One step on a task the principal may see: `step` changes it or refuses, and the
  // change is written with an `action` audit entry.
  Result<Task> WorkTask(const std::string& task_id, const std::string& action,
                        const std::function<Status(Task*)>& step);
  // TransferCase and ReturnCase: `to` empty means the sender.
  Result<Case> HandOver(const std::string& kind, const std::string& case_id, std::string to,
                        const std::string& category, const std::string& reason);
  // Closes the open notice about the document on case `c`: the document is on it now.
  void CloseNotice(Change& change, const Case& c, const std::string& document_id) const;
  // Audits the denial in a change of its own and returns the error for it.
  Status Deny(const std::string& object, const AccessDecision& decision,
              const Concerning& about) const;
  Case Shown(Case c) const;
  Document Shown(Document d) const;
  // The audit detail of a read: the basis of access, and whether ids were unmasked.
  std::string ReadDetail(const AccessDecision& decision) const;

  Store* store_;
  const Rules* rules_;
  const Policy* policy_;
  Principal principal_;
  std::string purpose_;
  bool unmasked_ = false;
  std::function<std::string()> now_;
};

// "unknown <what>" when a read found no record; the read's own error (I/O, corruption)
// otherwise: a failed read is never taken for a missing record.
Status Missing(const Status& read, const std::string& what);

// Ids that go into keys: letters, digits, '-', '_' and '.', 1 to 64 characters.
bool IsValidRecordId(const std::string& id);
// YYYY-MM-DD with a real month and day.
bool IsValidDate(const std::string& date);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_CASE_SERVICE_H_

// Reports: what the runs of the mail room and of upkeep found. Plain values, like the
// records (postmottak/records.h), and like them free of person ids and page content:
// a report counts, names files, pages, documents and cases, and says what is wrong.
#ifndef POSTMOTTAK_REPORTS_H_
#define POSTMOTTAK_REPORTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace postmottak {

struct QuarantinedRecord {
  std::string file;
  int page = 0;  // 1-based; 0: the whole file
  std::string reason;
};

// A page that took long: where the time goes, and proof that no page ran past its bound.
struct SlowPage {
  std::string file;
  int page = 0;
  double seconds = 0;  // reading (rendering) and processing, waits excluded
  bool rendered = false;
  std::string unread;  // why it was journaled without text, if it was
};

// What one intake run did. Every page of the batch is one of: a document's page, a
// blank page, a cover or separator sheet, a duplicate, or quarantined.
struct IntakeSummary {
  std::string batch;
  int files = 0;
  int pages = 0;
  int blank_pages = 0;
  int cover_sheets = 0;
  int separator_sheets = 0;
  int mail_pieces = 0;
  int documents = 0;
  int linked_by_cover = 0;
  int linked_by_text = 0;
  int linked_by_metadata = 0;  // by the scanning vendor's metadata, the pages agreeing
  int manual = 0;              // left for manual journaling
  int duplicates = 0;          // documents not created: all their pages were held already
  int duplicate_pages = 0;     // pages held already (in this piece, or for the same case)
  int duplicate_files = 0;     // files identical to a file taken in before
  int unread_pages = 0;        // journaled without text: past their time bound
  int rendered_pages = 0;      // PDF pages rendered (born-digital, or images not decoded)
  int text_layer_pages = 0;    // pages whose text came from their own text layer, not OCR
  int tasks_raised = 0;
  int tasks_closed = 0;
  int notices = 0;  // raised on other cases of the same person (a change notice arrived)
  std::vector<QuarantinedRecord> quarantined;
  int runs = 0;                   // intake runs on this batch, this one included
  int resumed_pages = 0;          // pages accounted for before this run began
  bool interrupted = false;       // stopped early: the same call again goes on
  std::vector<SlowPage> slowest;  // the slowest pages, slowest first (at most 5)
  int workers = 0;                // threads here, or remote workers' processes
  double seconds = 0;
  double pages_per_second = 0;
};

// Counts of one unit's desk now: no person id, name or content.
struct UnitStatistics {
  int awaiting_documentation = 0;
  std::map<std::string, int> awaiting_from;  // party (citizen, employer, doctor) -> cases
  int ready_for_decision = 0;                // the backlog
  int overdue = 0;                           // open past their due date
  int closed = 0;
  // Open tasks: kind -> age ("under_7_days", "7_to_30_days", "over_30_days") -> count.
  std::map<std::string, std::map<std::string, int>> open_tasks;
};

// Whole days, UTC, both ends included.
struct StatisticsPeriod {
  std::string since;  // YYYY-MM-DD; empty: 27 days before `until` (four weeks)
  std::string until;  // YYYY-MM-DD; empty: today
};

// One unit and benefit area over a period. Each case counts with the unit that had it
// at the time (its handovers say when it moved); documents not on a case count with the
// intake unit, area "".
struct FlowStatistics {
  std::string unit;
  std::string area;
  int received = 0;                             // documents received in the period
  std::map<std::string, int> received_per_day;  // YYYY-MM-DD -> documents
  // At the end of the period. Awaiting documentation is apart from the backlog: a unit
  // is not slow because a doctor has not answered.
  int ready_for_decision = 0;  // the backlog
  int awaiting_documentation = 0;
  std::map<std::string, int> awaiting_from;  // party -> cases
  int overdue = 0;                           // open past their due date
  // Cases that became ready for decision in the period, and the days from each one's
  // first document to ready: median and 90th percentile (-1 when none).
  int became_ready = 0;
  double median_days_to_ready = -1;
  double p90_days_to_ready = -1;
  int closed = 0;  // closed in the period
};

struct StatisticsReport {
  std::string since, until;                     // the period, as resolved
  std::vector<FlowStatistics> flow;             // by unit, then area
  std::map<std::string, UnitStatistics> units;  // each unit's desk now
};

// ---- follow-up: what a run of the deadline chaser did ----

struct FollowUpReport {
  int cases = 0;                       // cases waiting for documentation, looked at
  std::vector<std::string> reminders;  // reminder letters written (letter ids)
  std::vector<std::string> escalated;  // decide-as-it-stands tasks raised (task ids)
  // "case ID: why" for each case that could not be followed up; the others were.
  std::vector<std::string> failed;
};

// ---- reconciliation: what became of every page of a batch ----

struct PageAccount {
  int file_index = 0;  // the file's place in the batch, from 0
  std::string file;
  int page = 0;  // 0: the file as a whole
  // "journaled", "blank", "cover_sheet", "separator", "duplicate", "quarantined";
  // "released" or "retried" for a quarantined input a person released or took in again
  // (a retried file's pages have their own accounts); or "missing".
  std::string status;
  std::string document;
  std::string case_id;
  std::string quarantine;  // the quarantine entry's id
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

// ---- the scanning vendor's daily list: what became of every PDF it delivered ----

struct VendorFileAccount {
  std::string name;  // the PDF as the vendor names it: its external reference
  // "journaled", "duplicate" (journaled from an earlier delivery of the same file),
  // "quarantined", "released" or "retried" (a person acted on the quarantined file),
  // "in_intake" (received, its intake not finished), or "missing" (never received).
  std::string status;
  std::string batch;  // where it was taken in
  std::string file;   // as intake names it: "<delivery>/<name in the zip>"
  std::vector<std::string> documents;
  std::vector<std::string> cases;
  std::string detail;
};

struct VendorReconciliation {
  std::string day;                          // YYYY-MM-DD, when asked for a day
  std::vector<std::string> lists;           // the vendor's list files read; none: no list came
  std::vector<VendorFileAccount> files;     // each name listed, in list order
  std::vector<VendorFileAccount> unlisted;  // taken in on `day` but on no list
  std::map<std::string, int> counts;        // listed files by status
  // A list came, and every file on it is received and its intake finished.
  int count(const std::string& status) const {
    auto it = counts.find(status);
    return it == counts.end() ? 0 : it->second;
  }
  bool balanced() const { return !lists.empty() && count("missing") + count("in_intake") == 0; }
};

// ---- the Noark 5 deposit (docs/noark5.md) ----

struct DepositOptions {
  std::string out_dir;      // created; refused when it exists and is not empty
  std::string schemas_dir;  // the official schemas: arkivstruktur.xsd, metadatakatalog.xsd, ...
  // The period, by the day each document was journaled (YYYY-MM-DD, inclusive); empty:
  // open-ended.
  std::string from, to;
  // The archive's creator (arkivskaper), for the package's header.
  std::string creator_id = "postmottak";
  std::string creator_name = "Postmottak";
};

struct DepositReport {
  int folders = 0;         // saksmapper: one per case
  int registrations = 0;   // journalposter: one per mail piece journaled to a case
  int documents = 0;       // dokumentbeskrivelser
  int files = 0;           // dokumentobjekter: the documents' files under DOKUMENT/
  int64_t bytes = 0;       // of those files
  int changes = 0;         // entries of the change log (endringslogg)
  int past_retention = 0;  // cases left out
};

// ---- upkeep ----

struct VerifyProblem {
  std::string kind;    // checksum_mismatch, missing_blob, orphan_blob, corrupt_record,
                       // index_missing, index_extra, index_wrong, dangling_reference,
                       // audit_chain
  std::string object;  // what it is about ("document/doc-...", "blob doc/.../page/1")
  std::string detail;
  bool repairable = false;  // derived data: a verify with repair rebuilds it
};

struct VerifyReport {
  int records = 0;
  int blobs = 0;
  int64_t blob_bytes = 0;  // re-read and checked against their checksums
  int index_entries = 0;
  int events = 0;
  std::vector<VerifyProblem> problems;
  bool repaired = false;  // the index was rebuilt; `problems` are those left after it
  bool ok() const { return problems.empty(); }
};

struct ReindexReport {
  int documents = 0;  // documents in the store
  int processed = 0;  // documents processed in this run
  int changed = 0;    // documents whose text or extraction changed
  bool resumed = false;
  int cases_evaluated = 0;
};

// What retention deleted (or, in a dry run, would delete) of one closed case. The
// case's tombstone keeps these facts; the person is not named.
struct DeletedCaseRecord {
  std::string id;
  std::string area;
  std::string unit;
  std::string closed_at;
  int retention_days = 0;
  struct Document {
    std::string id;
    std::string type;
    int pages = 0;
  };
  std::vector<Document> documents;
  int cover_sheets = 0;
  int tasks = 0;
  int64_t bytes = 0;  // page images and PDFs
};

struct RetentionSummary {
  bool dry_run = false;
  int cases_examined = 0;  // closed cases looked at
  int cases_kept = 0;      // closed, but within their period (or an area without one)
  std::vector<DeletedCaseRecord> deleted;
  int documents = 0;
  int pages = 0;
  int64_t bytes = 0;
};

// The audit trail's hash chain, walked from the first entry to the head.
struct AuditCheck {
  uint64_t entries = 0;
  uint64_t head_seq = 0;  // keep "head_seq:head_hash" outside the store as an anchor
  std::string head_hash;
  std::vector<std::string> problems;  // each names the entry where the chain breaks
  bool ok() const { return problems.empty(); }
};

}  // namespace postmottak

#endif  // POSTMOTTAK_REPORTS_H_

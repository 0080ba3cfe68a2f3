// Records: what a case system sees of cases, documents, tasks, cover sheets, intakes
// and statistics. Plain values, copied out of the store: holding one holds no lock and
// no resource, and changing one changes nothing stored.
//
// Person ids are masked ("010180*****") unless the session asked to unmask
// (Session::Unmask, audited). Times are UTC, ISO 8601 ("2026-11-30T19:39:07Z"); dates
// YYYY-MM-DD. Codes (areas, document types, task kinds, statuses) are the rules file's
// and the stable names listed here, never translated.
#ifndef POSTMOTTAK_RECORDS_H_
#define POSTMOTTAK_RECORDS_H_

#include <map>
#include <string>
#include <vector>

namespace postmottak {

// A new case, as a case system registers it.
struct CaseRegistration {
  std::string id;         // the case number, unique ("2026-000123")
  std::string person_id;  // 11-digit national identity number
  std::string person_name;
  std::string area;                   // benefit area of the rules (AAP, SYK, DAG, ...)
  std::string unit;                   // 4-digit owning unit
  std::vector<std::string> required;  // document types; empty: what the rules require
  std::string due;                    // YYYY-MM-DD, or empty
};

struct DocumentRecord {
  std::string id;
  std::string type;     // a document type of the rules, or "unknown"
  std::string case_id;  // empty while it waits for manual journaling
  // "cover_sheet", "text" (a person id and area in its text named one open case),
  // "manual", or "" (not linked), with the evidence or the reason it was not.
  std::string linked_by;
  std::string link_evidence;
  std::string received_at;
  // Chain of custody: the batch, and the file and pages it came from.
  std::string batch;
  std::string source_file;
  std::vector<int> source_pages;
  std::vector<std::string> person_ids;  // found in it (masked unless unmasked)
  std::string text;                     // OCR or its own text layer; empty if not read
  bool unread = false;                  // some page ran past its time bound: a person reads it
};

struct TaskRecord {
  std::string id;
  // "missing_documentation", "manual_journaling", "manual_reading", "quarantine_release".
  std::string kind;
  std::string status;  // "open" or "closed"
  std::string case_id;
  std::string document_id;    // the document it is about, if any
  std::string document_type;  // missing documentation: the type awaited
  std::string awaited_from;   // missing documentation: "citizen", "employer", "doctor"
  std::string unit;           // whose queue holds it
  std::string reason;
  std::string created_at;
  std::string closed_at;
};

struct ChecklistItem {
  std::string type;                    // a required document type
  std::vector<std::string> documents;  // ids of the case's documents of that type
};

struct CaseRecord {
  std::string id;
  std::string person_id;  // masked unless unmasked
  std::string person_name;
  std::string area;
  std::string unit;
  std::string status;  // "awaiting_documentation", "ready_for_decision", "closed"
  std::string due;
  std::string created_at;
  std::string closed_at;
  std::vector<ChecklistItem> checklist;
  std::vector<std::string> missing;  // required types not yet arrived
  std::vector<DocumentRecord> documents;
  std::vector<TaskRecord> tasks;
  std::string basis;  // why this session may see the case (need to know)
};

struct CoverSheetRecord {
  std::string id;  // the 12-digit cover id its barcode carries
  std::string case_id;
  std::string area;
  std::string title;
  std::vector<std::string> expected;  // document types the sender is asked to enclose
  std::string unit;                   // where mail with it is routed
  std::string issued_at;
  std::string pdf;  // the printable A4 page (PDF bytes)
};

struct QuarantinedRecord {
  std::string file;
  int page = 0;  // 1-based; 0: the whole file
  std::string reason;
};

// What one intake run did. Every page of the batch is one of: a document's page, a
// blank page, a cover or separator sheet, a duplicate, or quarantined.
struct IntakeSummary {
  std::string batch;
  int files = 0;
  int pages = 0;
  int blank_pages = 0;
  int cover_sheets = 0;
  int mail_pieces = 0;
  int documents = 0;
  int linked_by_cover = 0;
  int linked_by_text = 0;
  int manual = 0;  // left for manual journaling
  int duplicate_pages = 0;
  int unread_pages = 0;  // journaled without text: past their time bound
  std::vector<QuarantinedRecord> quarantined;
  bool interrupted = false;  // stopped early: the same call again goes on
  double seconds = 0;
  double pages_per_second = 0;
};

// Counts of one unit's desk: no person id, name or content.
struct UnitStatistics {
  int awaiting_documentation = 0;
  std::map<std::string, int> awaiting_from;  // party (citizen, employer, doctor) -> cases
  int ready_for_decision = 0;                // the backlog
  int closed = 0;
  // Open tasks: kind -> age ("under_7_days", "7_to_30_days", "over_30_days") -> count.
  std::map<std::string, std::map<std::string, int>> open_tasks;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_RECORDS_H_

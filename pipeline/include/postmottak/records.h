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

#include <cstdint>
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

// One move of a case between units: a transfer, or a return to the unit that sent it.
struct HandoverRecord {
  std::string kind;  // "transfer" or "return"
  std::string from;  // units
  std::string to;
  std::string category;  // a handover category of the rules: the receiving unit's task
  std::string reason;
  std::string by;       // the principal that handed it over
  std::string at;       // ISO 8601 UTC
  std::string task_id;  // the task it put in the receiving unit's queue
};

struct DocumentRecord {
  std::string id;
  std::string type;     // a document type of the rules, or "unknown"
  std::string case_id;  // empty while it waits for manual journaling
  // Further cases it concerns (Session::LinkAlso): each counts it on its checklist, and
  // need to know follows each link.
  std::vector<std::string> also_cases;
  // "cover_sheet", "text" (a person id and area in its text named one open case),
  // "scan_metadata" (the vendor's metadata named one open case and the text agreed),
  // "manual", or "" (not linked), with the evidence or the reason it was not.
  std::string linked_by;
  std::string link_evidence;
  std::string linked_at;
  std::string linked_actor;  // the principal that linked it (a person or the intake)
  std::string received_at;
  // Chain of custody: the batch, the mail piece (envelope) and the file and pages it
  // came from, the cover sheet it arrived behind, the pipeline version that read it,
  // and checksums of its content and of its searchable PDF.
  std::string batch;
  std::string mail_piece;
  std::string source_file;
  std::vector<int> source_pages;
  std::string cover_id;
  std::string pipeline_version;
  std::string content_hash;
  std::string pdf_sha256;               // empty: no searchable PDF
  std::vector<std::string> person_ids;  // found in it (masked unless unmasked)
  std::string text;                     // OCR or its own text layer; empty if not read
  bool unread = false;                  // some page ran past its time bound: a person reads it
  // From a scanning vendor's delivery (all empty otherwise): the journal entry's channel
  // ("SKAN_IM"), the day the paper arrived, the number the scanner printed on it, the
  // post box it arrived in, the delivery and the vendor's file name (the external
  // reference).
  std::string channel;
  std::string date_received;
  std::string endorser;
  std::string post_box;
  std::string delivery;
  std::string external_ref;
};

struct TaskRecord {
  std::string id;
  // "missing_documentation", "ready_for_decision", "manual_journaling",
  // "manual_reading", "handover", "notice" (a document that may change this case arrived
  // on another case of the person) or "decide_as_it_stands" (what was asked for did not
  // come after a reminder: decide on what the case holds).
  std::string kind;
  std::string status;  // "open" or "closed"
  std::string case_id;
  // The document it is about, if any. A notice across the state/municipal divide names
  // no document, only where to ask.
  std::string document_id;
  std::string quarantine_id;  // a released quarantine entry it is about, if any
  std::string document_type;  // missing documentation: the type awaited
  std::string awaited_from;   // missing documentation: "citizen", "employer", "doctor"
  std::string letter_id;      // missing documentation: the latest letter that asked for it
  std::string category;       // handover: the handover category (what to do)
  std::string holder;         // the caseworker who took it from the queue, or empty
  std::string held_since;
  std::string unit;  // whose queue holds it
  std::string reason;
  std::string created_at;
  std::string closed_at;
};

// A letter the case sent to ask for what it misses (the completeness check writes it
// at once), or to remind. Stored with the case; Session::LetterPdf prints it, with its
// cover sheet as the last page, the same bytes each time.
struct LetterRecord {
  std::string id;                      // "<case id>-L<n>"
  std::string kind;                    // "request" or "reminder"
  std::string recipient;               // "citizen", "employer" or "doctor"
  std::vector<std::string> documents;  // the document types asked for
  std::string answer_by;               // YYYY-MM-DD: the response_days of the rules
  std::string cover_id;                // the cover sheet to send them behind
  std::string unit;                    // the unit that signs it
  std::string written_at;
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
  std::string basis;                      // why this session may see the case (need to know)
  std::vector<HandoverRecord> handovers;  // its unit history, oldest first
  std::vector<LetterRecord> letters;      // what it asked for, oldest first
  std::string ready_at;                   // when it last became ready for decision, or empty
  bool overdue = false;                   // open past its due date
};

// A cover sheet to issue: for a case, or for a person and an area before a case exists
// (an application form's sheet).
struct CoverSheetOrder {
  std::string kind = "follow_up";  // "application", "follow_up" or "loose_mail"
  std::string case_id;             // either a case ...
  std::string person_id;           // ... or a person and an area
  std::string area;
  std::string title;                  // default: the area's name and the kind
  std::vector<std::string> expected;  // default: what the case still misses
  std::string unit;                   // default: the case's unit
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

// One step in a case's life, from its audit trail: what happened, to what, in which
// unit, by whom, when. Reads are not steps; person ids never appear.
struct TimelineEntry {
  std::string at;
  // "registered", "cover_sheet_issued", "cover_sheet_received", "document_journaled",
  // "document_linked", "document_linked_also", "notice_raised", "letter_written",
  // "escalated", "status", "task_opened", "task_moved", "task_taken",
  // "task_released", "task_finished", "task_closed", "transferred", "returned",
  // "access_granted", "access_revoked", "closed".
  std::string what;
  std::string object;  // "case/ID", "document/ID", "task/ID", ...
  std::string unit;    // the unit of whoever did it
  std::string by;      // principal
  std::string detail;
};

// Where a case is, for the local office and the contact centre: no document, no text,
// no document type, no name; only who has it, what it waits for and since when.
struct CaseStatusRecord {
  std::string case_id;
  std::string area;
  std::string unit;  // who has it
  std::string unit_name;
  std::string status;                // "awaiting_documentation", "ready_for_decision", "closed"
  std::string since;                 // when it came to `unit`
  std::vector<std::string> holders;  // caseworkers holding its open tasks
  // Awaiting documentation: from whom (citizen, employer, doctor) -> how many papers,
  // and since when the oldest has been asked for.
  std::map<std::string, int> awaiting_from;
  std::string awaiting_since;
  std::string due;  // the expected decision date, YYYY-MM-DD, or empty
  bool overdue = false;
};

// Which tasks to list; the session's need to know applies on top.
struct TaskFilter {
  std::string unit;          // only this unit's queue
  std::string case_id;       // only this case's tasks
  std::string holder;        // only tasks this principal holds ("my tasks")
  std::string kind;          // only tasks of this kind
  bool unheld_only = false;  // only tasks nobody holds (what is left in the queue)
  bool closed_too = false;
};

// A stretch of a long list, in the list's own order: `limit` items from `offset` (limit
// 0: to the end). A queue of ten thousand is read fifty at a time, and only what is
// handed out is audited as read.
struct ListWindow {
  int offset = 0;
  int limit = 0;
};

// An open case a document waiting for manual journaling may belong to: its identity,
// what it still misses, and what speaks for it. Never its documents or text.
struct CaseCandidate {
  std::string case_id;
  std::string person_id;  // masked unless unmasked
  std::string person_name;
  std::string area;
  std::string unit;
  std::string status;
  std::string created_at;
  std::vector<std::string> awaits;  // document types it still misses
  // What speaks for it, strongest first: "cover_sheet" (the sheet the document came
  // behind names it), "case_number" (its number is in the text), "person" (its person's
  // id is in the text), "person_typed" (the person the journaler looked up),
  // "type_fits_area" (the document's type belongs to the case's area), "awaits_type"
  // (it misses a document of that type).
  std::vector<std::string> evidence;
};

// What a person journaling a document by hand needs beside its pages: what intake found
// in it, why it did not link it, and the candidate cases, most evidence first.
struct LinkSuggestion {
  std::string document_id;
  std::string document_type;
  std::vector<std::string> person_ids;    // found in its text (masked unless unmasked)
  std::vector<std::string> case_numbers;  // found in its text
  std::string cover_id;                   // the cover sheet it came behind, if any
  std::string reason;                     // why intake left it for a person
  std::vector<CaseCandidate> candidates;
};

// A batch as intake recorded it before its first page was read.
struct BatchRecord {
  std::string id;
  std::string created_at;
  std::string created_by;
  int files = 0;
  int pages = 0;  // of the files that could be read
  int runs = 0;   // intake runs on it: 1, plus one per resumption
  bool complete = false;
  std::string completed_at;
  bool has_manifest = false;
};

// A refused file or page, kept with its reason until a person retries or releases it.
struct QuarantineRecord {
  std::string id;
  std::string batch;
  std::string file;
  int page = 0;  // 1-based; 0: the whole file was refused
  std::string reason;
  std::string status;  // "held", "retried" or "released"
  std::string time;
  bool kept = false;       // its bytes were kept (Session::QuarantinedBytes)
  std::string sha256;      // of the kept bytes
  std::string resolution;  // what the retry made of it, or why it was released
  std::string resolved_by;
  std::string resolved_at;
  std::string task_id;  // released: its manual-journaling task
  struct Attempt {
    std::string time;
    std::string actor;
    std::string reason;
  };
  std::vector<Attempt> history;  // earlier refusals of the same input, oldest first
};

// Access to one case beyond need to know, for a purpose, until a time.
struct GrantRecord {
  std::string id;  // "grant-<n>"
  std::string case_id;
  std::string principal;
  std::string purpose;
  std::string expires;  // ISO 8601 UTC; the grant holds strictly before this time
  std::string granted_by;
  std::string granted_at;
  std::string revoked_by;
  std::string revoked_at;
};

// Which audit entries to read; empty fields match all.
struct AuditQuery {
  std::string case_id;
  std::string person_id;  // matched through the person's pseudonym, never stored in full
  std::string principal;
};

// One entry of the audit trail: who did what to which object, why, and when.
struct AuditEntryRecord {
  uint64_t seq = 0;
  std::string time;
  std::string principal;
  std::string unit;  // the principal's unit and domain when it acted
  std::string domain;
  std::string action;  // "read", "write", "denied", "unmask", ...
  std::string object;  // "case/ID", "document/ID", "task/ID", "permission/NAME", ...
  std::string purpose;
  std::string case_id;
  std::string detail;  // never an unmasked person id
  std::string hash;    // its link in the chain
};

}  // namespace postmottak

#endif  // POSTMOTTAK_RECORDS_H_

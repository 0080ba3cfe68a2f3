// The records Postmottak keeps: cases, cover sheets, documents, tasks, quarantined
// inputs and events. Plain value types; storage/store.h persists them as JSON.
//
// Vocabulary follows ../shared/DOMAIN.md: a case (sak) concerns one person and one
// benefit area; a cover sheet (førsteside) names the case that a mail piece belongs to;
// a document is one journaled document of a mail piece; a task (oppgave) sits in a
// unit's queue.
#ifndef POSTMOTTAK_STORAGE_RECORDS_H_
#define POSTMOTTAK_STORAGE_RECORDS_H_

#include <cstdint>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "postmottak/records.h"

namespace postmottak {

enum class CaseStatus {
  kAwaitingDocumentation,  // something the rules require has not arrived
  kReadyForDecision,       // complete: in the owning unit's queue for a decision
  kClosed,
};

// One move of a case between units (the public record, postmottak/records.h).
using Handover = HandoverRecord;
// A request or reminder letter of a case (the public record).
using Letter = LetterRecord;

struct Case {
  std::string id;         // case number, e.g. "2026-000123"
  std::string person_id;  // 11-digit person id (never logged unmasked)
  std::string person_name;
  std::string area;  // benefit area code: AAP, DAG, SYK, ...
  std::string unit;  // 4-digit owning unit
  CaseStatus status = CaseStatus::kAwaitingDocumentation;
  std::vector<std::string> required;  // document types the case needs
  std::string due;                    // YYYY-MM-DD, empty when none
  std::string created_at;
  std::string closed_at;            // when it was closed: its retention period runs from here
  std::vector<Handover> handovers;  // its unit history, oldest first
  std::vector<Letter> letters;      // request and reminder letters, oldest first
  std::string ready_at;             // when it last became ready for decision
};

enum class CoverSheetKind { kApplication, kFollowUp, kLooseMail };

struct CoverSheet {
  std::string id;  // fixed-width numeric cover id with a Damm check digit
  CoverSheetKind kind = CoverSheetKind::kFollowUp;
  std::string case_id;  // empty when issued for person + area before a case exists
  std::string person_id;
  std::string person_name;
  std::string area;
  std::string title;
  std::vector<std::string> expected;  // document types to enclose
  std::string unit;                   // unit to route to
  std::string language = "nb";
  std::string issued_at;
  std::string issued_by;
};

// kScanMetadata: the scanning vendor's metadata named the person and area, and the pages
// agreed (pipeline/vendor/).
enum class LinkMethod { kNone, kCoverSheet, kText, kManual, kScanMetadata };

// The scanning vendor's metadata for one delivered PDF (its skanningmetadata XML,
// pipeline/vendor/scan_metadata.h). Empty strings are "not given"; sentinels ("0000",
// "UKJ") read as not given.
struct ScanMetadata {
  // journalpost
  std::string reference;   // referansenummer: 14 digits (a cover sheet's id), or empty
  std::string user_id;     // bruker/brukerId: a person (11 digits) or an organisation (9)
  std::string user_type;   // bruker/brukertype: "PERSON" or "ORGANISASJON", or empty
  std::string area;        // tema
  std::string form_code;   // brevKode ("NAV 11-13.05")
  std::string unit;        // journalforendeEnhet
  std::string channel;     // mottakskanal ("SKAN_IM")
  std::string received;    // datoMottatt, YYYY-MM-DD: the day the paper arrived
  std::string batch_name;  // batchnavn
  std::string file_name;   // filnavn: the PDF it describes
  std::string endorser;    // endorsernr: the number the scanner printed on the paper
  int pages = 0;           // antallSider; 0 when not given
  std::string country;     // land
  // skanningInfo
  std::string post_box;          // fysiskPostboks: where the paper arrived
  std::string barcode_post_box;  // strekkodePostboks: the post box its barcode named
};

// How a file came from the scanning vendor: the delivery it was in, its metadata, and
// the delivery's other files for it, kept as blobs (nothing delivered is lost). The
// vendor's file name is the external reference: one mail piece, journaled once.
struct VendorReceipt {
  std::string delivery;      // the delivery as intake was given it ("inbox/skan-1.zip.pgp")
  std::string external_ref;  // the vendor's file name (filnavn); empty: not from a vendor
  ScanMetadata metadata;
  std::string metadata_blob;  // the XML as delivered
  std::string text_blob;      // the vendor's own text (<base>.ocr), when sent
};

// One page image as stored: the blob key in the blobs column family and its checksum.
struct StoredPage {
  std::string blob_key;
  std::string format;  // "tiff-g4" for bitonal pages, "jpeg" otherwise
  std::string sha256;
  int source_page = 0;    // 1-based page number in the source file
  int rotation = 0;       // degrees clockwise applied to make the page upright
  double skew = 0;        // degrees of skew corrected
  bool rendered = false;  // rendered from a PDF page (born-digital, or an image we do not decode)
  // Where the document's text for this page came from: kTextFromOcr, kTextFromPdf, or
  // empty (no text: deferred, or not read in time).
  std::string text_source;
};

// StoredPage::text_source (and ProcessedPage's): read by OCR, or the page's own text
// layer (a born-digital PDF page).
inline constexpr const char* kTextFromOcr = "ocr";
inline constexpr const char* kTextFromPdf = "pdf_text";

struct Document {
  std::string id;
  std::string type;     // document type from the rules ("medical_certificate", ...), or "unknown"
  std::string case_id;  // empty while unlinked
  // Further cases it concerns, linked by hand after the first: their checklists count
  // it, and need to know follows each link (a sick note for the sick-pay case and the
  // employer's refund case).
  std::vector<std::string> also_cases;
  LinkMethod linked_by = LinkMethod::kNone;
  std::string link_evidence;  // why it was linked, or why it was not
  std::string linked_at;
  std::string linked_actor;  // who or what linked it
  // Chain of custody.
  std::string batch;
  std::string mail_piece;  // id of the mail piece (journal entry) it arrived in
  std::string source_file;
  std::vector<int> source_pages;  // 1-based pages of source_file
  std::string cover_id;           // cover sheet the mail piece carried, if any
  std::string received_at;
  std::string pipeline_version;
  // Content.
  std::vector<StoredPage> pages;
  std::string pdf_blob;  // searchable PDF
  std::string pdf_sha256;
  // The original variant: the document's pages as they arrived, when the source was a
  // PDF (a born-digital page keeps its fonts, vectors and text this way).
  std::string original_blob;
  std::string original_sha256;
  // Non-empty: some pages ran past their time bound before their text was read; a
  // person reads them (a manual-reading task, or the manual-journaling task).
  std::string unread;
  std::string content_hash;  // sha256 over the page checksums: duplicate detection
  std::string text;
  // Intake stored the pages without OCR (behind a cover sheet, with OCR deferred):
  // text, extraction and the searchable PDF come with the next `reindex`.
  bool ocr_pending = false;
  // Extraction.
  std::vector<std::string> person_ids;
  std::vector<std::string> case_numbers;
  std::vector<std::string> dates;
  // Delivered by the scanning vendor: its metadata (the journal entry's channel, date
  // received, endorser, post box) and the external reference.
  VendorReceipt vendor;
};

enum class TaskKind {
  kMissingDocumentation,
  kReadyForDecision,
  kManualJournaling,
  kManualReading,     // a linked document whose text could not be read in time
  kHandover,          // a case handed to the unit: do what `category` says
  kNotice,            // a document that may change the case arrived on another case
  kDecideAsItStands,  // the reminder's deadline passed too: decide on what is there
};
enum class TaskStatus { kOpen, kClosed };

struct Task {
  std::string id;  // deterministic: derived from what the task is about
  TaskKind kind = TaskKind::kManualJournaling;
  TaskStatus status = TaskStatus::kOpen;
  std::string case_id;
  std::string document_id;    // manual journaling: the document waiting
  std::string quarantine_id;  // manual journaling: the quarantined input released to it
  std::string document_type;  // missing documentation: the type awaited
  std::string awaited_from;   // missing documentation: citizen, employer, doctor
  std::string cover_id;       // missing documentation: cover sheet for the request letter
  std::string letter_id;      // missing documentation: the latest letter asking for it
  std::string category;       // handover: the handover category
  std::string holder;         // the caseworker who took it from the queue, or empty
  std::string held_since;
  std::string unit;
  std::string reason;
  std::string created_at;
  std::string closed_at;
};

enum class QuarantineStatus {
  kHeld,      // waiting for someone to act
  kRetried,   // taken in again after a fix; `resolution` says what it became
  kReleased,  // handed to a person for manual journaling; `task_id` names the task
};

// An earlier reason a quarantined input was refused, kept when a retry fails again.
struct QuarantineAttempt {
  std::string time;
  std::string actor;
  std::string reason;
  std::string blob_key;  // the bytes kept that time
  std::string sha256;
};

// A rejected input file or page. Quarantine never deletes: the entry and its bytes stay
// whatever becomes of it; retries and releases only add to it.
struct QuarantineEntry {
  std::string id;  // deterministic: derived from batch, file and page
  std::string batch;
  std::string file;
  int page = 0;  // 1-based; 0 when the whole file was refused
  std::string reason;
  std::string blob_key;  // the page image or the file's bytes, when they could be kept
  std::string sha256;    // of the kept bytes
  std::string time;
  QuarantineStatus status = QuarantineStatus::kHeld;
  std::string resolution;  // what the retry made of it, or the reason for the release
  std::string resolved_by;
  std::string resolved_at;
  std::string task_id;                     // released: the manual-journaling task
  std::vector<QuarantineAttempt> history;  // earlier refusals of the same input, oldest first
};

// ---- Batches and the page ledger ----------------------------------------------------
//
// Intake records every batch it takes in (its files, as found before the first page is
// read) and, for every page, what became of it. The ledger entry of a page is written
// in the same atomic commit as the mail piece it belongs to, so the ledger is also the
// intake's checkpoint: a page with an entry is done, a page without one is not.

// One input file of a batch, as intake found it.
struct BatchFile {
  std::string name;  // the path intake was given
  int64_t size = 0;
  std::string sha256;  // of the file's bytes; empty when they could not be read
  int pages = -1;      // pages the file holds; -1 when it could not be opened
  std::string error;   // why the file could not be opened, or empty
  // An identical file (same sha256) already taken in, as "batch/file-index": its pages
  // are reported as duplicates and not read again.
  std::string duplicate_of;
  // From a vendor delivery: its receipt (name is "<delivery>/<name in the zip>").
  VendorReceipt vendor;
  // Refused before its pages are read (a half pair, metadata that fails the schema, a
  // delivery that cannot be decrypted): the reason; the file goes to quarantine whole.
  std::string refused;
};

// What the sender says the batch holds (manifest.json beside the scans).
struct ManifestFile {
  std::string name;  // relative to the batch folder
  int pages = -1;    // -1: not stated
  std::string sha256;
};

struct Batch {
  std::string id;
  std::string created_at;
  std::string created_by;
  std::vector<BatchFile> files;  // in intake order; ledger keys use the index
  bool has_manifest = false;
  std::vector<ManifestFile> manifest;
  int runs = 0;  // intake runs on this batch: 1, plus one per resumption
  bool complete = false;
  std::string completed_at;
};

enum class PageDisposition {
  kJournaled,   // part of `document`
  kBlank,       // blank (back of a sheet), recorded and skipped
  kCoverSheet,  // a cover sheet that opened a mail piece
  kSeparator,   // a separator sheet
  kDuplicate,   // identical to a page already taken in (`document`, `detail`)
  kQuarantined  // in quarantine entry `quarantine`
};

struct LedgerEntry {
  std::string id;  // LedgerKey(batch, file_index, page)
  std::string batch;
  int file_index = 0;
  std::string file;
  int page = 0;  // 1-based; 0 for a file refused as a whole
  PageDisposition disposition = PageDisposition::kQuarantined;
  std::string document;  // journaled or duplicate: the document holding the page
  std::string case_id;
  std::string quarantine;
  std::string sha256;  // of the stored page image, when there is one
  std::string detail;
  std::string time;
};

// "<batch>/<file index, 6 digits>/<page, 6 digits>": a batch's entries in batch order.
std::string LedgerKey(const std::string& batch, int file_index, int page);
// The key prefix of one file's entries, and of a whole batch's.
std::string LedgerFilePrefix(const std::string& batch, int file_index);
std::string LedgerBatchPrefix(const std::string& batch);
// Batch names are used in keys and file names: 1-64 of [A-Za-z0-9._-], not starting
// with a dot.
bool IsValidBatchName(const std::string& name);
// A unit number (enhetsnummer): 4 digits.
bool IsValidUnit(const std::string& unit);

// ---- Access --------------------------------------------------------------------------

// An explicit exception to need to know: one principal may see one case, for a stated
// purpose, until it expires (or is revoked). The only way across the state/municipal
// divide. Grants are never deleted; a revoked or expired one stays as a record.
// The public record (postmottak/records.h).
using Grant = GrantRecord;

// What retention deleted of one case, kept in its place: enough to answer "what
// happened to document X" and to keep references (ledger, audit trail) resolvable,
// nothing that identifies the person except the audit pseudonym.
struct DeletedDocument {
  std::string id;
  std::string type;
  std::string content_hash;
  int pages = 0;
  std::string batch;
  std::string received_at;
};

struct Tombstone {
  std::string id;  // the case id
  std::string area;
  std::string unit;
  std::string person;  // the person's audit pseudonym (Store::PersonPseudonym)
  std::string closed_at;
  int retention_days = 0;
  std::string deleted_at;
  std::string deleted_by;
  std::vector<DeletedDocument> documents;
  std::vector<std::string> cover_sheets;
  std::vector<std::string> tasks;
  int64_t bytes = 0;  // page images and PDFs deleted
};

// One entry of the audit trail: who did what to which object, why, and when. Entries
// are append-only and hash-chained: `hash` is the SHA-256 of the entry's other fields
// (canonical JSON, keys sorted), which include `prev`, the hash of the entry before.
// Changing or removing an entry breaks the chain at that point (AuditTrail in
// storage/audit.h checks it).
struct Event {
  uint64_t seq = 0;
  std::string time;
  std::string principal;  // who: a principal id
  std::string unit;       // the principal's unit and domain when it acted
  std::string domain;
  std::string action;
  std::string object;   // "case/ID", "document/ID", "task/ID", "cover_sheet/ID", ...
  std::string purpose;  // why, as the principal stated it
  std::string case_id;  // the case the object belongs to, when there is one
  std::string person;   // pseudonym of the person the object concerns, when known
  std::string detail;   // never an unmasked person id
  std::string prev;
  std::string hash;
};

// A loose scan's file carries no vendor receipt in its JSON.
void to_json(nlohmann::json& j, const BatchFile& v);
void from_json(const nlohmann::json& j, BatchFile& v);

// Plain records whose JSON is their fields by name; a missing field keeps its default.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(QuarantineAttempt, time, actor, reason, blob_key,
                                                sha256)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ScanMetadata, reference, user_id, user_type, area,
                                                form_code, unit, channel, received, batch_name,
                                                file_name, endorser, pages, country, post_box,
                                                barcode_post_box)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(VendorReceipt, delivery, external_ref, metadata,
                                                metadata_blob, text_blob)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ManifestFile, name, pages, sha256)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Grant, id, case_id, principal, purpose, expires,
                                                granted_by, granted_at, revoked_by, revoked_at)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Handover, kind, from, to, category, reason, by, at,
                                                task_id)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Letter, id, kind, recipient, documents, answer_by,
                                                cover_id, unit, written_at)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(DeletedDocument, id, type, content_hash, pages,
                                                batch, received_at)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Tombstone, id, area, unit, person, closed_at,
                                                retention_days, deleted_at, deleted_by, documents,
                                                cover_sheets, tasks, bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Event, seq, time, principal, unit, domain, action,
                                                object, purpose, case_id, person, detail, prev,
                                                hash)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Batch, id, created_at, created_by, files,
                                                has_manifest, manifest, runs, complete,
                                                completed_at)

std::string ToString(CaseStatus s);
std::string ToString(CoverSheetKind k);
std::string ToString(LinkMethod m);
std::string ToString(TaskKind k);
std::string ToString(TaskStatus s);
std::string ToString(QuarantineStatus s);
std::string ToString(PageDisposition d);
bool ParseCoverSheetKind(const std::string& s, CoverSheetKind* out);
// Open past its due date at `now` (ISO 8601 UTC): the decision it was promised by has
// not come. A case without a due date is never overdue.
bool IsOverdue(const Case& c, const std::string& now);

void to_json(nlohmann::json& j, const Case& v);
void from_json(const nlohmann::json& j, Case& v);
void to_json(nlohmann::json& j, const CoverSheet& v);
void from_json(const nlohmann::json& j, CoverSheet& v);
void to_json(nlohmann::json& j, const StoredPage& v);
void from_json(const nlohmann::json& j, StoredPage& v);
void to_json(nlohmann::json& j, const Document& v);
void from_json(const nlohmann::json& j, Document& v);
void to_json(nlohmann::json& j, const Task& v);
void from_json(const nlohmann::json& j, Task& v);
void to_json(nlohmann::json& j, const QuarantineEntry& v);
void from_json(const nlohmann::json& j, QuarantineEntry& v);
void to_json(nlohmann::json& j, const LedgerEntry& v);
void from_json(const nlohmann::json& j, LedgerEntry& v);

// "3,4,7": page numbers for people and for event details.
std::string JoinPages(const std::vector<int>& pages);

// Current time as ISO 8601 UTC with seconds ("2026-11-22T10:00:00Z").
std::string NowUtc();
// The same for a given time.
std::string UtcIso(std::time_t t);
// The time `days` after `iso` (both ISO 8601 UTC), or empty when `iso` cannot be read.
std::string AddDays(const std::string& iso, int days);
// Masks a person id for logs and reports: the birth date stays, the rest is starred.
std::string MaskPersonId(const std::string& person_id);

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_RECORDS_H_

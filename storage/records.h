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
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace postmottak {

enum class CaseStatus {
  kAwaitingDocumentation,  // something the rules require has not arrived
  kReadyForDecision,       // complete: in the owning unit's queue for a decision
  kClosed,
};

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

enum class LinkMethod { kNone, kCoverSheet, kText, kManual };

// One page image as stored: the blob key in the blobs column family and its checksum.
struct StoredPage {
  std::string blob_key;
  std::string format;  // "tiff-g4" for bitonal pages, "jpeg" otherwise
  std::string sha256;
  int source_page = 0;  // 1-based page number in the source file
  int rotation = 0;     // degrees clockwise applied to make the page upright
  double skew = 0;      // degrees of skew corrected
};

struct Document {
  std::string id;
  std::string type;     // document type from the rules ("medical_certificate", ...), or "unknown"
  std::string case_id;  // empty while unlinked
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
  std::string content_hash;  // sha256 over the page checksums: duplicate detection
  std::string text;
  // Intake stored the pages without OCR (behind a cover sheet, with OCR deferred):
  // text, extraction and the searchable PDF come with the next `reindex`.
  bool ocr_pending = false;
  // Extraction.
  std::vector<std::string> person_ids;
  std::vector<std::string> case_numbers;
  std::vector<std::string> dates;
};

enum class TaskKind { kMissingDocumentation, kReadyForDecision, kManualJournaling };
enum class TaskStatus { kOpen, kClosed };

struct Task {
  std::string id;  // deterministic: derived from what the task is about
  TaskKind kind = TaskKind::kManualJournaling;
  TaskStatus status = TaskStatus::kOpen;
  std::string case_id;
  std::string document_id;    // manual journaling: the document waiting
  std::string document_type;  // missing documentation: the type awaited
  std::string awaited_from;   // missing documentation: citizen, employer, doctor
  std::string cover_id;       // missing documentation: cover sheet for the request letter
  std::string unit;
  std::string reason;
  std::string created_at;
  std::string closed_at;
};

struct QuarantineEntry {
  std::string id;
  std::string batch;
  std::string file;
  int page = 0;  // 1-based; 0 when the whole file was refused
  std::string reason;
  std::string blob_key;  // the page image or the file's bytes, when they could be kept
  std::string time;
};

struct Event {
  uint64_t seq = 0;
  std::string time;
  std::string actor;
  std::string action;
  std::string object;
  std::string detail;
};

std::string ToString(CaseStatus s);
std::string ToString(CoverSheetKind k);
std::string ToString(LinkMethod m);
std::string ToString(TaskKind k);
std::string ToString(TaskStatus s);
bool ParseCoverSheetKind(const std::string& s, CoverSheetKind* out);

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
void to_json(nlohmann::json& j, const Event& v);
void from_json(const nlohmann::json& j, Event& v);

// "3,4,7": page numbers for people and for event details.
std::string JoinPages(const std::vector<int>& pages);

// Current time as ISO 8601 UTC with seconds ("2026-11-22T10:00:00Z").
std::string NowUtc();
// Masks a person id for logs and reports: the birth date stays, the rest is starred.
std::string MaskPersonId(const std::string& person_id);

}  // namespace postmottak

#endif  // POSTMOTTAK_STORAGE_RECORDS_H_

#include "storage/records.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "storage/enum_names.h"

namespace postmottak {

using nlohmann::json;

namespace {

const char* const kCaseStatus[] = {"awaiting_documentation", "ready_for_decision", "closed"};
const char* const kCoverKind[] = {"application", "follow_up", "loose_mail"};
const char* const kLinkMethod[] = {"none", "cover_sheet", "text", "manual", "scan_metadata"};
const char* const kTaskKind[] = {"missing_documentation", "ready_for_decision", "manual_journaling",
                                 "manual_reading",        "handover",           "notice",
                                 "decide_as_it_stands"};
const char* const kTaskStatus[] = {"open", "closed"};
const char* const kQuarantineStatus[] = {"held", "retried", "released"};
const char* const kDisposition[] = {"journaled", "blank",     "cover_sheet",
                                    "separator", "duplicate", "quarantined"};

template <typename T>
void Get(const json& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it != j.end() && !it->is_null()) it->get_to(out);
}
}  // namespace

std::string ToString(CaseStatus s) { return EnumName(s, kCaseStatus); }
std::string ToString(CoverSheetKind k) { return EnumName(k, kCoverKind); }
std::string ToString(LinkMethod m) { return EnumName(m, kLinkMethod); }
std::string ToString(TaskKind k) { return EnumName(k, kTaskKind); }
std::string ToString(TaskStatus s) { return EnumName(s, kTaskStatus); }
std::string ToString(QuarantineStatus s) { return EnumName(s, kQuarantineStatus); }
std::string ToString(PageDisposition d) { return EnumName(d, kDisposition); }

std::string LedgerKey(const std::string& batch, int file_index, int page) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "/%06d/%06d", file_index, page);
  return batch + buf;
}

std::string LedgerFilePrefix(const std::string& batch, int file_index) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "/%06d/", file_index);
  return batch + buf;
}

std::string LedgerBatchPrefix(const std::string& batch) { return batch + "/"; }

bool IsValidBatchName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '.') return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      return false;
  return true;
}

bool ParseCoverSheetKind(const std::string& s, CoverSheetKind* out) {
  return ParseEnum(s, kCoverKind, out);
}

bool IsOverdue(const Case& c, const std::string& now) {
  return c.status != CaseStatus::kClosed && !c.due.empty() && c.due < now.substr(0, 10);
}

bool IsValidUnit(const std::string& unit) {
  return unit.size() == 4 &&
         std::all_of(unit.begin(), unit.end(), [](unsigned char c) { return std::isdigit(c); });
}

void to_json(json& j, const Case& v) {
  j = json{{"id", v.id},
           {"person_id", v.person_id},
           {"person_name", v.person_name},
           {"area", v.area},
           {"unit", v.unit},
           {"status", ToString(v.status)},
           {"required", v.required},
           {"due", v.due},
           {"created_at", v.created_at},
           {"closed_at", v.closed_at},
           {"handovers", v.handovers},
           {"letters", v.letters},
           {"ready_at", v.ready_at}};
}
void from_json(const json& j, Case& v) {
  Get(j, "id", v.id);
  Get(j, "person_id", v.person_id);
  Get(j, "person_name", v.person_name);
  Get(j, "area", v.area);
  Get(j, "unit", v.unit);
  v.status = EnumValue(j.value("status", ""), kCaseStatus, CaseStatus::kAwaitingDocumentation);
  Get(j, "required", v.required);
  Get(j, "due", v.due);
  Get(j, "created_at", v.created_at);
  Get(j, "closed_at", v.closed_at);
  Get(j, "handovers", v.handovers);
  Get(j, "letters", v.letters);
  Get(j, "ready_at", v.ready_at);
}

void to_json(json& j, const CoverSheet& v) {
  j = json{{"id", v.id},
           {"kind", ToString(v.kind)},
           {"case_id", v.case_id},
           {"person_id", v.person_id},
           {"person_name", v.person_name},
           {"area", v.area},
           {"title", v.title},
           {"expected", v.expected},
           {"unit", v.unit},
           {"language", v.language},
           {"issued_at", v.issued_at},
           {"issued_by", v.issued_by}};
}
void from_json(const json& j, CoverSheet& v) {
  Get(j, "id", v.id);
  v.kind = EnumValue(j.value("kind", ""), kCoverKind, CoverSheetKind::kFollowUp);
  Get(j, "case_id", v.case_id);
  Get(j, "person_id", v.person_id);
  Get(j, "person_name", v.person_name);
  Get(j, "area", v.area);
  Get(j, "title", v.title);
  Get(j, "expected", v.expected);
  Get(j, "unit", v.unit);
  Get(j, "language", v.language);
  Get(j, "issued_at", v.issued_at);
  Get(j, "issued_by", v.issued_by);
}

void to_json(json& j, const StoredPage& v) {
  j = json{{"blob_key", v.blob_key},       {"format", v.format},          {"sha256", v.sha256},
           {"source_page", v.source_page}, {"rotation", v.rotation},      {"skew", v.skew},
           {"rendered", v.rendered},       {"text_source", v.text_source}};
}
void from_json(const json& j, StoredPage& v) {
  Get(j, "blob_key", v.blob_key);
  Get(j, "format", v.format);
  Get(j, "sha256", v.sha256);
  Get(j, "source_page", v.source_page);
  Get(j, "rotation", v.rotation);
  Get(j, "skew", v.skew);
  Get(j, "rendered", v.rendered);
  Get(j, "text_source", v.text_source);
}

void to_json(json& j, const Document& v) {
  j = json{{"id", v.id},
           {"type", v.type},
           {"case_id", v.case_id},
           {"also_cases", v.also_cases},
           {"linked_by", ToString(v.linked_by)},
           {"link_evidence", v.link_evidence},
           {"linked_at", v.linked_at},
           {"linked_actor", v.linked_actor},
           {"batch", v.batch},
           {"mail_piece", v.mail_piece},
           {"source", {{"file", v.source_file}, {"pages", v.source_pages}}},
           {"cover_id", v.cover_id},
           {"received_at", v.received_at},
           {"pipeline_version", v.pipeline_version},
           {"pages", v.pages},
           {"pdf_blob", v.pdf_blob},
           {"pdf_sha256", v.pdf_sha256},
           {"original_blob", v.original_blob},
           {"original_sha256", v.original_sha256},
           {"unread", v.unread},
           {"content_hash", v.content_hash},
           {"text", v.text},
           {"ocr_pending", v.ocr_pending},
           {"person_ids", v.person_ids},
           {"case_numbers", v.case_numbers},
           {"dates", v.dates}};
  if (!v.vendor.external_ref.empty()) j["vendor"] = v.vendor;
}
void from_json(const json& j, Document& v) {
  Get(j, "id", v.id);
  Get(j, "type", v.type);
  Get(j, "case_id", v.case_id);
  Get(j, "also_cases", v.also_cases);
  v.linked_by = EnumValue(j.value("linked_by", ""), kLinkMethod, LinkMethod::kNone);
  Get(j, "link_evidence", v.link_evidence);
  Get(j, "linked_at", v.linked_at);
  Get(j, "linked_actor", v.linked_actor);
  Get(j, "batch", v.batch);
  Get(j, "mail_piece", v.mail_piece);
  if (j.contains("source")) {
    Get(j["source"], "file", v.source_file);
    Get(j["source"], "pages", v.source_pages);
  }
  Get(j, "cover_id", v.cover_id);
  Get(j, "received_at", v.received_at);
  Get(j, "pipeline_version", v.pipeline_version);
  Get(j, "pages", v.pages);
  Get(j, "pdf_blob", v.pdf_blob);
  Get(j, "pdf_sha256", v.pdf_sha256);
  Get(j, "original_blob", v.original_blob);
  Get(j, "original_sha256", v.original_sha256);
  Get(j, "unread", v.unread);
  Get(j, "content_hash", v.content_hash);
  Get(j, "text", v.text);
  Get(j, "ocr_pending", v.ocr_pending);
  Get(j, "person_ids", v.person_ids);
  Get(j, "case_numbers", v.case_numbers);
  Get(j, "dates", v.dates);
  Get(j, "vendor", v.vendor);
}

void to_json(json& j, const BatchFile& v) {
  j = json{{"name", v.name},   {"size", v.size},   {"sha256", v.sha256},
           {"pages", v.pages}, {"error", v.error}, {"duplicate_of", v.duplicate_of}};
  if (!v.vendor.delivery.empty()) j["vendor"] = v.vendor;
  if (!v.refused.empty()) j["refused"] = v.refused;
}
void from_json(const json& j, BatchFile& v) {
  Get(j, "name", v.name);
  Get(j, "size", v.size);
  Get(j, "sha256", v.sha256);
  Get(j, "pages", v.pages);
  Get(j, "error", v.error);
  Get(j, "duplicate_of", v.duplicate_of);
  Get(j, "vendor", v.vendor);
  Get(j, "refused", v.refused);
}

void to_json(json& j, const Task& v) {
  j = json{{"id", v.id},
           {"kind", ToString(v.kind)},
           {"status", ToString(v.status)},
           {"case_id", v.case_id},
           {"document_id", v.document_id},
           {"quarantine_id", v.quarantine_id},
           {"document_type", v.document_type},
           {"awaited_from", v.awaited_from},
           {"cover_id", v.cover_id},
           {"letter_id", v.letter_id},
           {"category", v.category},
           {"holder", v.holder},
           {"held_since", v.held_since},
           {"unit", v.unit},
           {"reason", v.reason},
           {"created_at", v.created_at},
           {"closed_at", v.closed_at}};
}
void from_json(const json& j, Task& v) {
  Get(j, "id", v.id);
  v.kind = EnumValue(j.value("kind", ""), kTaskKind, TaskKind::kManualJournaling);
  v.status = EnumValue(j.value("status", ""), kTaskStatus, TaskStatus::kOpen);
  Get(j, "case_id", v.case_id);
  Get(j, "document_id", v.document_id);
  Get(j, "quarantine_id", v.quarantine_id);
  Get(j, "document_type", v.document_type);
  Get(j, "awaited_from", v.awaited_from);
  Get(j, "cover_id", v.cover_id);
  Get(j, "letter_id", v.letter_id);
  Get(j, "category", v.category);
  Get(j, "holder", v.holder);
  Get(j, "held_since", v.held_since);
  Get(j, "unit", v.unit);
  Get(j, "reason", v.reason);
  Get(j, "created_at", v.created_at);
  Get(j, "closed_at", v.closed_at);
}

void to_json(json& j, const QuarantineEntry& v) {
  j = json{{"id", v.id},
           {"batch", v.batch},
           {"file", v.file},
           {"page", v.page},
           {"reason", v.reason},
           {"blob_key", v.blob_key},
           {"sha256", v.sha256},
           {"time", v.time},
           {"status", ToString(v.status)},
           {"resolution", v.resolution},
           {"resolved_by", v.resolved_by},
           {"resolved_at", v.resolved_at},
           {"task_id", v.task_id},
           {"history", v.history}};
}
void from_json(const json& j, QuarantineEntry& v) {
  Get(j, "id", v.id);
  Get(j, "batch", v.batch);
  Get(j, "file", v.file);
  Get(j, "page", v.page);
  Get(j, "reason", v.reason);
  Get(j, "blob_key", v.blob_key);
  Get(j, "sha256", v.sha256);
  Get(j, "time", v.time);
  std::string status;
  Get(j, "status", status);
  v.status = EnumValue(status, kQuarantineStatus, QuarantineStatus::kHeld);
  Get(j, "resolution", v.resolution);
  Get(j, "resolved_by", v.resolved_by);
  Get(j, "resolved_at", v.resolved_at);
  Get(j, "task_id", v.task_id);
  Get(j, "history", v.history);
}

void to_json(json& j, const LedgerEntry& v) {
  j = json{{"id", v.id},
           {"batch", v.batch},
           {"file_index", v.file_index},
           {"file", v.file},
           {"page", v.page},
           {"disposition", ToString(v.disposition)},
           {"document", v.document},
           {"case_id", v.case_id},
           {"quarantine", v.quarantine},
           {"sha256", v.sha256},
           {"detail", v.detail},
           {"time", v.time}};
}
void from_json(const json& j, LedgerEntry& v) {
  Get(j, "id", v.id);
  Get(j, "batch", v.batch);
  Get(j, "file_index", v.file_index);
  Get(j, "file", v.file);
  Get(j, "page", v.page);
  std::string d;
  Get(j, "disposition", d);
  v.disposition = EnumValue(d, kDisposition, PageDisposition::kQuarantined);
  Get(j, "document", v.document);
  Get(j, "case_id", v.case_id);
  Get(j, "quarantine", v.quarantine);
  Get(j, "sha256", v.sha256);
  Get(j, "detail", v.detail);
  Get(j, "time", v.time);
}

std::string JoinPages(const std::vector<int>& pages) {
  std::string out;
  for (int p : pages) out += (out.empty() ? "" : ",") + std::to_string(p);
  return out;
}

std::string NowUtc() { return UtcIso(std::time(nullptr)); }

std::string UtcIso(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string AddDays(const std::string& iso, int days) {
  std::tm tm{};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return "";
  const time_t t = timegm(&tm) + static_cast<time_t>(days) * 86400;
  std::tm out{};
  gmtime_r(&t, &out);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &out);
  return buf;
}

std::string MaskPersonId(const std::string& person_id) {
  if (person_id.size() != 11) return std::string(person_id.size(), '*');
  return person_id.substr(0, 6) + "*****";
}

}  // namespace postmottak

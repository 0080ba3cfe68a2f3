#include "pipeline/services/public_records.h"

#include <algorithm>
#include <utility>

namespace postmottak {

DocumentRecord RecordOf(const Document& d) {
  DocumentRecord r;
  r.id = d.id;
  r.type = d.type;
  r.case_id = d.case_id;
  r.also_cases = d.also_cases;
  r.linked_by = d.linked_by == LinkMethod::kNone ? "" : ToString(d.linked_by);
  r.link_evidence = d.link_evidence;
  r.linked_at = d.linked_at;
  r.linked_actor = d.linked_actor;
  r.received_at = d.received_at;
  r.batch = d.batch;
  r.mail_piece = d.mail_piece;
  r.source_file = d.source_file;
  r.source_pages = d.source_pages;
  r.cover_id = d.cover_id;
  r.pipeline_version = d.pipeline_version;
  r.content_hash = d.content_hash;
  r.pdf_sha256 = d.pdf_blob.empty() ? "" : d.pdf_sha256;
  r.person_ids = d.person_ids;
  r.text = d.text;
  r.unread = !d.unread.empty();
  const ScanMetadata& m = d.vendor.metadata;
  r.channel = m.channel;
  r.date_received = m.received;
  r.endorser = m.endorser;
  r.post_box = m.post_box;
  r.delivery = d.vendor.delivery;
  r.external_ref = d.vendor.external_ref;
  return r;
}

std::vector<DocumentRecord> RecordsOf(const std::vector<Document>& documents) {
  std::vector<DocumentRecord> out;
  out.reserve(documents.size());
  for (const auto& d : documents) out.push_back(RecordOf(d));
  return out;
}

TaskRecord RecordOf(const Task& t) {
  TaskRecord r;
  r.id = t.id;
  r.kind = ToString(t.kind);
  r.status = ToString(t.status);
  r.case_id = t.case_id;
  r.document_id = t.document_id;
  r.quarantine_id = t.quarantine_id;
  r.document_type = t.document_type;
  r.awaited_from = t.awaited_from;
  r.letter_id = t.letter_id;
  r.category = t.category;
  r.holder = t.holder;
  r.held_since = t.held_since;
  r.unit = t.unit;
  r.reason = t.reason;
  r.created_at = t.created_at;
  r.closed_at = t.closed_at;
  return r;
}

CaseRecord RecordOf(const Case& c) {
  CaseRecord r;
  r.id = c.id;
  r.person_id = c.person_id;
  r.person_name = c.person_name;
  r.area = c.area;
  r.unit = c.unit;
  r.status = ToString(c.status);
  r.due = c.due;
  r.created_at = c.created_at;
  r.closed_at = c.closed_at;
  r.handovers = c.handovers;
  r.letters = c.letters;
  r.ready_at = c.ready_at;
  r.overdue = IsOverdue(c, NowUtc());
  return r;
}

CaseRecord RecordOf(const CaseView& view) {
  CaseRecord r = RecordOf(view.c);
  for (const auto& item : view.checklist.items) r.checklist.push_back({item.type, item.documents});
  r.missing = view.checklist.missing;
  r.documents = RecordsOf(view.documents);
  for (const auto& t : view.tasks) r.tasks.push_back(RecordOf(t));
  r.basis = view.basis;
  return r;
}

CoverSheetRecord RecordOf(const CoverSheet& sheet, std::string pdf) {
  CoverSheetRecord r;
  r.id = sheet.id;
  r.case_id = sheet.case_id;
  r.area = sheet.area;
  r.title = sheet.title;
  r.expected = sheet.expected;
  r.unit = sheet.unit;
  r.issued_at = sheet.issued_at;
  r.pdf = std::move(pdf);
  return r;
}

BatchRecord RecordOf(const Batch& b) {
  BatchRecord r;
  r.id = b.id;
  r.created_at = b.created_at;
  r.created_by = b.created_by;
  r.files = static_cast<int>(b.files.size());
  for (const auto& f : b.files) r.pages += std::max(0, f.pages);
  r.runs = b.runs;
  r.complete = b.complete;
  r.completed_at = b.completed_at;
  r.has_manifest = b.has_manifest;
  return r;
}

QuarantineRecord RecordOf(const QuarantineEntry& q) {
  QuarantineRecord r;
  r.id = q.id;
  r.batch = q.batch;
  r.file = q.file;
  r.page = q.page;
  r.reason = q.reason;
  r.status = ToString(q.status);
  r.time = q.time;
  r.kept = !q.blob_key.empty();
  r.sha256 = q.sha256;
  r.resolution = q.resolution;
  r.resolved_by = q.resolved_by;
  r.resolved_at = q.resolved_at;
  r.task_id = q.task_id;
  for (const auto& h : q.history) r.history.push_back({h.time, h.actor, h.reason});
  return r;
}

AuditEntryRecord RecordOf(const Event& e) {
  return {e.seq,    e.time,    e.principal, e.unit,   e.domain, e.action,
          e.object, e.purpose, e.case_id,   e.detail, e.hash};
}

RetentionSummary SummaryOf(const RetentionReport& report, bool dry_run) {
  RetentionSummary s;
  s.dry_run = dry_run;
  s.cases_examined = report.cases_examined;
  s.cases_kept = report.cases_kept;
  s.documents = report.documents;
  s.pages = report.pages;
  s.bytes = report.bytes;
  for (const auto& t : report.deleted) {
    DeletedCaseRecord d;
    d.id = t.id;
    d.area = t.area;
    d.unit = t.unit;
    d.closed_at = t.closed_at;
    d.retention_days = t.retention_days;
    for (const auto& doc : t.documents) d.documents.push_back({doc.id, doc.type, doc.pages});
    d.cover_sheets = static_cast<int>(t.cover_sheets.size());
    d.tasks = static_cast<int>(t.tasks.size());
    d.bytes = t.bytes;
    s.deleted.push_back(std::move(d));
  }
  return s;
}

}  // namespace postmottak

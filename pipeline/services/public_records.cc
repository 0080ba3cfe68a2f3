#include "pipeline/services/public_records.h"

namespace postmottak {

DocumentRecord RecordOf(const Document& d) {
  DocumentRecord r;
  r.id = d.id;
  r.type = d.type;
  r.case_id = d.case_id;
  r.linked_by = d.linked_by == LinkMethod::kNone ? "" : ToString(d.linked_by);
  r.link_evidence = d.link_evidence;
  r.received_at = d.received_at;
  r.batch = d.batch;
  r.source_file = d.source_file;
  r.source_pages = d.source_pages;
  r.person_ids = d.person_ids;
  r.text = d.text;
  r.unread = !d.unread.empty();
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
  r.document_type = t.document_type;
  r.awaited_from = t.awaited_from;
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

}  // namespace postmottak

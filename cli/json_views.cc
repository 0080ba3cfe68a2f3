#include "cli/json_views.h"

#include <sstream>

#include "pipeline/config/rules.h"
#include "storage/records.h"

namespace postmottak {

using nlohmann::json;

json BatchJson(const BatchRecord& b) {
  return {{"id", b.id},
          {"created_at", b.created_at},
          {"created_by", b.created_by},
          {"files", b.files},
          {"pages", b.pages},
          {"runs", b.runs},
          {"complete", b.complete},
          {"completed_at", b.completed_at},
          {"manifest", b.has_manifest}};
}

namespace {

json AccountJson(const PageAccount& a) {
  return {{"file", a.file},         {"page", a.page},       {"status", a.status},
          {"document", a.document}, {"case_id", a.case_id}, {"quarantine", a.quarantine},
          {"detail", a.detail}};
}

}  // namespace

json ReconciliationJson(const Reconciliation& r) {
  json pages = json::array(), missing = json::array();
  for (const auto& a : r.pages) pages.push_back(AccountJson(a));
  for (const auto& a : r.missing) missing.push_back(AccountJson(a));
  return {{"batch", r.batch},
          {"files", r.files},
          {"pages_expected", r.pages_expected},
          {"intake_complete", r.intake_complete},
          {"counts", r.counts},
          {"missing", missing},
          {"checked_manifest", r.checked_manifest},
          {"manifest_problems", r.manifest_problems},
          {"balanced", r.balanced()},
          {"pages", pages}};
}

json AuditCheckJson(const AuditCheck& c, size_t anchors) {
  return {{"entries", c.entries},
          {"head", {{"seq", c.head_seq}, {"hash", c.head_hash}}},
          {"anchors", anchors},
          {"problems", c.problems},
          {"intact", c.ok()}};
}

json FollowUpJson(const FollowUpReport& r) {
  return {{"cases_waiting", r.cases},
          {"reminders", r.reminders},
          {"escalated", r.escalated},
          {"failed", r.failed}};
}

json CoverSheetJson(const CoverSheetRecord& c) {
  return {{"id", c.id},
          {"case_id", c.case_id},
          {"area", c.area},
          {"title", c.title},
          {"expected", c.expected},
          {"unit", c.unit},
          {"issued_at", c.issued_at}};
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

json CaseJson(const CaseRecord& c) {
  return {{"id", c.id},
          {"person_id", c.person_id},
          {"person_name", c.person_name},
          {"area", c.area},
          {"unit", c.unit},
          {"status", c.status},
          {"due", c.due},
          {"created_at", c.created_at},
          {"ready_at", c.ready_at},
          {"overdue", c.overdue},
          {"closed_at", c.closed_at}};
}

json CaseDetailJson(const CaseRecord& c,
                    const std::function<std::string(const std::string&)>& title_of) {
  json checklist = json::array(), documents = json::array(), tasks = json::array();
  for (const auto& item : c.checklist)
    checklist.push_back({{"type", item.type},
                         {"title", title_of(item.type)},
                         {"received", !item.documents.empty()},
                         {"documents", item.documents}});
  for (const auto& d : c.documents) {
    json j = DocumentSummary(d);
    j["title"] = d.type.empty() ? "" : title_of(d.type);
    documents.push_back(std::move(j));
  }
  for (const auto& t : c.tasks) {
    json j = TaskJson(t);
    if (!t.document_type.empty()) j["document_title"] = title_of(t.document_type);
    tasks.push_back(std::move(j));
  }
  json handovers = json::array(), letters = json::array();
  for (const auto& h : c.handovers) handovers.push_back(HandoverJson(h));
  for (const auto& l : c.letters) letters.push_back(LetterJson(l));
  return {{"case", CaseJson(c)},    {"access", c.basis},      {"checklist", checklist},
          {"missing", c.missing},   {"documents", documents}, {"tasks", tasks},
          {"handovers", handovers}, {"letters", letters}};
}

json DocumentSummary(const DocumentRecord& d) {
  return {{"id", d.id},
          {"type", d.type},
          {"case_id", d.case_id},
          {"also_cases", d.also_cases},
          {"linked_by", d.linked_by},
          {"link_evidence", d.link_evidence},
          {"source", {{"file", d.source_file}, {"pages", d.source_pages}}},
          {"batch", d.batch},
          {"received_at", d.received_at}};
}

json DocumentJson(const DocumentRecord& d) {
  json j = DocumentSummary(d);
  j["linked_at"] = d.linked_at;
  j["linked_actor"] = d.linked_actor;
  j["mail_piece"] = d.mail_piece;
  j["cover_id"] = d.cover_id;
  j["pipeline_version"] = d.pipeline_version;
  j["content_hash"] = d.content_hash;
  j["pdf_sha256"] = d.pdf_sha256;
  j["person_ids"] = d.person_ids;
  j["unread"] = d.unread;
  j["text"] = d.text;
  if (!d.external_ref.empty())
    j["vendor"] = {{"channel", d.channel},   {"date_received", d.date_received},
                   {"endorser", d.endorser}, {"post_box", d.post_box},
                   {"delivery", d.delivery}, {"external_ref", d.external_ref}};
  return j;
}

json TaskJson(const TaskRecord& t) {
  return {{"id", t.id},
          {"kind", t.kind},
          {"status", t.status},
          {"case_id", t.case_id},
          {"document_id", t.document_id},
          {"quarantine_id", t.quarantine_id},
          {"document_type", t.document_type},
          {"awaited_from", t.awaited_from},
          {"letter_id", t.letter_id},
          {"category", t.category},
          {"unit", t.unit},
          {"holder", t.holder},
          {"held_since", t.held_since},
          {"reason", t.reason},
          {"created_at", t.created_at},
          {"closed_at", t.closed_at}};
}

json HandoverJson(const HandoverRecord& h) { return h; }

json LetterJson(const LetterRecord& l) { return l; }

json QuarantineJson(const QuarantineRecord& q) {
  json history = json::array();
  for (const auto& h : q.history)
    history.push_back({{"time", h.time}, {"actor", h.actor}, {"reason", h.reason}});
  return {{"id", q.id},
          {"batch", q.batch},
          {"file", q.file},
          {"page", q.page},
          {"reason", q.reason},
          {"status", q.status},
          {"time", q.time},
          {"kept", q.kept},
          {"sha256", q.sha256},
          {"resolution", q.resolution},
          {"resolved_by", q.resolved_by},
          {"resolved_at", q.resolved_at},
          {"task_id", q.task_id},
          {"history", history}};
}

// GrantRecord and HandoverRecord are the stored records too (storage/records.h):
// their JSON is their fields by name, as stored.
json GrantJson(const GrantRecord& g) { return g; }

json AuditEntryJson(const AuditEntryRecord& e) {
  return {{"seq", e.seq},       {"time", e.time},       {"principal", e.principal},
          {"unit", e.unit},     {"domain", e.domain},   {"action", e.action},
          {"object", e.object}, {"purpose", e.purpose}, {"case_id", e.case_id},
          {"detail", e.detail}, {"hash", e.hash}};
}

json TimelineEntryJson(const TimelineEntry& e) {
  return {{"at", e.at},     {"what", e.what}, {"object", e.object},
          {"unit", e.unit}, {"by", e.by},     {"detail", e.detail}};
}

json CaseStatusJson(const CaseStatusRecord& r) {
  return {{"case_id", r.case_id},
          {"area", r.area},
          {"unit", r.unit},
          {"unit_name", r.unit_name},
          {"status", r.status},
          {"since", r.since},
          {"holders", r.holders},
          {"awaiting_from", r.awaiting_from},
          {"awaiting_since", r.awaiting_since},
          {"due", r.due},
          {"overdue", r.overdue}};
}

json StatisticsJson(const StatisticsReport& r) {
  auto days = [](double d) { return d < 0 ? json() : json(d); };
  json flow = json::array(), units = json::object();
  for (const auto& f : r.flow)
    flow.push_back({{"unit", f.unit},
                    {"area", f.area},
                    {"received", f.received},
                    {"received_per_day", f.received_per_day},
                    {"ready_for_decision", f.ready_for_decision},
                    {"awaiting_documentation", f.awaiting_documentation},
                    {"awaiting_from", f.awaiting_from},
                    {"overdue", f.overdue},
                    {"became_ready", f.became_ready},
                    {"median_days_to_ready", days(f.median_days_to_ready)},
                    {"p90_days_to_ready", days(f.p90_days_to_ready)},
                    {"closed", f.closed}});
  for (const auto& [unit, u] : r.units)
    units[unit] = {{"cases_awaiting_documentation", u.awaiting_documentation},
                   {"awaiting_from", u.awaiting_from},
                   {"cases_ready_for_decision", u.ready_for_decision},
                   {"decision_backlog", u.ready_for_decision},
                   {"cases_overdue", u.overdue},
                   {"cases_closed", u.closed},
                   {"open_tasks", u.open_tasks}};
  return {{"since", r.since}, {"until", r.until}, {"flow", flow}, {"units", units}};
}

std::string DocumentTitle(const Rules& rules, const std::string& type) {
  return rules.DocumentType(type) ? rules.TitleOf(type) : "";
}

json LinkSuggestionJson(const LinkSuggestion& s, const Rules& rules) {
  json candidates = json::array();
  for (const auto& c : s.candidates) {
    json awaits = json::array();
    for (const auto& type : c.awaits)
      awaits.push_back({{"type", type}, {"title", DocumentTitle(rules, type)}});
    const AreaRule* area = rules.Area(c.area);
    const UnitRule* unit = rules.Unit(c.unit);
    candidates.push_back({{"case_id", c.case_id},
                          {"person_id", c.person_id},
                          {"person_name", c.person_name},
                          {"area", c.area},
                          {"area_name", area ? area->name : ""},
                          {"unit", c.unit},
                          {"unit_name", unit ? unit->name : ""},
                          {"status", c.status},
                          {"created_at", c.created_at},
                          {"awaits", awaits},
                          {"evidence", c.evidence}});
  }
  return {{"document_id", s.document_id},
          {"document_type", s.document_type},
          {"document_title", DocumentTitle(rules, s.document_type)},
          {"person_ids", s.person_ids},
          {"case_numbers", s.case_numbers},
          {"cover_id", s.cover_id},
          {"reason", s.reason},
          {"candidates", candidates}};
}

}  // namespace postmottak

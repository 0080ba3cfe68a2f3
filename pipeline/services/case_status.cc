// Where is it: a case's timeline and the status view (DOMAIN.md: the local office,
// which must answer the citizen, could not see where a case was or who had it; cases
// "disappeared" into the pension system).
//
// The timeline is read from the case's own audit entries (the audit_case index): every
// write about the case, its documents and tasks is there already, with unit, principal
// and time, so the timeline cannot disagree with the trail. Reads are left out.
//
// The status view crosses units on purpose: the local office sees a case the back
// office holds. It stays within the principal's domain (state or municipal) and shows no
// content at all: no document, type, text or name; only unit, status, holders, what it
// waits for (from whom, since when) and the expected decision date.
#include <algorithm>
#include <map>

#include "codecs/check_digits.h"
#include "pipeline/services/case_service.h"
#include "pipeline/stages/extraction.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace {

// The audit actions that are steps of a case's life, and what the timeline calls them.
const std::map<std::string, std::string>& TimelineSteps() {
  static const std::map<std::string, std::string> steps = {
      {"add_case", "registered"},
      {"issue_cover_sheet", "cover_sheet_issued"},
      {"cover_sheet", "cover_sheet_received"},
      {"journal_document", "document_journaled"},
      {"link_document", "document_linked"},
      {"link_also", "document_linked_also"},
      {"raise_notice", "notice_raised"},
      {"write_letter", "letter_written"},
      {"escalate", "escalated"},
      {"case_status", "status"},
      {"open_task", "task_opened"},
      {"move_task", "task_moved"},
      {"take_task", "task_taken"},
      {"release_task", "task_released"},
      {"finish_task", "task_finished"},
      {"close_task", "task_closed"},
      {"transfer_case", "transferred"},
      {"return_case", "returned"},
      {"grant_access", "access_granted"},
      {"revoke_grant", "access_revoked"},
      {"close_case", "closed"},
  };
  return steps;
}

// When the case came to its present unit: its last handover, else its registration.
std::string InUnitSince(const Case& c) {
  return c.handovers.empty() ? c.created_at : c.handovers.back().at;
}

}  // namespace

Result<std::vector<TimelineEntry>> CaseService::Timeline(const std::string& case_id) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kReadCases, "read case timelines"));
  std::vector<TimelineEntry> out;
  PM_RETURN_IF_ERROR(OnCase(case_id, [&](Change& view, Case&, const Judgement& j) {
    for (const auto& [seq, unused] : store_->ScanIndex(index_keys::AuditByCase(case_id))) {
      auto e = store_->GetEvent(seq);
      if (!e.ok()) return e.status();  // `audit verify` says which entry and why
      auto step = TimelineSteps().find(e->action);
      if (step == TimelineSteps().end()) continue;
      out.push_back(
          {e->time, step->second, e->object, e->unit, e->principal, MaskPersonIdsIn(e->detail)});
    }
    view.Log("read_timeline", "case/" + case_id, ReadDetail(j.decision), j.about);
    return view.Commit();
  }));
  return out;
}

Result<std::vector<CaseStatusRecord>> CaseService::StatusOf(const std::string& person_or_case) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kCaseStatus, "see where cases are"));
  Change view = Begin();
  std::vector<Case> cases;
  const bool person = IsValidPersonId(person_or_case);
  if (person) {
    // Asking about a person concerns them, whatever is found.
    view.Log("status_person", "person", "", {"", person_or_case});
    for (const auto& [case_id, unused] : view.ScanIndex(index_keys::PersonCases(person_or_case)))
      if (auto c = view.Get<Case>(case_id); c.ok()) cases.push_back(std::move(c).value());
  } else {
    auto c = view.Get<Case>(person_or_case);
    if (!c.ok()) return Missing(c.status(), "case " + person_or_case);
    cases.push_back(std::move(c).value());
  }
  const std::string now = now_();
  std::vector<CaseStatusRecord> out;
  for (const auto& c : cases) {
    if (!policy_->InDomain(principal_, c.area)) continue;  // the divide holds here too
    CaseStatusRecord r;
    r.case_id = c.id;
    r.area = c.area;
    r.unit = c.unit;
    if (const UnitRule* u = rules_->Unit(c.unit)) r.unit_name = u->name;
    r.status = ToString(c.status);
    r.since = InUnitSince(c);
    r.due = c.due;
    r.overdue = IsOverdue(c, now);
    for (const auto& [task_id, unused] : view.ScanIndex(index_keys::CaseTasks(c.id))) {
      auto t = view.Get<Task>(task_id);
      if (!t.ok() || t->status != TaskStatus::kOpen) continue;
      if (!t->holder.empty() &&
          std::find(r.holders.begin(), r.holders.end(), t->holder) == r.holders.end())
        r.holders.push_back(t->holder);
      if (t->kind != TaskKind::kMissingDocumentation) continue;
      ++r.awaiting_from[t->awaited_from.empty() ? "citizen" : t->awaited_from];
      if (r.awaiting_since.empty() || t->created_at < r.awaiting_since)
        r.awaiting_since = t->created_at;
    }
    view.Log("read_status", "case/" + c.id, "status view: no content", {c.id, c.person_id});
    out.push_back(std::move(r));
  }
  PM_RETURN_IF_ERROR(view.Commit());
  if (!person && out.empty())
    return Deny("case/" + person_or_case,
                {false, "case " + person_or_case + " belongs to the other domain", ""},
                {person_or_case, cases.front().person_id});
  return out;
}

}  // namespace postmottak

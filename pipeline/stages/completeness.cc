#include "pipeline/stages/completeness.h"

#include <algorithm>
#include <map>

#include "pipeline/stages/cover_sheet.h"
#include "pipeline/stages/letters.h"
#include "storage/index_keys.h"

namespace postmottak {

std::string MissingTaskId(const std::string& case_id, const std::string& type) {
  return "missing-" + case_id + "-" + type;
}
std::string DecisionTaskId(const std::string& case_id) { return "decide-" + case_id; }
std::string JournalingTaskId(const std::string& document_id) { return "journal-" + document_id; }
std::string AsItStandsTaskId(const std::string& case_id) { return "as-it-stands-" + case_id; }

Checklist ChecklistOf(const Change& change, const Case& c) {
  Checklist list;
  std::vector<Document> docs;
  for (const auto& [doc_id, unused] : change.ScanIndex(index_keys::CaseDocuments(c.id))) {
    auto d = change.Get<Document>(doc_id);
    if (d.ok()) docs.push_back(std::move(d).value());
  }
  for (const auto& type : c.required) {
    Checklist::Item item;
    item.type = type;
    for (const auto& d : docs)
      if (d.type == type) item.documents.push_back(d.id);
    if (item.documents.empty()) list.missing.push_back(type);
    list.items.push_back(std::move(item));
  }
  return list;
}

namespace {

// Opens or closes a task, keeping its first creation time; returns true when it changed.
bool SetTask(Change& change, Task task, TaskStatus status, const Concerning& about) {
  auto existing = change.Get<Task>(task.id);
  if (existing.ok()) {
    if (existing->status == status) return false;
    task = std::move(existing).value();
  } else if (status == TaskStatus::kClosed) {
    return false;
  } else {
    task.created_at = NowUtc();
  }
  task.status = status;
  task.closed_at = status == TaskStatus::kClosed ? NowUtc() : "";
  change.Put(task);
  change.Log(status == TaskStatus::kOpen ? "open_task" : "close_task", "task/" + task.id,
             ToString(task.kind), about);
  return true;
}

}  // namespace

Result<CompletenessOutcome> EvaluateCase(Change& change, const Rules& rules,
                                         const std::string& case_id) {
  auto c_or = change.Get<Case>(case_id);
  if (!c_or.ok()) return c_or.status();
  Case c = std::move(c_or).value();
  CompletenessOutcome out;
  if (c.status == CaseStatus::kClosed) return out;
  const Concerning about{c.id, c.person_id};

  const Checklist list = ChecklistOf(change, c);
  std::vector<Task> to_raise;
  for (const auto& item : list.items) {
    Task t;
    t.id = MissingTaskId(c.id, item.type);
    t.kind = TaskKind::kMissingDocumentation;
    t.case_id = c.id;
    t.unit = c.unit;
    t.document_type = item.type;
    const DocumentTypeRule* rule = rules.DocumentType(item.type);
    t.awaited_from = rule ? rule->awaited_from : "citizen";
    t.reason = rules.TitleOf(item.type) + " is missing";
    if (!item.documents.empty()) {
      if (SetTask(change, t, TaskStatus::kClosed, about)) ++out.tasks_closed;
    } else {
      auto existing = change.Get<Task>(t.id);
      if (!existing.ok() || existing->status != TaskStatus::kOpen) to_raise.push_back(std::move(t));
    }
  }
  // One request letter per recipient for everything newly found missing, each with its
  // own cover sheet: the doctor's certificate comes back behind the doctor's sheet.
  std::map<std::string, std::vector<Task*>> by_recipient;
  for (auto& t : to_raise) by_recipient[t.awaited_from].push_back(&t);
  bool letters_written = false;
  for (auto& [recipient, tasks] : by_recipient) {
    CoverSheetRequest req;
    req.kind = CoverSheetKind::kFollowUp;
    req.case_id = c.id;
    for (const Task* t : tasks) req.expected.push_back(t->document_type);
    auto sheet = IssueCoverSheet(change, rules, req);
    if (!sheet.ok()) return sheet.status();
    const Letter letter =
        WriteLetter(change, rules, &c, "request", recipient, req.expected, sheet->id, NowUtc());
    out.letters.push_back(letter.id);
    letters_written = true;
    for (Task* t : tasks) {
      t->cover_id = sheet->id;
      t->letter_id = letter.id;
      if (SetTask(change, *t, TaskStatus::kOpen, about)) ++out.tasks_raised;
    }
  }

  Task decide;
  decide.id = DecisionTaskId(c.id);
  decide.kind = TaskKind::kReadyForDecision;
  decide.case_id = c.id;
  decide.unit = c.unit;
  decide.reason = "all required documents have arrived";
  const CaseStatus status =
      list.complete() ? CaseStatus::kReadyForDecision : CaseStatus::kAwaitingDocumentation;
  if (SetTask(change, decide, list.complete() ? TaskStatus::kOpen : TaskStatus::kClosed, about)) {
    list.complete() ? ++out.tasks_raised : ++out.tasks_closed;
  }
  if (list.complete()) {
    // What it was escalated for has come after all: nothing to decide as it stands.
    Task as_is;  // SetTask closes it when it exists, and raises nothing when it does not
    as_is.id = AsItStandsTaskId(c.id);
    if (SetTask(change, as_is, TaskStatus::kClosed, about)) ++out.tasks_closed;
  }
  bool changed = letters_written;
  if (c.status != status) {
    c.status = status;
    if (status == CaseStatus::kReadyForDecision) c.ready_at = NowUtc();
    change.Log("case_status", "case/" + c.id, ToString(status), about);
    changed = true;
  }
  if (changed) change.Put(c);
  return out;
}

}  // namespace postmottak

#include "pipeline/stages/follow_up.h"

#include <map>

#include "pipeline/stages/completeness.h"
#include "pipeline/stages/letters.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace {

const Letter* LetterOf(const Case& c, const std::string& id) {
  for (const auto& l : c.letters)
    if (l.id == id) return &l;
  return nullptr;
}

// A task from before letters were kept (no letter_id): its request counts from when the
// task was opened, behind the cover sheet it names.
Letter ImpliedRequest(const Task& t, const Rules& rules) {
  Letter l;
  l.kind = "request";
  l.recipient = t.awaited_from.empty() ? "citizen" : t.awaited_from;
  l.cover_id = t.cover_id;
  l.answer_by = AddDays(t.created_at, rules.response_days()).substr(0, 10);
  return l;
}

Task AsItStands(const Case& c, const std::vector<const Task*>& tasks, const Letter& reminder,
                const Rules& rules, const std::string& now) {
  std::string what;
  for (const Task* t : tasks) what += (what.empty() ? "" : ", ") + rules.TitleOf(t->document_type);
  Task task;
  task.id = AsItStandsTaskId(c.id);
  task.kind = TaskKind::kDecideAsItStands;
  task.case_id = c.id;
  task.unit = c.unit;
  task.reason = what + " did not come after the reminder " + reminder.id + " (answer by " +
                reminder.answer_by + "): decide on the case as it stands";
  task.created_at = now;
  return task;
}

}  // namespace

Result<FollowUpOutcome> FollowUpCase(Change& change, const Rules& rules, const std::string& case_id,
                                     const std::string& now) {
  auto c = change.Get<Case>(case_id);
  if (!c.ok()) return c.status();
  FollowUpOutcome out;
  if (c->status != CaseStatus::kAwaitingDocumentation) return out;
  const std::string today = now.substr(0, 10);
  const Concerning about{c->id, c->person_id};

  // Open missing-documentation tasks, by the letter that last asked for them.
  std::map<std::string, std::vector<Task>> by_letter;
  for (const auto& [task_id, unused] : change.ScanIndex(index_keys::CaseTasks(case_id))) {
    auto t = change.Get<Task>(task_id);
    if (!t.ok()) return t.status();
    if (t->kind == TaskKind::kMissingDocumentation && t->status == TaskStatus::kOpen)
      by_letter[t->letter_id.empty() ? "implied:" + t->awaited_from : t->letter_id].push_back(*t);
  }
  bool case_changed = false;
  for (auto& [letter_id, tasks] : by_letter) {
    const Letter* kept = LetterOf(*c, letter_id);
    const Letter last = kept ? *kept : ImpliedRequest(tasks.front(), rules);
    if (today <= last.answer_by) continue;  // still within its time
    if (last.kind == "request") {
      std::vector<std::string> documents;
      for (const auto& t : tasks) documents.push_back(t.document_type);
      const Letter reminder = WriteLetter(change, rules, &*c, "reminder", last.recipient, documents,
                                          last.cover_id, now);
      case_changed = true;
      out.reminders.push_back(reminder.id);
      for (auto& t : tasks) {
        t.letter_id = reminder.id;
        change.Put(t);
      }
      continue;
    }
    if (change.Get<Task>(AsItStandsTaskId(case_id)).ok()) continue;  // escalated once
    std::vector<const Task*> overdue;
    for (const auto& t : tasks) overdue.push_back(&t);
    const Task task = AsItStands(*c, overdue, last, rules, now);
    change.Put(task);
    change.Log("escalate", "task/" + task.id, task.reason, about);
    change.Log("open_task", "task/" + task.id, ToString(task.kind), about);
    out.escalated.push_back(task.id);
  }
  if (case_changed) change.Put(*c);
  return out;
}

}  // namespace postmottak

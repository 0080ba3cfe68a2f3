// Who holds a task: a caseworker takes it from the unit's queue (kontorbenk), so that
// two people do not work the same case, and releases it or finishes it. The queue is
// worked oldest first (TakeNextTask). Every step is an audit entry on the task's case.
#include "pipeline/services/case_service.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace {

// A task can be held only while it is open, and only from the holder's own unit's queue.
Status Workable(const Task& t, const Principal& p) {
  if (t.status != TaskStatus::kOpen)
    return Status::FailedPrecondition("task " + t.id + " is closed");
  if (t.unit != p.unit)
    return Status::FailedPrecondition("task " + t.id + " is in unit " + t.unit +
                                      "'s queue, not in unit " + p.unit + "'s");
  return Status::OK();
}

}  // namespace

Result<Task> CaseService::WorkTask(const std::string& task_id, const std::string& action,
                                   const std::function<Status(Task*)>& step) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kReadCases, "work tasks"));
  Judgement j;
  {
    Change change = Begin();
    auto t = change.Get<Task>(task_id);
    if (!t.ok()) return Missing(t.status(), "task " + task_id);
    j = JudgeTask(change, *t);
    if (j.decision.allowed) {
      PM_RETURN_IF_ERROR(step(&*t));
      change.Put(*t);
      change.Log(action, "task/" + task_id, j.decision.basis, j.about);
      PM_RETURN_IF_ERROR(change.Commit());
      return std::move(t).value();
    }
  }
  return Deny("task/" + task_id, j.decision, j.about);
}

Result<Task> CaseService::TakeTask(const std::string& task_id) {
  return WorkTask(task_id, "take_task", [this](Task* t) {
    PM_RETURN_IF_ERROR(Workable(*t, principal_));
    if (!t->holder.empty() && t->holder != principal_.id)
      return Status::FailedPrecondition("task " + t->id + " is held by " + t->holder + " since " +
                                        t->held_since);
    if (t->holder.empty()) {
      t->holder = principal_.id;
      t->held_since = NowUtc();
    }
    return Status::OK();
  });
}

Result<Task> CaseService::TakeNextTask() {
  TaskFilter filter;
  filter.unit = principal_.unit;
  filter.unheld_only = true;
  auto queue = ListTasks(filter);  // oldest first
  if (!queue.ok()) return queue.status();
  for (const auto& t : *queue) {
    auto taken = TakeTask(t.id);
    // Someone else may have taken it between the list and now: try the next.
    if (taken.ok() || !taken.status().IsFailedPrecondition()) return taken;
  }
  return Status::NotFound("no open task left in unit " + principal_.unit + "'s queue");
}

Result<Task> CaseService::ReleaseTask(const std::string& task_id) {
  return WorkTask(task_id, "release_task", [this](Task* t) {
    if (t->holder != principal_.id)
      return Status::FailedPrecondition("task " + t->id + " is not held by " + principal_.id);
    t->holder.clear();
    t->held_since.clear();
    return Status::OK();
  });
}

Result<Task> CaseService::FinishTask(const std::string& task_id) {
  return WorkTask(task_id, "finish_task", [this](Task* t) {
    PM_RETURN_IF_ERROR(Workable(*t, principal_));
    if (t->kind == TaskKind::kMissingDocumentation || t->kind == TaskKind::kManualJournaling)
      return Status::FailedPrecondition(
          "task " + t->id + " (" + ToString(t->kind) +
          ") closes by itself when the document arrives or is linked");
    if (t->holder != principal_.id)
      return Status::FailedPrecondition("task " + t->id + " is not held by " + principal_.id +
                                        ": take it first");
    t->status = TaskStatus::kClosed;
    t->closed_at = NowUtc();
    return Status::OK();
  });
}

}  // namespace postmottak

// Who holds a task: a caseworker takes it from the unit's queue (kontorbenk), so that
// two people do not work the same case, and releases it or finishes it. The queue is
// worked oldest first (TakeNextTask). Every step is an audit entry on the task's case.
#include <algorithm>
#include <utility>
#include <vector>

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
  PM_RETURN_IF_ERROR(Allowed(Permission::kReadCases, "work tasks"));
  // The unit's free open tasks, oldest first, straight from the queue's index: a list
  // read would audit every task in the queue each time someone takes one. TakeTask
  // judges and audits the one taken.
  std::vector<std::pair<std::string, std::string>> free;  // (created_at, id)
  {
    Change view = Begin();
    for (const auto& [id, unused] : view.ScanIndex(index_keys::UnitTasks(principal_.unit)))
      if (auto t = view.Get<Task>(id);
          t.ok() && t->status == TaskStatus::kOpen && t->holder.empty())
        free.emplace_back(t->created_at, id);
  }
  std::sort(free.begin(), free.end());
  for (const auto& [unused, id] : free) {
    auto taken = TakeTask(id);
    // Someone else may have taken it between the scan and now: try the next.
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

// Handover and return: a case moves to another unit without paper (DOMAIN.md: cases
// posted between the local office and the back office, returned by post, handed over
// with the wrong task category).
//
// A handover is one atomic change: the case's unit and its unit history, its open tasks
// moved to the receiving unit (the sender's handover task closed: the sender has done
// its part), and a handover task of the category in the receiving unit's queue. The
// category is checked against the rules, for the case's area and the receiving unit's
// kind, so a case cannot land with a task the unit does not do.
#include "pipeline/services/case_service.h"
#include "pipeline/stages/extraction.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace {

// The unit that handed the case to its present unit, or empty.
std::string Sender(const Case& c) {
  for (auto h = c.handovers.rbegin(); h != c.handovers.rend(); ++h)
    if (h->to == c.unit) return h->from;
  return "";
}

// Moves the case's open tasks from `from` to `to` in `change`; the sender's own
// handover tasks are done with and closed. Returns the number moved.
int MoveOpenTasks(Change& change, const Case& c, const std::string& from, const std::string& to,
                  const Concerning& about) {
  int moved = 0;
  for (const auto& [task_id, unused] : change.ScanIndex(index_keys::CaseTasks(c.id))) {
    auto t = change.Get<Task>(task_id);
    if (!t.ok() || t->status != TaskStatus::kOpen || t->unit != from) continue;
    if (t->kind == TaskKind::kHandover) {
      t->status = TaskStatus::kClosed;
      t->closed_at = NowUtc();
      change.Put(*t);
      change.Log("close_task", "task/" + t->id, "case handed on to unit " + to, about);
      continue;
    }
    t->unit = to;
    change.Put(*t);
    change.Log("move_task", "task/" + t->id, "from unit " + from + " to unit " + to, about);
    ++moved;
  }
  return moved;
}

}  // namespace

Result<Case> CaseService::TransferCase(const std::string& case_id, const std::string& to,
                                       const std::string& category, const std::string& reason) {
  if (to.empty()) return Status::InvalidArgument("a transfer needs the receiving unit");
  return HandOver("transfer", case_id, to, category, reason);
}

Result<Case> CaseService::ReturnCase(const std::string& case_id, const std::string& category,
                                     const std::string& reason) {
  return HandOver("return", case_id, "", category, reason);
}

Result<Case> CaseService::HandOver(const std::string& kind, const std::string& case_id,
                                   std::string to, const std::string& category,
                                   const std::string& reason) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kTransferCases, kind + " cases"));
  if (reason.find_first_not_of(" \t\n") == std::string::npos)
    return Status::InvalidArgument("a " + kind + " needs a reason: the receiving unit reads it");
  Case moved;
  PM_RETURN_IF_ERROR(OnCase(case_id, [&](Change& change, Case& c, const Judgement& j) {
    if (c.status == CaseStatus::kClosed)
      return Status::FailedPrecondition("case " + case_id + " is closed");
    if (kind == "return" && (to = Sender(c)).empty())
      return Status::FailedPrecondition("case " + case_id + " was not handed to unit " + c.unit +
                                        ": there is no unit to return it to");
    if (to == c.unit)
      return Status::InvalidArgument("case " + case_id + " is in unit " + to + " already");
    PM_RETURN_IF_ERROR(rules_->CheckHandover(c.area, to, category));
    const std::string from = c.unit;
    const std::string why = MaskPersonIdsIn(reason);  // free text: no person id in full
    const int n = MoveOpenTasks(change, c, from, to, j.about);
    Task t;
    t.id = "handover-" + c.id + "-" + std::to_string(c.handovers.size() + 1);
    t.kind = TaskKind::kHandover;
    t.case_id = c.id;
    t.category = category;
    t.unit = to;
    t.reason = rules_->Category(category)->title + ": " + why + " (" +
               (kind == "return" ? "returned" : "sent") + " by unit " + from + ")";
    t.created_at = NowUtc();
    change.Put(t);
    change.Log("open_task", "task/" + t.id, category, j.about);
    c.handovers.push_back({kind, from, to, category, why, principal_.id, t.created_at, t.id});
    c.unit = to;
    change.Put(c);
    change.Log(kind + "_case", "case/" + case_id,
               "from unit " + from + " to unit " + to + ", " + category + ": " + why + "; " +
                   std::to_string(n) + (n == 1 ? " open task moved" : " open tasks moved"),
               j.about);
    PM_RETURN_IF_ERROR(change.Commit());
    moved = Shown(c);
    return Status::OK();
  }));
  return moved;
}

}  // namespace postmottak

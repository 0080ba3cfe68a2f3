#include "pipeline/case_service.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "codecs/check_digits.h"

namespace postmottak {

bool IsValidRecordId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

bool IsValidDate(const std::string& date) {
  static const std::regex re(R"(([0-9]{4})-([0-9]{2})-([0-9]{2}))");
  std::smatch m;
  if (!std::regex_match(date, m, re)) return false;
  int month = std::stoi(m[2]), day = std::stoi(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

Result<Case> CaseService::AddCase(NewCase r) {
  if (!IsValidRecordId(r.id)) return Status::InvalidArgument("case id '" + r.id + "' is not valid");
  if (!IsValidPersonId(r.person_id))
    return Status::InvalidArgument("person id " + MaskPersonId(r.person_id) +
                                   " is not a valid national identity number");
  const AreaRule* area = rules_->Area(r.area);
  if (!area) return Status::InvalidArgument("unknown benefit area '" + r.area + "'");
  if (!IsValidUnit(r.unit))
    return Status::InvalidArgument("unit '" + r.unit + "' must be 4 digits");
  if (!r.due.empty() && !IsValidDate(r.due))
    return Status::InvalidArgument("due date '" + r.due + "' is not YYYY-MM-DD");
  if (r.required.empty()) r.required = area->required;
  for (const auto& t : r.required)
    if (!rules_->DocumentType(t))
      return Status::InvalidArgument("unknown document type '" + t + "'");

  Change change = store_->BeginChange(actor_);
  if (change.Get<Case>(r.id).ok()) return Status::AlreadyExists("case " + r.id + " exists");
  Case c;
  c.id = r.id;
  c.person_id = r.person_id;
  c.person_name = r.person_name;
  c.area = r.area;
  c.unit = r.unit;
  c.required = r.required;
  c.due = r.due;
  c.created_at = NowUtc();
  change.Put(c);
  change.Log("add_case", "case/" + c.id, "area " + c.area + ", unit " + c.unit);
  auto outcome = EvaluateCase(change, *rules_, c.id);
  if (!outcome.ok()) return outcome.status();
  PM_RETURN_IF_ERROR(change.Commit());
  return store_->Get<Case>(c.id);
}

Result<CoverSheet> CaseService::IssueCoverSheet(CoverSheetRequest request) {
  Change change = store_->BeginChange(actor_);
  auto sheet = postmottak::IssueCoverSheet(change, *rules_, std::move(request));
  if (!sheet.ok()) return sheet.status();
  PM_RETURN_IF_ERROR(change.Commit());
  return sheet;
}

Result<Document> CaseService::LinkDocument(const std::string& document_id,
                                           const std::string& case_id) {
  Change change = store_->BeginChange(actor_);
  auto d = change.Get<Document>(document_id);
  if (!d.ok()) return Status::NotFound("unknown document " + document_id);
  auto c = change.Get<Case>(case_id);
  if (!c.ok()) return Status::NotFound("unknown case " + case_id);
  if (c->status == CaseStatus::kClosed)
    return Status::FailedPrecondition("case " + case_id + " is closed");
  const std::string previous = d->case_id;
  d->case_id = case_id;
  d->linked_by = LinkMethod::kManual;
  d->linked_at = NowUtc();
  d->linked_actor = actor_;
  d->link_evidence = "linked by hand by " + actor_;
  change.Put(*d);
  change.Log("link_document", "document/" + document_id,
             "case " + case_id + (previous.empty() ? "" : " (was " + previous + ")"));
  if (auto t = change.Get<Task>(JournalingTaskId(document_id));
      t.ok() && t->status == TaskStatus::kOpen) {
    t->status = TaskStatus::kClosed;
    t->closed_at = NowUtc();
    change.Put(*t);
    change.Log("close_task", "task/" + t->id, ToString(t->kind));
  }
  for (const auto& id : {previous, case_id}) {
    if (id.empty()) continue;
    auto outcome = EvaluateCase(change, *rules_, id);
    if (!outcome.ok()) return outcome.status();
  }
  PM_RETURN_IF_ERROR(change.Commit());
  return store_->Get<Document>(document_id);
}

}  // namespace postmottak

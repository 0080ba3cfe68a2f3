// CaseService: letters and deadlines (case_service.h). The follow-up job chases every
// case that waits for documentation; a letter is printed again from its record.
#include "pipeline/services/case_service.h"
#include "pipeline/stages/follow_up.h"

namespace postmottak {

Result<FollowUpReport> CaseService::FollowUp() {
  PM_RETURN_IF_ERROR(Allowed(Permission::kFollowUp, "follow up unanswered letters"));
  auto cases = store_->List<Case>();
  if (!cases.ok()) return cases.status();
  const std::string now = now_();
  FollowUpReport report;
  for (const auto& c : *cases) {
    if (c.status != CaseStatus::kAwaitingDocumentation) continue;
    ++report.cases;
    // One change per case: a case that cannot be followed up does not hold back the rest.
    Change change = Begin();
    auto outcome = FollowUpCase(change, *rules_, c.id, now);
    if (outcome.ok() && outcome->reminders.empty() && outcome->escalated.empty()) continue;
    const Status committed = outcome.ok() ? change.Commit() : outcome.status();
    if (!committed.ok()) {
      report.failed.push_back("case " + c.id + ": " + committed.ToString());
      continue;
    }
    for (auto& id : outcome->reminders) report.reminders.push_back(std::move(id));
    for (auto& id : outcome->escalated) report.escalated.push_back(std::move(id));
  }
  Change change = Begin();
  change.Log("follow_up", "cases",
             std::to_string(report.cases) + " waiting, " + std::to_string(report.reminders.size()) +
                 " reminders, " + std::to_string(report.escalated.size()) + " escalated, " +
                 std::to_string(report.failed.size()) + " failed");
  PM_RETURN_IF_ERROR(change.Commit());
  return report;
}

Result<LetterPrint> CaseService::ReadLetter(const std::string& letter_id) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kReadCases, "print letters"));
  const size_t mark = letter_id.rfind("-L");
  if (mark == std::string::npos || mark == 0)
    return Status::InvalidArgument("'" + letter_id + "' is not a letter id (<case id>-L<n>)");
  LetterPrint out;
  PM_RETURN_IF_ERROR(
      OnCase(letter_id.substr(0, mark), [&](Change& change, Case& c, const Judgement& j) {
        for (const auto& l : c.letters)
          if (l.id == letter_id) out.letter = l;
        if (out.letter.id.empty()) return Status::NotFound("unknown letter " + letter_id);
        auto sheet = change.Get<CoverSheet>(out.letter.cover_id);
        if (!sheet.ok()) return Missing(sheet.status(), "cover sheet " + out.letter.cover_id);
        out.sheet = std::move(sheet).value();
        out.c = c;
        change.Log("print_letter", "letter/" + letter_id, ReadDetail(j.decision), j.about);
        return change.Commit();
      }));
  return out;
}

}  // namespace postmottak

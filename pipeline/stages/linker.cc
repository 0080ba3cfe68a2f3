#include "pipeline/stages/linker.h"

#include <algorithm>

#include "storage/index_keys.h"

namespace postmottak {

std::vector<Case> OpenCasesOf(const Change& change, const std::string& person_id) {
  std::vector<Case> out;
  for (const auto& [case_id, unused] : change.ScanIndex(index_keys::PersonCases(person_id))) {
    auto c = change.Get<Case>(case_id);
    if (c.ok() && c->status != CaseStatus::kClosed) out.push_back(std::move(c).value());
  }
  return out;
}

LinkDecision DecideLink(const Change& change, const Rules& rules,
                        const std::optional<CoverSheet>& sheet,
                        const std::vector<std::string>& person_ids,
                        const std::vector<std::string>& case_numbers, const std::string& type) {
  if (!sheet) return LinkByText(change, rules, person_ids, case_numbers, type);
  LinkDecision decision = LinkByCoverSheet(change, *sheet);
  if (decision.case_id.empty() || person_ids.empty()) return decision;
  auto c = change.Get<Case>(decision.case_id);
  if (c.ok() && std::find(person_ids.begin(), person_ids.end(), c->person_id) == person_ids.end()) {
    decision = LinkDecision{};
    decision.evidence =
        "cover sheet " + sheet->id + " names case " + c->id + ", but the text names another person";
  }
  return decision;
}

LinkDecision LinkByCoverSheet(const Change& change, const CoverSheet& sheet) {
  LinkDecision d;
  if (!sheet.case_id.empty()) {
    auto c = change.Get<Case>(sheet.case_id);
    if (!c.ok()) {
      d.evidence =
          "cover sheet " + sheet.id + " names case " + sheet.case_id + ", which does not exist";
    } else if (c->status == CaseStatus::kClosed) {
      d.evidence = "cover sheet " + sheet.id + " names closed case " + sheet.case_id;
    } else {
      d.case_id = sheet.case_id;
      d.method = LinkMethod::kCoverSheet;
      d.evidence = "cover sheet " + sheet.id;
    }
    return d;
  }
  // Issued for person + area before the case existed: link when exactly one open case
  // of that person in that area exists now.
  std::vector<Case> matches;
  for (auto& c : OpenCasesOf(change, sheet.person_id))
    if (c.area == sheet.area) matches.push_back(std::move(c));
  if (matches.size() == 1) {
    d.case_id = matches[0].id;
    d.method = LinkMethod::kCoverSheet;
    d.evidence = "cover sheet " + sheet.id + " for area " + sheet.area +
                 ", the person's only open case there";
  } else {
    d.evidence = "cover sheet " + sheet.id + " for area " + sheet.area + ": " +
                 std::to_string(matches.size()) + " open cases of the person there";
  }
  return d;
}

LinkDecision LinkByText(const Change& change, const Rules& rules,
                        const std::vector<std::string>& person_ids,
                        const std::vector<std::string>& case_numbers, const std::string& type) {
  LinkDecision d;
  if (person_ids.size() > 1) {
    d.evidence = "text names " + std::to_string(person_ids.size()) + " different persons";
    return d;
  }
  const std::string person = person_ids.empty() ? "" : person_ids[0];
  std::vector<Case> candidates;
  std::string basis;
  if (!case_numbers.empty()) {
    for (const auto& number : case_numbers) {
      auto c = change.Get<Case>(number);
      if (!c.ok() || c->status == CaseStatus::kClosed) continue;
      if (!person.empty() && c->person_id != person) {
        d.evidence = "case number " + number + " belongs to another person than the one named";
        return d;
      }
      // A case number alone must be backed by a plausible document type.
      if (person.empty() && !rules.Plausible(c->area, type)) continue;
      candidates.push_back(std::move(c).value());
    }
    basis = "case number";
  } else if (!person.empty()) {
    for (auto& c : OpenCasesOf(change, person))
      if (rules.Plausible(c.area, type)) candidates.push_back(std::move(c));
    basis = "person id " + MaskPersonId(person) + " and document type " + type;
  } else {
    d.evidence = "no valid person id or case number in the text";
    return d;
  }
  if (candidates.size() == 1) {
    d.case_id = candidates[0].id;
    d.method = LinkMethod::kText;
    d.evidence = basis + " resolve to the one open case in area " + candidates[0].area;
    if (basis == "case number")
      d.evidence = "case number " + candidates[0].id +
                   (person.empty() ? "" : " of person " + MaskPersonId(person));
  } else {
    d.evidence = basis + " match " + std::to_string(candidates.size()) + " open cases";
  }
  return d;
}

}  // namespace postmottak

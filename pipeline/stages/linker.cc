#include "pipeline/stages/linker.h"

#include <algorithm>

#include "codecs/check_digits.h"
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

bool NamesPerson(const ScanMetadata& m) {
  return m.user_id.size() == 11 && (m.user_type.empty() || m.user_type == "PERSON");
}

std::string CoverIdOfReference(const std::string& reference) {
  constexpr size_t kReferenceLength = 14;
  constexpr size_t pad = kReferenceLength - kCoverIdLength;
  if (reference.size() != kReferenceLength || reference.compare(0, pad, std::string(pad, '0')) != 0)
    return "";
  const std::string id = reference.substr(pad);
  return IsValidCoverId(id) ? id : "";
}

LinkDecision LinkByScanMetadata(const Change& change, const Rules& rules, const ScanMetadata& m,
                                const std::vector<std::string>& person_ids,
                                const std::vector<std::string>& case_numbers,
                                const std::string& type) {
  LinkDecision d;
  const std::string named =
      "the vendor's brukerId " + MaskPersonId(m.user_id) +
      (m.area.empty() ? " (no tema) and document type " + type : " and tema " + m.area);
  for (const auto& person : person_ids) {
    if (person != m.user_id) {
      d.evidence = "the vendor's brukerId " + MaskPersonId(m.user_id) +
                   " and the text name different persons";
      return d;
    }
  }
  std::vector<Case> candidates;
  for (auto& c : OpenCasesOf(change, m.user_id))
    if (m.area.empty() ? rules.Plausible(c.area, type) : c.area == m.area)
      candidates.push_back(std::move(c));
  if (candidates.size() != 1) {
    d.evidence = named + " match " + std::to_string(candidates.size()) + " open cases";
    return d;
  }
  const Case& c = candidates[0];
  for (const auto& number : case_numbers) {
    if (number != c.id && change.Get<Case>(number).ok()) {
      d.evidence = named + " name case " + c.id + ", but the text names case " + number;
      return d;
    }
  }
  d.case_id = c.id;
  d.method = LinkMethod::kScanMetadata;
  d.evidence = named + " name the one open case " + c.id + "; the text names no other";
  return d;
}

}  // namespace postmottak

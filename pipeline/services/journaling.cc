// Manual journaling: what a person placing a document by hand is shown (the candidate
// cases and the evidence for each), the journaling basis of need to know, and handing
// a document on to another unit's journaling queue.
#include <algorithm>
#include <set>

#include "codecs/check_digits.h"
#include "pipeline/services/case_service.h"
#include "pipeline/stages/completeness.h"
#include "pipeline/stages/linker.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace {

// Evidence, strongest first, with its weight in the candidates' order: a case named
// exactly outweighs any number of softer hints.
constexpr std::pair<const char*, int> kEvidence[] = {
    {"cover_sheet", 32}, {"case_number", 16}, {"person", 4},
    {"person_typed", 4}, {"awaits_type", 2},  {"type_fits_area", 1},
};

int Weight(const std::vector<std::string>& evidence) {
  int weight = 0;
  for (const auto& [name, w] : kEvidence)
    if (std::count(evidence.begin(), evidence.end(), name)) weight += w;
  return weight;
}

// The cases the document itself points to, each with what points there, in the order
// found: its cover sheet's case (or, for a sheet issued before the case, the person's
// open cases of the sheet's area), case numbers in its text, the open cases of the
// persons its text names, and those of the person the journaler typed.
std::map<std::string, std::set<std::string>> PointedTo(const Change& view, const Document& d,
                                                       const std::string& typed_person) {
  std::map<std::string, std::set<std::string>> found;
  if (!d.cover_id.empty())
    if (auto sheet = view.Get<CoverSheet>(d.cover_id); sheet.ok()) {
      if (!sheet->case_id.empty())
        found[sheet->case_id].insert("cover_sheet");
      else
        for (const auto& c : OpenCasesOf(view, sheet->person_id))
          if (c.area == sheet->area) found[c.id].insert("cover_sheet");
    }
  for (const auto& number : d.case_numbers) found[number].insert("case_number");
  for (const auto& person : d.person_ids)
    for (const auto& c : OpenCasesOf(view, person)) found[c.id].insert("person");
  if (!typed_person.empty())
    for (const auto& c : OpenCasesOf(view, typed_person)) found[c.id].insert("person_typed");
  return found;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

}  // namespace

AccessDecision CaseService::DecideJournaling(const Change& view, const Document& d,
                                             const Case& c) const {
  AccessDecision own = DecideCase(view, c);
  if (own.allowed || !d.case_id.empty()) return own;
  AccessDecision journaling = policy_->JournalCase(principal_, c, d.id);
  return journaling.allowed ? journaling : own;
}

Status CaseService::OnWaitingDocument(
    const std::string& document_id,
    const std::function<Status(Change&, Document&, const Judgement&)>& body) {
  Judgement j;
  {
    Change view = Begin();
    auto d = view.Get<Document>(document_id);
    if (!d.ok()) return Missing(d.status(), "document " + document_id);
    j = JudgeDocument(view, *d);
    if (j.decision.allowed) {
      if (!d->case_id.empty())
        return Status::FailedPrecondition("document " + document_id + " is journaled on case " +
                                          d->case_id + " already");
      return body(view, *d, j);
    }
  }
  return Deny("document/" + document_id, j.decision, j.about);
}

CaseCandidate CaseService::Candidate(const Change& view, const Document& d, const Case& c,
                                     const std::set<std::string>& pointers) const {
  CaseCandidate candidate;
  candidate.case_id = c.id;
  candidate.person_id = Shown(c).person_id;
  candidate.person_name = c.person_name;
  candidate.area = c.area;
  candidate.unit = c.unit;
  candidate.status = ToString(c.status);
  candidate.created_at = c.created_at;
  candidate.awaits = ChecklistOf(view, c).missing;
  const bool awaited = std::count(candidate.awaits.begin(), candidate.awaits.end(), d.type) > 0;
  for (const auto& [name, unused] : kEvidence) {
    const std::string e = name;
    if (pointers.count(e) || (e == "awaits_type" && awaited) ||
        (e == "type_fits_area" && rules_->Plausible(c.area, d.type)))
      candidate.evidence.push_back(e);
  }
  return candidate;
}

Result<LinkSuggestion> CaseService::SuggestLinks(const std::string& document_id,
                                                 const std::string& person_id) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kLinkDocuments, "journal documents"));
  if (!person_id.empty() && !IsValidPersonId(person_id))
    return Status::InvalidArgument("person id " + MaskPersonId(person_id) +
                                   " is not a valid national identity number");
  LinkSuggestion out;
  PM_RETURN_IF_ERROR(OnWaitingDocument(document_id, [&](Change& view, Document& d,
                                                        const Judgement& j) {
    const Document shown = Shown(d);
    out.document_id = shown.id;
    out.document_type = shown.type;
    out.person_ids = shown.person_ids;
    out.case_numbers = shown.case_numbers;
    out.cover_id = shown.cover_id;
    out.reason = shown.link_evidence;
    view.Log("suggest_links", "document/" + document_id, ReadDetail(j.decision), j.about);
    // Looking a person up concerns the person, whatever it finds.
    if (!person_id.empty())
      view.Log("search_person", "person", "journaling document " + document_id, {"", person_id});
    for (const auto& [case_id, pointers] : PointedTo(view, d, person_id)) {
      auto c = view.Get<Case>(case_id);
      if (!c.ok() || c->status == CaseStatus::kClosed) continue;
      const AccessDecision decision = DecideJournaling(view, d, *c);
      if (!decision.allowed) continue;  // the other domain's cases: not a trace
      out.candidates.push_back(Candidate(view, d, *c, pointers));
      view.Log("list_candidate", "case/" + c->id,
               "for document " + document_id + ": " + Joined(out.candidates.back().evidence) +
                   "; " + ReadDetail(decision),
               {c->id, c->person_id});
    }
    return view.Commit();
  }));
  std::stable_sort(out.candidates.begin(), out.candidates.end(),
                   [](const CaseCandidate& a, const CaseCandidate& b) {
                     return Weight(a.evidence) > Weight(b.evidence);
                   });
  return out;
}

Result<Task> CaseService::HandOnDocument(const std::string& document_id, const std::string& unit,
                                         const std::string& reason) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kLinkDocuments, "hand documents on"));
  if (!rules_->Unit(unit))
    return Status::InvalidArgument("unit '" + unit + "' is not in the rules");
  if (reason.empty() || reason.size() > 500)
    return Status::InvalidArgument("handing a document on needs a reason of at most 500 bytes");
  Task moved;
  PM_RETURN_IF_ERROR(OnWaitingDocument(document_id, [&](Change& change, Document&,
                                                        const Judgement& j) {
    auto t = change.Get<Task>(JournalingTaskId(document_id));
    if (!t.ok() || t->status != TaskStatus::kOpen)
      return Status::FailedPrecondition("document " + document_id + " has no open journaling task");
    if (t->unit == unit)
      return Status::FailedPrecondition("document " + document_id + " waits in unit " + unit +
                                        "'s queue already");
    const std::string from = t->unit;
    t->unit = unit;
    t->holder.clear();
    t->held_since.clear();
    t->reason = "handed on from unit " + from + " by " + principal_.id + ": " + reason;
    change.Put(*t);
    change.Log("hand_on_document", "document/" + document_id,
               "from unit " + from + " to unit " + unit + ": " + reason, j.about);
    change.Log("move_task", "task/" + t->id, "from unit " + from + " to unit " + unit, j.about);
    PM_RETURN_IF_ERROR(change.Commit());
    moved = std::move(t).value();
    return Status::OK();
  }));
  return moved;
}

}  // namespace postmottak

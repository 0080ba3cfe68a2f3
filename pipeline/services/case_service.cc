#include "pipeline/services/case_service.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

#include "codecs/check_digits.h"
#include "pipeline/stages/extraction.h"
#include "pipeline/stages/notices.h"
#include "storage/audit.h"
#include "storage/index_keys.h"

namespace postmottak {

Status Missing(const Status& read, const std::string& what) {
  return read.IsNotFound() ? Status::NotFound("unknown " + what) : read;
}

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

namespace {

bool AllWordsIn(const std::string& haystack, const std::vector<std::string>& words) {
  const std::string lower = LowerNorwegian(haystack);
  for (const auto& w : words)
    if (lower.find(w) == std::string::npos) return false;
  return true;
}

// Whether the item at `index` of a list (counted among those the principal may see)
// falls in `window`.
bool InWindow(const ListWindow& window, int index) {
  return index >= window.offset && (window.limit <= 0 || index < window.offset + window.limit);
}

// The facts need to know looks at, read within the same view as the case.
CaseFacts FactsOf(const Change& view, const std::string& case_id) {
  CaseFacts facts;
  for (const auto& [task_id, unused] : view.ScanIndex(index_keys::CaseTasks(case_id)))
    if (auto t = view.Get<Task>(task_id); t.ok() && t->status == TaskStatus::kOpen)
      facts.open_task_units.push_back(t->unit);
  for (const auto& [grant_id, unused] : view.ScanIndex(index_keys::CaseGrants(case_id)))
    if (auto g = view.Get<Grant>(grant_id); g.ok()) facts.grants.push_back(std::move(g).value());
  return facts;
}

}  // namespace

CaseService::CaseService(Store* store, const Rules* rules, const Policy* policy,
                         Principal principal, std::string purpose)
    : store_(store),
      rules_(rules),
      policy_(policy),
      principal_(std::move(principal)),
      purpose_(std::move(purpose)),
      now_(NowUtc) {}

Status CaseService::Unmask() {
  Status allowed = Require(principal_, Permission::kUnmask, "see person ids unmasked");
  Change change = Begin();
  change.Log(allowed.ok() ? "unmask_requested" : "denied", "person_ids",
             allowed.ok() ? "person ids in full for this session" : allowed.message());
  PM_RETURN_IF_ERROR(change.Commit());
  if (allowed.ok()) unmasked_ = true;
  return allowed;
}

AccessDecision CaseService::DecideCase(const Change& view, const Case& c) const {
  return policy_->SeeCase(principal_, c, FactsOf(view, c.id), now_());
}

std::optional<CaseService::Judgement> CaseService::JudgeCase(const Change& view,
                                                             const std::string& case_id,
                                                             Judgements* memo) const {
  if (case_id.empty()) return std::nullopt;
  if (memo)
    if (auto it = memo->find(case_id); it != memo->end()) return it->second;
  auto c = view.Get<Case>(case_id);
  if (!c.ok()) return std::nullopt;
  Judgement j{DecideCase(view, *c), {c->id, c->person_id}};
  if (memo) memo->emplace(case_id, j);
  return j;
}

CaseService::Judgement CaseService::JudgeDocument(const Change& view, const Document& d,
                                                  Judgements* memo) const {
  if (auto primary = JudgeCase(view, d.case_id, memo)) {
    if (primary->decision.allowed) return *primary;
    // Need to know follows every further link, and every notice within the domain
    // (a notice across the divide names no document, so it is not indexed).
    auto through = [&](const std::string& case_id,
                       const std::string& how) -> std::optional<Judgement> {
      auto j = JudgeCase(view, case_id, memo);
      if (!j || !j->decision.allowed) return std::nullopt;
      j->decision.basis = how + " " + case_id + ": " + j->decision.basis;
      return j;
    };
    for (const auto& also : d.also_cases)
      if (auto j = through(also, "linked also to case")) return *j;
    for (const auto& [task_id, unused] : view.ScanIndex(index_keys::DocumentNotices(d.id)))
      if (auto t = view.Get<Task>(task_id); t.ok())
        if (auto j = through(t->case_id, "a notice on case")) return *j;
    return *primary;
  }
  std::vector<std::string> units;
  if (auto t = view.Get<Task>(JournalingTaskId(d.id)); t.ok() && t->status == TaskStatus::kOpen)
    units.push_back(t->unit);
  return {policy_->SeeUncased(principal_, units), {d.case_id, ""}};
}

CaseService::Judgement CaseService::JudgeTask(const Change& view, const Task& t,
                                              Judgements* memo) const {
  if (auto j = JudgeCase(view, t.case_id, memo)) return *j;
  return {policy_->SeeUncased(principal_, {t.unit}), {t.case_id, ""}};
}

Status CaseService::Allowed(Permission permission, const std::string& what) const {
  return RequireAudited(store_, principal_, permission, what, purpose_);
}

Status CaseService::Deny(const std::string& object, const AccessDecision& decision,
                         const Concerning& about) const {
  Change change = Begin();
  change.Log("denied", object, decision.basis, about);
  PM_RETURN_IF_ERROR(change.Commit());
  return Status::PermissionDenied(principal_.id + " may not see " + object + ": " + decision.basis);
}

Case CaseService::Shown(Case c) const {
  if (!unmasked_) c.person_id = MaskPersonId(c.person_id);
  return c;
}

Document CaseService::Shown(Document d) const {
  if (!unmasked_) {
    for (auto& p : d.person_ids) p = MaskPersonId(p);
    d.text = MaskPersonIdsIn(d.text);
  }
  return d;
}

std::string CaseService::ReadDetail(const AccessDecision& decision) const {
  return decision.basis + (unmasked_ ? "; person ids unmasked" : "");
}

Result<Case> CaseService::AddCase(NewCase r, bool* already_registered) {
  if (already_registered) *already_registered = false;
  PM_RETURN_IF_ERROR(Allowed(Permission::kRegisterCases, "register cases"));
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
  if (!policy_->InDomain(principal_, r.area))
    return Deny("case/" + r.id,
                {false,
                 "area " + r.area + " belongs to the " + ToString(policy_->DomainOf(r.area)) +
                     " domain, " + principal_.id + " to the " + ToString(principal_.domain),
                 ""},
                {r.id, r.person_id});

  Change change = Begin();
  if (auto existing = change.Get<Case>(r.id); existing.ok()) {
    // A retry of the same registration answers the case it made (a case system whose
    // answer was lost resends); anything else under the same id is a conflict.
    const Case& e = *existing;
    const std::string first_unit = e.handovers.empty() ? e.unit : e.handovers.front().from;
    const bool same = e.person_id == r.person_id && e.person_name == r.person_name &&
                      e.area == r.area && first_unit == r.unit && e.required == r.required &&
                      e.due == r.due;
    if (!same || !DecideCase(change, e).allowed)
      return Status::AlreadyExists("case " + r.id + " exists" +
                                   (same ? "" : " with other content"));
    change.Log("add_case_again", "case/" + r.id, "the same registration again: the existing case",
               {e.id, e.person_id});
    PM_RETURN_IF_ERROR(change.Commit());
    if (already_registered) *already_registered = true;
    return Shown(e);
  }
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
  change.Log("add_case", "case/" + c.id, "area " + c.area + ", unit " + c.unit,
             {c.id, c.person_id});
  auto outcome = EvaluateCase(change, *rules_, c.id);
  if (!outcome.ok()) return outcome.status();
  PM_RETURN_IF_ERROR(change.Commit());
  return Shown(c);
}

Result<CoverSheet> CaseService::IssueCoverSheet(CoverSheetRequest request) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kIssueCoverSheets, "issue cover sheets"));
  AccessDecision decision;
  Concerning about{request.case_id, request.person_id};
  {
    Change change = Begin();
    if (!request.case_id.empty()) {
      auto c = change.Get<Case>(request.case_id);
      if (!c.ok()) return Missing(c.status(), "case " + request.case_id);
      decision = DecideCase(change, *c);
      about.person_id = c->person_id;
    } else {
      decision.allowed = policy_->InDomain(principal_, request.area);
      decision.basis = decision.allowed ? "area " + request.area + " in its domain"
                                        : "area " + request.area + " belongs to the " +
                                              ToString(policy_->DomainOf(request.area)) + " domain";
    }
    if (decision.allowed) {
      auto sheet = postmottak::IssueCoverSheet(change, *rules_, std::move(request));
      if (!sheet.ok()) return sheet.status();
      PM_RETURN_IF_ERROR(change.Commit());
      return sheet;
    }
  }
  return Deny(request.case_id.empty() ? "cover_sheet/new" : "case/" + request.case_id, decision,
              about);
}

Result<CoverSheet> CaseService::ReadCoverSheet(const std::string& cover_id) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kIssueCoverSheets, "print cover sheets"));
  AccessDecision decision;
  Concerning about{"", ""};
  {
    Change change = Begin();
    auto sheet = change.Get<CoverSheet>(cover_id);
    if (!sheet.ok()) return Missing(sheet.status(), "cover sheet " + cover_id);
    about = {sheet->case_id, sheet->person_id};
    if (auto j = JudgeCase(change, sheet->case_id, nullptr)) {
      decision = j->decision;
      about = j->about;
    } else {
      // A sheet for a person and an area, before a case: as for issuing one.
      decision.allowed = policy_->InDomain(principal_, sheet->area);
      decision.basis = decision.allowed ? "area " + sheet->area + " in its domain"
                                        : "area " + sheet->area + " belongs to the other domain";
    }
    if (decision.allowed) {
      change.Log("print_cover_sheet", "cover_sheet/" + cover_id, ReadDetail(decision), about);
      PM_RETURN_IF_ERROR(change.Commit());
      return sheet;
    }
  }
  return Deny("cover_sheet/" + cover_id, decision, about);
}

Status CaseService::OnDocumentAndCase(
    const std::string& document_id, const std::string& case_id, bool journaling,
    const std::function<Status(Change&, Document&, Case&, const Judgement&)>& body) {
  std::string denied_object = "document/" + document_id;
  Judgement j;
  {
    Change change = Begin();
    auto d = change.Get<Document>(document_id);
    if (!d.ok()) return Missing(d.status(), "document " + document_id);
    auto c = change.Get<Case>(case_id);
    if (!c.ok()) return Missing(c.status(), "case " + case_id);
    j = JudgeDocument(change, *d);
    if (j.decision.allowed) {
      j = {journaling ? DecideJournaling(change, *d, *c) : DecideCase(change, *c),
           {c->id, c->person_id}};
      denied_object = "case/" + case_id;
    }
    if (j.decision.allowed) {
      if (c->status == CaseStatus::kClosed)
        return Status::FailedPrecondition("case " + case_id + " is closed");
      return body(change, *d, *c, j);
    }
  }
  return Deny(denied_object, j.decision, j.about);
}

Result<Document> CaseService::LinkDocument(const std::string& document_id,
                                           const std::string& case_id) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kLinkDocuments, "link documents"));
  Document linked;
  PM_RETURN_IF_ERROR(OnDocumentAndCase(
      document_id, case_id, true, [&](Change& change, Document& d, Case& c, const Judgement& j) {
        const std::string previous = d.case_id;
        d.case_id = case_id;
        d.linked_by = LinkMethod::kManual;
        d.linked_at = NowUtc();
        d.linked_actor = principal_.id;
        d.link_evidence = "linked by hand by " + principal_.id;
        change.Put(d);
        change.Log("link_document", "document/" + document_id,
                   "case " + case_id + (previous.empty() ? "" : " (was " + previous + ")") + "; " +
                       j.decision.basis,
                   j.about);
        if (auto t = change.Get<Task>(JournalingTaskId(document_id));
            t.ok() && t->status == TaskStatus::kOpen) {
          t->status = TaskStatus::kClosed;
          t->closed_at = NowUtc();
          change.Put(*t);
          change.Log("close_task", "task/" + t->id, ToString(t->kind), j.about);
        }
        for (const auto& id : {previous, case_id}) {
          if (id.empty()) continue;
          auto outcome = EvaluateCase(change, *rules_, id);
          if (!outcome.ok()) return outcome.status();
        }
        CloseNotice(change, c, document_id);
        auto raised = RaiseNotices(change, *rules_, policy_->SameDomain(), d, c);
        if (!raised.ok()) return raised.status();
        PM_RETURN_IF_ERROR(change.Commit());
        linked = Shown(d);
        return Status::OK();
      }));
  return linked;
}

Result<Document> CaseService::LinkAlso(const std::string& document_id, const std::string& case_id) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kLinkDocuments, "link documents"));
  Document linked;
  PM_RETURN_IF_ERROR(OnDocumentAndCase(
      document_id, case_id, false, [&](Change& change, Document& d, Case& c, const Judgement& j) {
        if (d.case_id.empty())
          return Status::FailedPrecondition(
              "document " + document_id +
              " waits for manual journaling: link it to its first case");
        if (d.case_id == case_id || std::count(d.also_cases.begin(), d.also_cases.end(), case_id))
          return Status::AlreadyExists("document " + document_id + " is linked to case " + case_id);
        d.also_cases.push_back(case_id);
        change.Put(d);
        change.Log("link_also", "document/" + document_id,
                   "also case " + case_id + " (first case " + d.case_id + ")", j.about);
        CloseNotice(change, c, document_id);
        auto outcome = EvaluateCase(change, *rules_, case_id);
        if (!outcome.ok()) return outcome.status();
        PM_RETURN_IF_ERROR(change.Commit());
        linked = Shown(d);
        return Status::OK();
      }));
  return linked;
}

void CaseService::CloseNotice(Change& change, const Case& c, const std::string& document_id) const {
  auto notice = change.Get<Task>(NoticeTaskId(c.id, document_id));
  if (!notice.ok() || notice->status != TaskStatus::kOpen) return;
  notice->status = TaskStatus::kClosed;
  notice->closed_at = NowUtc();
  change.Put(*notice);
  change.Log("close_task", "task/" + notice->id, "notice: the document is on the case now",
             {c.id, c.person_id});
}

Status CaseService::OnCase(const std::string& case_id,
                           const std::function<Status(Change&, Case&, const Judgement&)>& body) {
  Judgement j{{}, {case_id, ""}};
  {
    Change change = Begin();
    auto c = change.Get<Case>(case_id);
    if (!c.ok()) return Missing(c.status(), "case " + case_id);
    j.about.person_id = c->person_id;
    j.decision = DecideCase(change, *c);
    if (j.decision.allowed) return body(change, *c, j);
  }
  return Deny("case/" + case_id, j.decision, j.about);
}

Result<Case> CaseService::CloseCase(const std::string& case_id) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kCloseCases, "close cases"));
  Case closed;
  PM_RETURN_IF_ERROR(OnCase(case_id, [&](Change& change, Case& c, const Judgement& j) {
    if (c.status == CaseStatus::kClosed)
      return Status::FailedPrecondition("case " + case_id + " is closed already");
    c.status = CaseStatus::kClosed;
    c.closed_at = NowUtc();
    change.Put(c);
    change.Log("close_case", "case/" + case_id, ReadDetail(j.decision), j.about);
    for (const auto& [task_id, unused] : change.ScanIndex(index_keys::CaseTasks(case_id))) {
      auto t = change.Get<Task>(task_id);
      if (!t.ok() || t->status != TaskStatus::kOpen) continue;
      t->status = TaskStatus::kClosed;
      t->closed_at = c.closed_at;
      change.Put(*t);
      change.Log("close_task", "task/" + t->id, "case closed", j.about);
    }
    PM_RETURN_IF_ERROR(change.Commit());
    closed = Shown(c);
    return Status::OK();
  }));
  return closed;
}

Result<Grant> CaseService::GrantAccess(const std::string& case_id, const std::string& principal_id,
                                       const std::string& purpose, const std::string& expires) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kGrant, "grant access"));
  if (purpose.find_first_not_of(" \t\n") == std::string::npos)
    return Status::InvalidArgument("a grant needs a purpose");
  if (!IsValidDate(expires))
    return Status::InvalidArgument("expiry '" + expires + "' is not YYYY-MM-DD");
  const std::string now = now_();
  const std::string until = expires + "T23:59:59Z";
  if (until < now) return Status::InvalidArgument("expiry " + expires + " has passed");
  if (expires > AddDays(now, 366).substr(0, 10))
    return Status::InvalidArgument("a grant may last a year at most; " + expires +
                                   " is further away");
  auto grantee = policy_->Resolve(principal_id);
  if (!grantee.ok()) return Status::InvalidArgument(grantee.status().message());
  Change change = Begin();
  auto c = change.Get<Case>(case_id);
  if (!c.ok()) return Missing(c.status(), "case " + case_id);
  Grant g;
  g.id = "grant-" + std::to_string(change.NextSequence("grant"));
  g.case_id = case_id;
  g.principal = principal_id;
  g.purpose = purpose;
  g.expires = until;
  g.granted_by = principal_.id;
  g.granted_at = now;
  change.Put(g);
  change.Log("grant_access", "grant/" + g.id,
             principal_id + " may see case " + case_id + " until " + expires + ": " + purpose,
             {c->id, c->person_id});
  PM_RETURN_IF_ERROR(change.Commit());
  return g;
}

Result<Grant> CaseService::RevokeGrant(const std::string& grant_id) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kGrant, "revoke grants"));
  Change change = Begin();
  auto g = change.Get<Grant>(grant_id);
  if (!g.ok()) return Missing(g.status(), "grant " + grant_id);
  if (!g->revoked_at.empty())
    return Status::FailedPrecondition("grant " + grant_id + " was revoked already");
  g->revoked_by = principal_.id;
  g->revoked_at = now_();
  change.Put(*g);
  change.Log("revoke_grant", "grant/" + grant_id, "access of " + g->principal + " ends",
             change.About(g->case_id));
  PM_RETURN_IF_ERROR(change.Commit());
  return *g;
}

Result<std::vector<Grant>> CaseService::ListGrants(const std::string& case_id) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kGrant, "list grants"));
  std::vector<Grant> out;
  if (case_id.empty()) return store_->List<Grant>();
  for (const auto& [id, unused] : store_->ScanIndex(index_keys::CaseGrants(case_id)))
    if (auto g = store_->Get<Grant>(id); g.ok()) out.push_back(std::move(g).value());
  return out;
}

Result<CaseView> CaseService::ReadCase(const std::string& case_id) {
  // The role first: without it, not even whether the case exists is told.
  PM_RETURN_IF_ERROR(Allowed(Permission::kReadCases, "read cases"));
  AccessDecision decision;
  Concerning about{case_id, ""};
  {
    Change view = Begin();  // a consistent read of the case, its documents and tasks
    auto c = view.Get<Case>(case_id);
    if (!c.ok()) return Missing(c.status(), "case " + case_id);
    about.person_id = c->person_id;
    decision = DecideCase(view, *c);
    if (decision.allowed) {
      CaseView out;
      out.basis = decision.basis;
      out.checklist = ChecklistOf(view, *c);
      const std::string detail = ReadDetail(decision);
      for (const auto& [doc_id, unused] : view.ScanIndex(index_keys::CaseDocuments(case_id)))
        if (auto d = view.Get<Document>(doc_id); d.ok()) {
          view.Log("read_document", "document/" + doc_id, detail, about);
          out.documents.push_back(Shown(std::move(d).value()));
        }
      for (const auto& [task_id, unused] : view.ScanIndex(index_keys::CaseTasks(case_id)))
        if (auto t = view.Get<Task>(task_id); t.ok()) {
          view.Log("read_task", "task/" + task_id, detail, about);
          out.tasks.push_back(std::move(t).value());
        }
      view.Log("read_case", "case/" + case_id, detail, about);
      PM_RETURN_IF_ERROR(view.Commit());
      out.c = Shown(std::move(c).value());
      return out;
    }
  }
  return Deny("case/" + case_id, decision, about);
}

Result<std::pair<Document, std::string>> CaseService::ReadDocumentWith(
    const std::string& document_id, int what) {
  // The role first: without it, not even whether the document exists is told.
  PM_RETURN_IF_ERROR(Allowed(Permission::kReadCases, "read documents"));
  Judgement j;
  {
    Change view = Begin();
    auto d = view.Get<Document>(document_id);
    if (!d.ok()) return Missing(d.status(), "document " + document_id);
    j = JudgeDocument(view, *d);
    if (j.decision.allowed) {
      std::string detail = ReadDetail(j.decision);
      std::string blob_key;
      if (what == kWholePdf) {
        if (d->pdf_blob.empty())
          return Status::FailedPrecondition("document " + document_id +
                                            " has no searchable PDF yet (OCR deferred: reindex)");
        blob_key = d->pdf_blob;
        detail += "; " + std::to_string(d->pages.size()) + " pages as PDF";
      } else if (what > 0) {
        if (what > static_cast<int>(d->pages.size()))
          return Status::NotFound("document " + document_id + " has " +
                                  std::to_string(d->pages.size()) + " pages, not " +
                                  std::to_string(what));
        blob_key = d->pages[what - 1].blob_key;
        detail += "; page " + std::to_string(what);
      }
      std::string bytes;
      if (!blob_key.empty()) {
        auto read = view.GetBlob(blob_key);
        if (!read.ok()) return read.status();
        bytes = std::move(read).value();
      }
      view.Log(what == kRecordOnly ? "read_document" : "read_page_images",
               "document/" + document_id, detail, j.about);
      PM_RETURN_IF_ERROR(view.Commit());
      return std::make_pair(Shown(std::move(d).value()), std::move(bytes));
    }
  }
  return Deny("document/" + document_id, j.decision, j.about);
}

Result<Document> CaseService::ReadDocument(const std::string& document_id) {
  auto read = ReadDocumentWith(document_id, kRecordOnly);
  if (!read.ok()) return read.status();
  return std::move(read->first);
}

Result<std::string> CaseService::ReadDocumentPdf(const std::string& document_id) {
  auto read = ReadDocumentWith(document_id, kWholePdf);
  if (!read.ok()) return read.status();
  return std::move(read->second);
}

Result<std::string> CaseService::ReadPageImage(const std::string& document_id, int page) {
  if (page < 1) return Status::InvalidArgument("pages are counted from 1");
  auto read = ReadDocumentWith(document_id, page);
  if (!read.ok()) return read.status();
  return std::move(read->second);
}

Result<std::vector<Document>> CaseService::ListDocuments(bool unlinked_only,
                                                         const ListWindow& window, int* total) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kReadCases, "list documents"));
  Change view = Begin();
  std::vector<Document> all;
  if (unlinked_only) {
    for (const auto& [id, unused] : view.ScanIndex(index_keys::Unlinked()))
      if (auto d = view.Get<Document>(id); d.ok()) all.push_back(std::move(d).value());
  } else {
    auto listed = store_->List<Document>();
    if (!listed.ok()) return listed.status();
    all = std::move(listed).value();
  }
  // The manual queue is worked oldest first; the list of all stays in id order.
  if (unlinked_only)
    std::stable_sort(all.begin(), all.end(), [](const Document& a, const Document& b) {
      return a.received_at < b.received_at;
    });
  std::vector<Document> out;
  Judgements memo;
  int seen = 0;
  for (auto& d : all) {
    const Judgement j = JudgeDocument(view, d, &memo);
    if (!j.decision.allowed || !InWindow(window, seen++)) continue;
    view.Log("list_document", "document/" + d.id, ReadDetail(j.decision), j.about);
    out.push_back(Shown(std::move(d)));
  }
  PM_RETURN_IF_ERROR(view.Commit());
  if (total) *total = seen;
  return out;
}

Result<std::vector<Task>> CaseService::ListTasks(const TaskFilter& filter, const ListWindow& window,
                                                 int* total) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kReadCases, "list tasks"));
  Change view = Begin();
  std::vector<Task> all;
  if (!filter.case_id.empty()) {
    for (const auto& [id, unused] : view.ScanIndex(index_keys::CaseTasks(filter.case_id)))
      if (auto t = view.Get<Task>(id); t.ok()) all.push_back(std::move(t).value());
  } else if (!filter.unit.empty()) {
    for (const auto& [id, unused] : view.ScanIndex(index_keys::UnitTasks(filter.unit)))
      if (auto t = view.Get<Task>(id); t.ok()) all.push_back(std::move(t).value());
  } else {
    auto listed = store_->List<Task>();
    if (!listed.ok()) return listed.status();
    all = std::move(listed).value();
  }
  // The filter's own fields first, then the queue by age, oldest first, as it is worked;
  // judged before the window is cut, and only what the window hands out is audited.
  auto unwanted = [&filter](const Task& t) {
    return (!filter.unit.empty() && t.unit != filter.unit) ||
           (!filter.closed_too && t.status != TaskStatus::kOpen) ||
           (!filter.holder.empty() && t.holder != filter.holder) ||
           (!filter.kind.empty() && ToString(t.kind) != filter.kind) ||
           (filter.unheld_only && !t.holder.empty());
  };
  all.erase(std::remove_if(all.begin(), all.end(), unwanted), all.end());
  std::stable_sort(all.begin(), all.end(),
                   [](const Task& a, const Task& b) { return a.created_at < b.created_at; });
  std::vector<Task> out;
  Judgements memo;
  int seen = 0;
  for (auto& t : all) {
    const Judgement j = JudgeTask(view, t, &memo);
    if (!j.decision.allowed || !InWindow(window, seen++)) continue;
    view.Log("list_task", "task/" + t.id, j.decision.basis, j.about);
    out.push_back(std::move(t));
  }
  PM_RETURN_IF_ERROR(view.Commit());
  if (total) *total = seen;
  return out;
}

Result<std::vector<Case>> CaseService::SearchCases(const std::string& person_id) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kReadCases, "search cases"));
  if (!IsValidPersonId(person_id))
    return Status::InvalidArgument("person id " + MaskPersonId(person_id) +
                                   " is not a valid national identity number");
  Change view = Begin();
  // The search itself concerns the person, whatever it finds: they have a right to know.
  view.Log("search_person", "person", "", {"", person_id});
  std::vector<Case> out;
  for (const auto& [case_id, unused] : view.ScanIndex(index_keys::PersonCases(person_id))) {
    auto c = view.Get<Case>(case_id);
    if (!c.ok()) continue;
    const AccessDecision decision = DecideCase(view, *c);
    if (!decision.allowed) continue;
    view.Log("list_case", "case/" + c->id, ReadDetail(decision), {c->id, c->person_id});
    out.push_back(Shown(std::move(c).value()));
  }
  PM_RETURN_IF_ERROR(view.Commit());
  return out;
}

Result<std::vector<Document>> CaseService::SearchDocuments(const std::string& query) {
  PM_RETURN_IF_ERROR(Allowed(Permission::kReadCases, "search documents"));
  std::vector<std::string> words;
  {
    std::istringstream in(LowerNorwegian(query));
    for (std::string w; in >> w;) words.push_back(w);
  }
  if (words.empty()) return Status::InvalidArgument("an empty search");
  Change view = Begin();
  view.Log("search_text", "documents", "\"" + MaskPersonIdsIn(query).substr(0, 80) + "\"");
  auto all = store_->List<Document>();
  if (!all.ok()) return all.status();
  std::vector<Document> out;
  Judgements memo;
  // Visibility first, then the match: what cannot be seen cannot be probed either.
  for (auto& d : *all) {
    const Judgement j = JudgeDocument(view, d, &memo);
    if (!j.decision.allowed || !AllWordsIn(d.type + "\n" + d.text, words)) continue;
    view.Log("list_document", "document/" + d.id, ReadDetail(j.decision), j.about);
    out.push_back(Shown(std::move(d)));
  }
  PM_RETURN_IF_ERROR(view.Commit());
  return out;
}

}  // namespace postmottak

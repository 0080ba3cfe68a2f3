// Cases, their flow between units, cover sheets, letters and the status view.
#include "cli/json_views.h"
#include "cli/server/routes/handlers.h"
#include "pipeline/services/session_rep.h"

namespace postmottak::routes {

using nlohmann::json;

namespace {

std::function<std::string(const std::string&)> Titles(const RouteContext& ctx) {
  return [&ctx](const std::string& t) { return ctx.rules->TitleOf(t); };
}

Status CaseAnswer(const Result<CaseRecord>& c, const RouteContext& ctx, ApiResponse* res,
                  int status = 200) {
  return Answer(
      c, [&ctx](const CaseRecord& r) { return CaseDetailJson(r, Titles(ctx)); }, res, status);
}

Status CoverSheetAnswer(const Result<CoverSheetRecord>& c, ApiResponse* res) {
  if (!c.ok()) return c.status();
  json out = CoverSheetJson(*c);
  out["pdf"] = "/api/v1/cover-sheets/" + c->id + "/pdf";
  Json(res, out, 201);
  return Status::OK();
}

}  // namespace

// Who the token names, as the policy knows it: what a client shows as "signed in as".
Status Me(Session& s, const RouteContext& ctx, const ApiRequest&, ApiResponse* res) {
  auto p = OfficeAccess::PolicyOf(*ctx.office).Resolve(s.principal());
  if (!p.ok()) return p.status();
  json permissions = json::array();
  for (Permission perm : p->permissions) permissions.push_back(ToString(perm));
  Json(res, {{"principal", p->id},
             {"unit", p->unit},
             {"domain", ToString(p->domain)},
             {"roles", p->roles},
             {"permissions", permissions}});
  return Status::OK();
}

// Reference data of the rules, for a page's choices (where a document may be handed).
Status Units(Session&, const RouteContext& ctx, const ApiRequest&, ApiResponse* res) {
  json units = json::array();
  for (const auto& [id, u] : ctx.rules->units())
    units.push_back({{"id", id}, {"name", u.name}, {"kind", u.kind}});
  Json(res, units);
  return Status::OK();
}

Status RegisterCase(Session& s, const RouteContext& ctx, const ApiRequest& req, ApiResponse* res) {
  CaseRegistration r;
  r.id = BodyText(req, "id");
  r.person_id = BodyText(req, "person_id");
  r.person_name = BodyText(req, "person_name");
  r.area = BodyText(req, "area");
  r.unit = BodyText(req, "unit");
  r.due = BodyText(req, "due");
  r.required = BodyList(req, "required");
  bool again = false;
  auto c = s.RegisterCase(r, &again);
  return CaseAnswer(c, ctx, res, again ? 200 : 201);
}

Status ShowCase(Session& s, const RouteContext& ctx, const ApiRequest& req, ApiResponse* res) {
  return CaseAnswer(s.ReadCase(req.params.at("case_id")), ctx, res);
}

Status CloseCase(Session& s, const RouteContext& ctx, const ApiRequest& req, ApiResponse* res) {
  return CaseAnswer(s.CloseCase(req.params.at("case_id")), ctx, res);
}

Status TransferCase(Session& s, const RouteContext& ctx, const ApiRequest& req, ApiResponse* res) {
  return CaseAnswer(s.TransferCase(req.params.at("case_id"), BodyText(req, "to"),
                                   BodyText(req, "category"), BodyText(req, "reason")),
                    ctx, res);
}

Status ReturnCase(Session& s, const RouteContext& ctx, const ApiRequest& req, ApiResponse* res) {
  return CaseAnswer(
      s.ReturnCase(req.params.at("case_id"), BodyText(req, "category"), BodyText(req, "reason")),
      ctx, res);
}

Status CaseTimeline(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return AnswerList(s.CaseTimeline(req.params.at("case_id")), TimelineEntryJson, res);
}

// Person ids travel in bodies, never in a URL that proxies log.
Status CaseStatusView(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return AnswerList(s.CaseStatus(BodyText(req, "person_or_case")), CaseStatusJson, res);
}

Status CasesOfPerson(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return AnswerList(s.CasesOfPerson(BodyText(req, "person_id")), CaseJson, res);
}

Status IssueCoverSheet(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  CoverSheetOrder order;
  if (req.body.contains("kind")) order.kind = BodyText(req, "kind");
  order.case_id = BodyText(req, "case_id");
  order.person_id = BodyText(req, "person_id");
  order.area = BodyText(req, "area");
  order.title = BodyText(req, "title");
  order.expected = BodyList(req, "expected");
  order.unit = BodyText(req, "unit");
  return CoverSheetAnswer(s.IssueCoverSheet(order), res);
}

Status IssueCaseCoverSheet(Session& s, const RouteContext&, const ApiRequest& req,
                           ApiResponse* res) {
  return CoverSheetAnswer(s.IssueCoverSheet(req.params.at("case_id"), BodyList(req, "expected")),
                          res);
}

Status CoverSheetPdf(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  auto sheet = s.ReprintCoverSheet(req.params.at("cover_id"));
  if (!sheet.ok()) return sheet.status();
  Bytes(res, std::move(sheet->pdf), "application/pdf");
  return Status::OK();
}

Status LetterPdf(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  auto pdf = s.LetterPdf(req.params.at("letter_id"));
  if (!pdf.ok()) return pdf.status();
  Bytes(res, std::move(pdf).value(), "application/pdf");
  return Status::OK();
}

Status FollowUp(Session& s, const RouteContext&, const ApiRequest&, ApiResponse* res) {
  return Answer(s.FollowUp(), FollowUpJson, res);
}

}  // namespace postmottak::routes

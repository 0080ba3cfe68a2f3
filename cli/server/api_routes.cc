#include "cli/server/api_routes.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/json_views.h"

namespace postmottak {

namespace {

using nlohmann::json;

constexpr const char* kId = "([A-Za-z0-9._-]{1,64})";

// A JSON object body with only the `allowed` fields; the error names the first other.
Result<json> ObjectBody(const std::string& body, const std::set<std::string>& allowed) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument("the body is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  for (const auto& [key, unused] : j.items())
    if (!allowed.count(key)) return Status::InvalidArgument("unknown field '" + key + "'");
  return j;
}

Status Text(const json& j, const char* field, bool required, std::string* out) {
  if (!j.contains(field)) {
    return required ? Status::InvalidArgument("field '" + std::string(field) + "' is required")
                    : Status::OK();
  }
  if (!j[field].is_string())
    return Status::InvalidArgument("field '" + std::string(field) + "' must be a string");
  *out = j[field].get<std::string>();
  return Status::OK();
}

// Only the query parameters a route knows; "true"/"false" for flags.
Status KnownQuery(const ApiRequest& req, const std::set<std::string>& allowed) {
  for (const auto& [name, unused] : req.query)
    if (!allowed.count(name))
      return Status::InvalidArgument("unknown query parameter '" + name + "'");
  return Status::OK();
}

Result<bool> Flag(const ApiRequest& req, const std::string& name) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second == "false") return false;
  if (it->second == "true") return true;
  return Status::InvalidArgument("query parameter '" + name + "' must be true or false");
}

std::string Query(const ApiRequest& req, const std::string& name) {
  auto it = req.query.find(name);
  return it == req.query.end() ? "" : it->second;
}

void Json(ApiResponse* res, const json& body, int status = 200) {
  res->status = status;
  res->body = body.dump();
  res->content_type = "application/json";
}

void Pdf(ApiResponse* res, std::string bytes) {
  res->status = 200;
  res->body = std::move(bytes);
  res->content_type = "application/pdf";
}

std::function<std::string(const std::string&)> Titles(const Rules& rules) {
  return [&rules](const std::string& t) { return rules.TitleOf(t); };
}

Status RegisterCase(Session& s, const Rules& rules, const ApiRequest& req, ApiResponse* res) {
  auto j =
      ObjectBody(req.body, {"id", "person_id", "person_name", "area", "unit", "required", "due"});
  if (!j.ok()) return j.status();
  CaseRegistration r;
  PM_RETURN_IF_ERROR(Text(*j, "id", true, &r.id));
  PM_RETURN_IF_ERROR(Text(*j, "person_id", true, &r.person_id));
  PM_RETURN_IF_ERROR(Text(*j, "person_name", false, &r.person_name));
  PM_RETURN_IF_ERROR(Text(*j, "area", true, &r.area));
  PM_RETURN_IF_ERROR(Text(*j, "unit", true, &r.unit));
  PM_RETURN_IF_ERROR(Text(*j, "due", false, &r.due));
  if (j->contains("required")) {
    const json& list = (*j)["required"];
    if (!list.is_array() ||
        !std::all_of(list.begin(), list.end(), [](const json& t) { return t.is_string(); }))
      return Status::InvalidArgument("field 'required' must be a list of document types");
    r.required = list.get<std::vector<std::string>>();
  }
  bool again = false;
  auto c = s.RegisterCase(r, &again);
  if (!c.ok()) return c.status();
  Json(res, CaseDetailJson(*c, Titles(rules)), again ? 200 : 201);
  return Status::OK();
}

Status ShowCase(Session& s, const Rules& rules, const ApiRequest& req, ApiResponse* res) {
  auto c = s.ReadCase(req.params[0]);
  if (!c.ok()) return c.status();
  Json(res, CaseDetailJson(*c, Titles(rules)));
  return Status::OK();
}

Status CloseCase(Session& s, const Rules& rules, const ApiRequest& req, ApiResponse* res) {
  auto c = s.CloseCase(req.params[0]);
  if (!c.ok()) return c.status();
  Json(res, CaseDetailJson(*c, Titles(rules)));
  return Status::OK();
}

Status Timeline(Session& s, const Rules&, const ApiRequest& req, ApiResponse* res) {
  auto steps = s.CaseTimeline(req.params[0]);
  if (!steps.ok()) return steps.status();
  json out = json::array();
  for (const auto& e : *steps) out.push_back(TimelineEntryJson(e));
  Json(res, out);
  return Status::OK();
}

// The person id travels in the body, never in a URL that proxies log.
Status CaseStatusView(Session& s, const Rules&, const ApiRequest& req, ApiResponse* res) {
  auto j = ObjectBody(req.body, {"person_or_case"});
  if (!j.ok()) return j.status();
  std::string which;
  PM_RETURN_IF_ERROR(Text(*j, "person_or_case", true, &which));
  auto status = s.CaseStatus(which);
  if (!status.ok()) return status.status();
  json out = json::array();
  for (const auto& r : *status) out.push_back(CaseStatusJson(r));
  Json(res, out);
  return Status::OK();
}

Status ListDocuments(Session& s, const Rules&, const ApiRequest& req, ApiResponse* res) {
  PM_RETURN_IF_ERROR(KnownQuery(req, {"unlinked"}));
  auto unlinked = Flag(req, "unlinked");
  if (!unlinked.ok()) return unlinked.status();
  auto docs = *unlinked ? s.ManualQueue() : s.Documents();
  if (!docs.ok()) return docs.status();
  json out = json::array();
  for (const auto& d : *docs) out.push_back(DocumentSummary(d));
  Json(res, out);
  return Status::OK();
}

Status ShowDocument(Session& s, const Rules&, const ApiRequest& req, ApiResponse* res) {
  auto d = s.ReadDocument(req.params[0]);
  if (!d.ok()) return d.status();
  Json(res, DocumentJson(*d));
  return Status::OK();
}

Status DocumentPdf(Session& s, const Rules&, const ApiRequest& req, ApiResponse* res) {
  auto pdf = s.DocumentPdf(req.params[0]);
  if (!pdf.ok()) return pdf.status();
  Pdf(res, std::move(pdf).value());
  return Status::OK();
}

Status LinkDocument(Session& s, const Rules&, const ApiRequest& req, ApiResponse* res) {
  auto j = ObjectBody(req.body, {"case_id", "also"});
  if (!j.ok()) return j.status();
  std::string case_id;
  PM_RETURN_IF_ERROR(Text(*j, "case_id", true, &case_id));
  if (j->contains("also") && !(*j)["also"].is_boolean())
    return Status::InvalidArgument("field 'also' must be true or false");
  const bool also = j->value("also", false);
  auto d = also ? s.LinkAlso(req.params[0], case_id) : s.Link(req.params[0], case_id);
  if (!d.ok()) return d.status();
  Json(res, DocumentSummary(*d));
  return Status::OK();
}

Status ListTasks(Session& s, const Rules&, const ApiRequest& req, ApiResponse* res) {
  PM_RETURN_IF_ERROR(KnownQuery(req, {"unit", "case", "mine", "free", "all"}));
  TaskFilter filter;
  filter.unit = Query(req, "unit");
  filter.case_id = Query(req, "case");
  auto mine = Flag(req, "mine"), free = Flag(req, "free"), all = Flag(req, "all");
  for (const auto* f : {&mine, &free, &all})
    if (!f->ok()) return f->status();
  if (*mine) filter.holder = s.principal();
  filter.unheld_only = *free;
  filter.closed_too = *all;
  auto tasks = s.Tasks(filter);
  if (!tasks.ok()) return tasks.status();
  json out = json::array();
  for (const auto& t : *tasks) out.push_back(TaskJson(t));
  Json(res, out);
  return Status::OK();
}

Status Statistics(Session& s, const Rules&, const ApiRequest& req, ApiResponse* res) {
  PM_RETURN_IF_ERROR(KnownQuery(req, {"since", "until"}));
  auto stats = s.Statistics({Query(req, "since"), Query(req, "until")});
  if (!stats.ok()) return stats.status();
  Json(res, StatisticsJson(*stats));
  return Status::OK();
}

Status LetterPdf(Session& s, const Rules&, const ApiRequest& req, ApiResponse* res) {
  auto pdf = s.LetterPdf(req.params[0]);
  if (!pdf.ok()) return pdf.status();
  Pdf(res, std::move(pdf).value());
  return Status::OK();
}

Status CoverSheetPdf(Session& s, const Rules&, const ApiRequest& req, ApiResponse* res) {
  auto sheet = s.ReprintCoverSheet(req.params[0]);
  if (!sheet.ok()) return sheet.status();
  Pdf(res, std::move(sheet->pdf));
  return Status::OK();
}

}  // namespace

const std::vector<Route>& ApiRoutes() {
  const std::string id = kId;
  static const std::vector<Route> routes = {
      {"POST", "/api/v1/cases", "cases.register", RegisterCase},
      {"GET", "/api/v1/cases/" + id, "cases.show", ShowCase},
      {"POST", "/api/v1/cases/" + id + "/close", "cases.close", CloseCase},
      {"GET", "/api/v1/cases/" + id + "/timeline", "cases.timeline", Timeline},
      {"POST", "/api/v1/status", "status", CaseStatusView},
      {"GET", "/api/v1/documents", "documents.list", ListDocuments},
      {"GET", "/api/v1/documents/" + id, "documents.show", ShowDocument},
      {"GET", "/api/v1/documents/" + id + "/pdf", "documents.pdf", DocumentPdf},
      {"POST", "/api/v1/documents/" + id + "/links", "documents.link", LinkDocument},
      {"GET", "/api/v1/tasks", "tasks.list", ListTasks},
      {"GET", "/api/v1/statistics", "statistics", Statistics},
      {"GET", "/api/v1/letters/" + id + "/pdf", "letters.pdf", LetterPdf},
      {"GET", "/api/v1/cover-sheets/([0-9]{12})/pdf", "cover_sheets.pdf", CoverSheetPdf},
  };
  return routes;
}

}  // namespace postmottak

#include "cli/server/api_routes.h"

#include <algorithm>
#include <regex>

#include "cli/server/routes/handlers.h"

namespace postmottak {

namespace {

using nlohmann::json;
namespace r = routes;

Field Text(std::string name, std::string description, bool required = false) {
  return {std::move(name), "string", required, std::move(description)};
}
Field Flag(std::string name, std::string description) {
  return {std::move(name), "boolean", false, std::move(description)};
}

// A list's window (ListWindow): the answer's X-Total-Count says how many there are.
Field Offset() { return {"offset", "integer", false, "skip this many (paging)"}; }
Field Limit() { return {"limit", "integer", false, "at most this many, 1 to 1000 (default 1000)"}; }
Field List(std::string name, std::string description) {
  return {std::move(name), "string[]", false, std::move(description)};
}

std::vector<Route> Table() {
  const char* pdf = "application/pdf";
  return {
      {"GET",
       "/api/v1/me",
       "me",
       "Who the token names: principal, unit, domain, roles",
       "any principal",
       {},
       {},
       200,
       "application/json",
       r::Me},
      {"GET",
       "/api/v1/units",
       "units.list",
       "The units of the rules, with their names and kinds",
       "any principal",
       {},
       {},
       200,
       "application/json",
       r::Units},
      // ---- cases ----
      {"POST",
       "/api/v1/cases",
       "cases.register",
       "Register a case (idempotent: the same again answers 200, other content 409)",
       "register_cases",
       {},
       {Text("id", "the case system's case id", true), Text("person_id", "11 digits", true),
        Text("person_name", "the person's name, for letters"),
        Text("area", "benefit area (rules: areas)", true),
        Text("unit", "the owning unit, 4 digits", true),
        List("required", "document types the case needs (default: the area's)"),
        Text("due", "YYYY-MM-DD")},
       201,
       "application/json",
       r::RegisterCase},
      {"GET",
       "/api/v1/cases/{case_id}",
       "cases.show",
       "A case with its checklist, what is missing and from whom, documents, tasks, letters",
       "read_cases and need to know",
       {},
       {},
       200,
       "application/json",
       r::ShowCase},
      {"POST",
       "/api/v1/cases/{case_id}/close",
       "cases.close",
       "Close a case",
       "close_cases",
       {},
       {},
       200,
       "application/json",
       r::CloseCase},
      {"POST",
       "/api/v1/cases/{case_id}/transfer",
       "cases.transfer",
       "Hand a case to another unit with a handover category",
       "transfer_cases",
       {},
       {Text("to", "the receiving unit", true), Text("category", "a handover category", true),
        Text("reason", "why", true)},
       200,
       "application/json",
       r::TransferCase},
      {"POST",
       "/api/v1/cases/{case_id}/return",
       "cases.return",
       "Hand a case back to the unit that sent it",
       "transfer_cases",
       {},
       {Text("category", "a handover category", true), Text("reason", "why", true)},
       200,
       "application/json",
       r::ReturnCase},
      {"GET",
       "/api/v1/cases/{case_id}/timeline",
       "cases.timeline",
       "Where the case has been and who held it, oldest first",
       "read_cases and need to know",
       {},
       {},
       200,
       "application/json",
       r::CaseTimeline},
      {"POST",
       "/api/v1/cases/{case_id}/cover-sheets",
       "cases.cover_sheet",
       "Issue a cover sheet for a case (its PDF at the returned link)",
       "issue_cover_sheets",
       {},
       {List("expected", "document types asked for (default: what the case misses)")},
       201,
       "application/json",
       r::IssueCaseCoverSheet},
      {"POST",
       "/api/v1/status",
       "status",
       "Where a person's cases (or one case) are and what they wait for, without content",
       "case_status",
       {},
       {Text("person_or_case", "an 11-digit person id or a case id", true)},
       200,
       "application/json",
       r::CaseStatusView},
      {"POST",
       "/api/v1/person-cases",
       "cases.of_person",
       "The cases of a person that the principal may see",
       "read_cases",
       {},
       {Text("person_id", "11 digits", true)},
       200,
       "application/json",
       r::CasesOfPerson},
      // ---- cover sheets and letters ----
      {"POST",
       "/api/v1/cover-sheets",
       "cover_sheets.issue",
       "Issue a cover sheet for a case, or for a person and an area",
       "issue_cover_sheets",
       {},
       {Text("kind", "application, follow_up (default) or loose_mail"), Text("case_id", ""),
        Text("person_id", ""), Text("area", ""), Text("title", ""), List("expected", ""),
        Text("unit", "")},
       201,
       "application/json",
       r::IssueCoverSheet},
      {"GET",
       "/api/v1/cover-sheets/{cover_id}/pdf",
       "cover_sheets.pdf",
       "An issued cover sheet, printable (the same barcode)",
       "issue_cover_sheets",
       {},
       {},
       200,
       pdf,
       r::CoverSheetPdf},
      {"GET",
       "/api/v1/letters/{letter_id}/pdf",
       "letters.pdf",
       "A request or reminder letter with its cover sheet, printable",
       "read_cases and need to know",
       {},
       {},
       200,
       pdf,
       r::LetterPdf},
      {"POST",
       "/api/v1/follow-up",
       "follow_up",
       "Chase what cases wait for: reminders, then a task to decide as it stands",
       "follow_up",
       {},
       {},
       200,
       "application/json",
       r::FollowUp},
      // ---- documents and tasks ----
      {"GET",
       "/api/v1/documents",
       "documents.list",
       "Documents the principal may see; ?unlinked=true: the manual-journaling queue",
       "read_cases",
       {Flag("unlinked", "only those waiting for manual journaling"), Offset(), Limit()},
       {},
       200,
       "application/json",
       r::ListDocuments},
      {"GET",
       "/api/v1/documents/{document_id}",
       "documents.show",
       "A document with its chain of custody",
       "read_cases and need to know",
       {},
       {},
       200,
       "application/json",
       r::ShowDocument},
      {"GET",
       "/api/v1/documents/{document_id}/pdf",
       "documents.pdf",
       "The document's searchable PDF",
       "read_cases and need to know",
       {},
       {},
       200,
       pdf,
       r::DocumentPdf},
      {"GET",
       "/api/v1/documents/{document_id}/pages/{page}",
       "documents.page",
       "One page image as PNG (?width= for a thumbnail)",
       "read_cases and need to know",
       {{"width", "integer", false, "scale down to at most this many pixels wide"}},
       {},
       200,
       "image/png",
       r::PageImage},
      {"POST",
       "/api/v1/documents/{document_id}/links",
       "documents.link",
       "Link a document by hand (also=true: to one more case as well)",
       "link_documents",
       {},
       {Text("case_id", "the case", true), Flag("also", "keep the present link too")},
       200,
       "application/json",
       r::LinkDocument},
      {"POST",
       "/api/v1/documents/{document_id}/candidates",
       "documents.candidates",
       "Manual journaling: what intake found in a waiting document and the candidate cases, "
       "with the evidence for each",
       "link_documents and the document in a queue the principal works",
       {},
       {Text("person_id", "11 digits read off the page: that person's open cases too")},
       200,
       "application/json",
       r::SuggestLinks},
      {"POST",
       "/api/v1/documents/{document_id}/hand-on",
       "documents.hand_on",
       "Hand a waiting document to another unit's journaling queue",
       "link_documents and the document in a queue the principal works",
       {},
       {Text("unit", "a unit of the rules", true), Text("reason", "why", true)},
       200,
       "application/json",
       r::HandOnDocument},
      {"POST",
       "/api/v1/search",
       "documents.search",
       "Documents holding every word, among those the principal may see",
       "read_cases",
       {},
       {Text("words", "words to find, case-insensitive", true)},
       200,
       "application/json",
       r::SearchDocuments},
      {"GET",
       "/api/v1/tasks",
       "tasks.list",
       "Open tasks, oldest first",
       "read_cases",
       {Text("unit", "one unit's queue"), Text("case", "one case's tasks"),
        Text("kind", "one kind (manual_journaling, missing_documentation, ...)"),
        Flag("mine", "held by the principal"), Flag("free", "held by nobody"),
        Flag("all", "closed ones too"), Offset(), Limit()},
       {},
       200,
       "application/json",
       r::ListTasks},
      {"POST",
       "/api/v1/tasks/next",
       "tasks.take_next",
       "Take the oldest open task nobody holds in the principal's unit",
       "read_cases",
       {},
       {},
       200,
       "application/json",
       r::TakeNextTask},
      {"POST",
       "/api/v1/tasks/{task_id}/take",
       "tasks.take",
       "Take a task from the queue",
       "read_cases and need to know",
       {},
       {},
       200,
       "application/json",
       r::TakeTask},
      {"POST",
       "/api/v1/tasks/{task_id}/release",
       "tasks.release",
       "Put a held task back in the queue",
       "read_cases and need to know",
       {},
       {},
       200,
       "application/json",
       r::ReleaseTask},
      {"POST",
       "/api/v1/tasks/{task_id}/finish",
       "tasks.finish",
       "Finish a held task",
       "read_cases and need to know",
       {},
       {},
       200,
       "application/json",
       r::FinishTask},
      // ---- the mail room ----
      {"GET",
       "/api/v1/statistics",
       "statistics",
       "Counts per unit and area over a period, and each unit's desk now",
       "statistics",
       {Text("since", "YYYY-MM-DD"), Text("until", "YYYY-MM-DD")},
       {},
       200,
       "application/json",
       r::Statistics},
      {"GET",
       "/api/v1/batches",
       "batches.list",
       "Batches taken in, newest last",
       "quarantine",
       {},
       {},
       200,
       "application/json",
       r::ListBatches},
      {"POST",
       "/api/v1/batches",
       "batches.upload",
       "Upload a batch (multipart/form-data: scans and optionally manifest.json) to be taken "
       "in by the server's inbox",
       "intake",
       {Text("batch", "the batch's name (default: the manifest's, else made)")},
       {},
       202,
       "application/json",
       nullptr},
      {"GET",
       "/api/v1/intake",
       "intake.status",
       "What the server is taking in now (batch, pages, pages/s), what waits in its inbox, "
       "and the batches not yet complete",
       "quarantine",
       {},
       {},
       200,
       "application/json",
       r::IntakeStatus},
      {"GET",
       "/api/v1/batches/{batch}",
       "batches.show",
       "A batch: waiting in the inbox, in intake, or taken",
       "quarantine",
       {},
       {},
       200,
       "application/json",
       r::ShowBatch},
      {"GET",
       "/api/v1/batches/{batch}/reconciliation",
       "batches.reconcile",
       "What became of every page of a batch",
       "quarantine",
       {},
       {},
       200,
       "application/json",
       r::ReconcileBatch},
      {"GET",
       "/api/v1/quarantine",
       "quarantine.list",
       "Quarantine entries held",
       "quarantine",
       {Text("batch", "one batch's"), Flag("all", "retried and released ones too")},
       {},
       200,
       "application/json",
       r::ListQuarantine},
      {"GET",
       "/api/v1/quarantine/{quarantine_id}",
       "quarantine.show",
       "One entry",
       "quarantine",
       {},
       {},
       200,
       "application/json",
       r::ShowQuarantined},
      {"GET",
       "/api/v1/quarantine/{quarantine_id}/content",
       "quarantine.content",
       "The refused input's kept bytes (a page image or the whole file)",
       "quarantine",
       {},
       {},
       200,
       "application/octet-stream",
       r::QuarantinedContent},
      {"GET",
       "/api/v1/quarantine/{quarantine_id}/image",
       "quarantine.image",
       "The refused page as a PNG a page can show (422 when the kept bytes are no image)",
       "quarantine",
       {},
       {},
       200,
       "image/png",
       r::QuarantinedImage},
      {"POST",
       "/api/v1/quarantine/{quarantine_id}/retry",
       "quarantine.retry",
       "Take the kept input in again",
       "quarantine",
       {},
       {},
       200,
       "application/json",
       r::RetryQuarantined},
      {"POST",
       "/api/v1/quarantine/{quarantine_id}/release",
       "quarantine.release",
       "Hand the input to a manual-journaling task",
       "quarantine",
       {},
       {Text("reason", "why", true)},
       200,
       "application/json",
       r::ReleaseQuarantined},
      // ---- the audit trail and grants ----
      {"POST",
       "/api/v1/audit",
       "audit.show",
       "Audit entries about a case, a person (by pseudonym) or a principal",
       "audit",
       {},
       {Text("case_id", ""), Text("person_id", "11 digits"), Text("principal", "")},
       200,
       "application/json",
       r::AuditTrail},
      {"POST",
       "/api/v1/audit/verify",
       "audit.verify",
       "Walk the audit trail's hash chain, against anchors kept elsewhere",
       "audit",
       {},
       {List("anchors", "earlier heads, SEQ:HASH")},
       200,
       "application/json",
       r::VerifyAuditTrail},
      {"GET",
       "/api/v1/grants",
       "grants.list",
       "Grants, on one case or all",
       "grant",
       {Text("case", "one case's")},
       {},
       200,
       "application/json",
       r::ListGrants},
      {"POST",
       "/api/v1/grants",
       "grants.create",
       "Let a principal see one case until a date",
       "grant",
       {},
       {Text("case_id", "", true), Text("principal", "", true), Text("purpose", "", true),
        Text("expires", "YYYY-MM-DD, within a year", true)},
       201,
       "application/json",
       r::GrantAccess},
      {"POST",
       "/api/v1/grants/{grant_id}/revoke",
       "grants.revoke",
       "Revoke a grant",
       "grant",
       {},
       {},
       200,
       "application/json",
       r::RevokeGrant},
  };
}

bool TypeFits(const json& v, const std::string& type) {
  if (type == "string") return v.is_string() && v.get_ref<const std::string&>().size() <= 10000;
  if (type == "boolean") return v.is_boolean();
  if (type == "integer") return v.is_number_integer();
  return v.is_array() && v.size() <= 1000 &&
         std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); });
}

const char* TypeWords(const std::string& type) {
  if (type == "string") return "a string";
  if (type == "boolean") return "true or false";
  if (type == "integer") return "a whole number";
  return "a list of strings";
}

Status CheckQuery(const Route& route, const ApiRequest& req) {
  for (const auto& [name, value] : req.query) {
    auto f = std::find_if(route.query.begin(), route.query.end(),
                          [&](const Field& q) { return q.name == name; });
    if (f == route.query.end())
      return Status::InvalidArgument("unknown query parameter '" + name + "'");
    const bool fits = f->type == "boolean" ? value == "true" || value == "false"
                      : f->type == "integer"
                          ? !value.empty() && value.size() <= 6 &&
                                std::all_of(value.begin(), value.end(), ::isdigit)
                          : value.size() <= 200;
    if (!fits)
      return Status::InvalidArgument("query parameter '" + name + "' must be " +
                                     TypeWords(f->type));
  }
  return Status::OK();
}

Status CheckBody(const Route& route, const std::string& body, ApiRequest* out) {
  out->body = json::object();
  if (route.body.empty()) {
    if (body.empty() || body == "{}") return Status::OK();
    return Status::InvalidArgument("this request takes no body");
  }
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument("the body is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    auto f = std::find_if(route.body.begin(), route.body.end(),
                          [&](const Field& b) { return b.name == key; });
    if (f == route.body.end()) return Status::InvalidArgument("unknown field '" + key + "'");
    if (!TypeFits(value, f->type))
      return Status::InvalidArgument("field '" + key + "' must be " + TypeWords(f->type));
  }
  for (const Field& f : route.body)
    if (f.required && !j.contains(f.name))
      return Status::InvalidArgument("field '" + f.name + "' is required");
  out->body = j;
  return Status::OK();
}

}  // namespace

const std::vector<Route>& ApiRoutes() {
  static const std::vector<Route> routes = Table();
  return routes;
}

std::string PathParameterPattern(const std::string& name) {
  if (name == "cover_id") return "[0-9]{12}";
  if (name == "page") return "[1-9][0-9]{0,3}";
  return "[A-Za-z0-9._-]{1,128}";
}

std::string PathRegex(const Route& route, std::vector<std::string>* names) {
  static const std::regex param(R"(\{([a-z_]+)\})");
  std::string out;
  auto begin = std::sregex_iterator(route.path.begin(), route.path.end(), param);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += route.path.substr(last, it->position() - last);
    out += "(" + PathParameterPattern((*it)[1]) + ")";
    if (names) names->push_back((*it)[1]);
    last = it->position() + it->length();
  }
  return out + route.path.substr(last);
}

Status CheckRequest(const Route& route, const std::string& body, ApiRequest* out) {
  PM_RETURN_IF_ERROR(CheckQuery(route, *out));
  return CheckBody(route, body, out);
}

namespace routes {

void Json(ApiResponse* res, const json& body, int status) {
  res->status = status;
  res->body = body.dump();
  res->content_type = "application/json";
}

void Bytes(ApiResponse* res, std::string bytes, const std::string& content_type) {
  res->status = 200;
  res->body = std::move(bytes);
  res->content_type = content_type;
}

std::string Query(const ApiRequest& req, const std::string& name) {
  auto it = req.query.find(name);
  return it == req.query.end() ? "" : it->second;
}

bool QueryFlag(const ApiRequest& req, const std::string& name) {
  return Query(req, name) == "true";
}

Status WindowOf(const ApiRequest& req, ListWindow* window) {
  const std::string offset = Query(req, "offset"), limit = Query(req, "limit");
  window->offset = offset.empty() ? 0 : std::stoi(offset);  // checked: at most 6 digits
  window->limit = limit.empty() ? kMaxListLimit : std::stoi(limit);
  if (window->limit < 1 || window->limit > kMaxListLimit)
    return Status::InvalidArgument("query parameter 'limit' must be from 1 to " +
                                   std::to_string(kMaxListLimit));
  return Status::OK();
}

std::string BodyText(const ApiRequest& req, const std::string& name) {
  return req.body.contains(name) ? req.body[name].get<std::string>() : "";
}

std::vector<std::string> BodyList(const ApiRequest& req, const std::string& name) {
  return req.body.contains(name) ? req.body[name].get<std::vector<std::string>>()
                                 : std::vector<std::string>{};
}

}  // namespace routes

}  // namespace postmottak

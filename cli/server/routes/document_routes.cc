// Documents, their page images and links, search, and the units' task queues.
#include "cli/json_views.h"
#include "cli/server/routes/handlers.h"

namespace postmottak::routes {

namespace {

// With the document type's title from the rules, for a page to show in words.
Status DocumentList(const Result<std::vector<DocumentRecord>>& docs, const Rules& rules,
                    ApiResponse* res, int total = -1) {
  auto view = [&rules](const DocumentRecord& d) {
    nlohmann::json j = DocumentSummary(d);
    j["title"] = DocumentTitle(rules, d.type);
    return j;
  };
  return AnswerList(docs, view, res, total);
}

Status TaskAnswer(const Result<TaskRecord>& t, ApiResponse* res) {
  return Answer(t, TaskJson, res);
}

}  // namespace

Status ListDocuments(Session& s, const RouteContext& ctx, const ApiRequest& req, ApiResponse* res) {
  ListWindow window;
  PM_RETURN_IF_ERROR(WindowOf(req, &window));
  int total = 0;
  auto docs =
      QueryFlag(req, "unlinked") ? s.ManualQueue(window, &total) : s.Documents(window, &total);
  return DocumentList(docs, *ctx.rules, res, total);
}

Status ShowDocument(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return Answer(s.ReadDocument(req.params.at("document_id")), DocumentJson, res);
}

Status DocumentPdf(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  auto pdf = s.DocumentPdf(req.params.at("document_id"));
  if (!pdf.ok()) return pdf.status();
  Bytes(res, std::move(pdf).value(), "application/pdf");
  return Status::OK();
}

Status PageImage(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  const std::string width = Query(req, "width");
  auto png = s.PageImage(req.params.at("document_id"), std::stoi(req.params.at("page")),
                         width.empty() ? 0 : std::stoi(width));
  if (!png.ok()) return png.status();
  Bytes(res, std::move(png).value(), "image/png");
  return Status::OK();
}

Status LinkDocument(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  const std::string& id = req.params.at("document_id");
  const std::string case_id = BodyText(req, "case_id");
  return Answer(req.body.value("also", false) ? s.LinkAlso(id, case_id) : s.Link(id, case_id),
                DocumentSummary, res);
}

// The typed person id travels in the body, never in a URL (which ends in access logs).
Status SuggestLinks(Session& s, const RouteContext& ctx, const ApiRequest& req, ApiResponse* res) {
  return Answer(
      s.SuggestLinks(req.params.at("document_id"), BodyText(req, "person_id")),
      [&ctx](const LinkSuggestion& found) { return LinkSuggestionJson(found, *ctx.rules); }, res);
}

Status HandOnDocument(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return TaskAnswer(s.HandOnDocument(req.params.at("document_id"), BodyText(req, "unit"),
                                     BodyText(req, "reason")),
                    res);
}

// The words travel in the body: they may be a name or a person id.
Status SearchDocuments(Session& s, const RouteContext& ctx, const ApiRequest& req,
                       ApiResponse* res) {
  return DocumentList(s.SearchDocuments(BodyText(req, "words")), *ctx.rules, res);
}

Status ListTasks(Session& s, const RouteContext& ctx, const ApiRequest& req, ApiResponse* res) {
  TaskFilter filter;
  filter.unit = Query(req, "unit");
  filter.case_id = Query(req, "case");
  if (QueryFlag(req, "mine")) filter.holder = s.principal();
  filter.unheld_only = QueryFlag(req, "free");
  filter.closed_too = QueryFlag(req, "all");
  filter.kind = Query(req, "kind");
  ListWindow window;
  PM_RETURN_IF_ERROR(WindowOf(req, &window));
  int total = 0;
  auto tasks = s.Tasks(filter, window, &total);
  // With the document type's title from the rules, for a page to show in words.
  return AnswerList(
      tasks,
      [&ctx](const TaskRecord& t) {
        nlohmann::json j = TaskJson(t);
        if (!t.document_type.empty())
          j["document_title"] = DocumentTitle(*ctx.rules, t.document_type);
        return j;
      },
      res, total);
}

Status TakeTask(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return TaskAnswer(s.TakeTask(req.params.at("task_id")), res);
}

Status TakeNextTask(Session& s, const RouteContext&, const ApiRequest&, ApiResponse* res) {
  return TaskAnswer(s.TakeNextTask(), res);
}

Status ReleaseTask(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return TaskAnswer(s.ReleaseTask(req.params.at("task_id")), res);
}

Status FinishTask(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return TaskAnswer(s.FinishTask(req.params.at("task_id")), res);
}

}  // namespace postmottak::routes

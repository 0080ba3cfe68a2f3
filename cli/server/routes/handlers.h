// The route handlers of the API, by subject. Each takes a checked request (its route's
// query parameters and body fields already validated, see api_routes.h) and answers
// through one Session call or a few; none reads a record around the session.
#ifndef POSTMOTTAK_CLI_SERVER_ROUTES_HANDLERS_H_
#define POSTMOTTAK_CLI_SERVER_ROUTES_HANDLERS_H_

#include "cli/server/api_routes.h"

namespace postmottak::routes {

#define PM_ROUTE(name) \
  Status name(Session& s, const RouteContext& ctx, const ApiRequest& req, ApiResponse* res)

// case_routes.cc: cases, their flow, cover sheets, letters, the status view.
PM_ROUTE(Me);
PM_ROUTE(Units);
PM_ROUTE(RegisterCase);
PM_ROUTE(ShowCase);
PM_ROUTE(CloseCase);
PM_ROUTE(TransferCase);
PM_ROUTE(ReturnCase);
PM_ROUTE(CaseTimeline);
PM_ROUTE(CaseStatusView);
PM_ROUTE(CasesOfPerson);
PM_ROUTE(IssueCoverSheet);
PM_ROUTE(IssueCaseCoverSheet);
PM_ROUTE(CoverSheetPdf);
PM_ROUTE(LetterPdf);
PM_ROUTE(FollowUp);

// document_routes.cc: documents, page images, links, search, tasks.
PM_ROUTE(ListDocuments);
PM_ROUTE(ShowDocument);
PM_ROUTE(DocumentPdf);
PM_ROUTE(PageImage);
PM_ROUTE(LinkDocument);
PM_ROUTE(SuggestLinks);
PM_ROUTE(HandOnDocument);
PM_ROUTE(SearchDocuments);
PM_ROUTE(ListTasks);
PM_ROUTE(TakeTask);
PM_ROUTE(TakeNextTask);
PM_ROUTE(ReleaseTask);
PM_ROUTE(FinishTask);

// mail_room_routes.cc: statistics, batches, reconciliation, quarantine.
PM_ROUTE(Statistics);
PM_ROUTE(ListBatches);
PM_ROUTE(ShowBatch);
PM_ROUTE(ReconcileBatch);
PM_ROUTE(ListQuarantine);
PM_ROUTE(ShowQuarantined);
PM_ROUTE(QuarantinedContent);
PM_ROUTE(QuarantinedImage);
PM_ROUTE(IntakeStatus);
PM_ROUTE(RetryQuarantined);
PM_ROUTE(ReleaseQuarantined);

// audit_routes.cc: the audit trail and grants.
PM_ROUTE(AuditTrail);
PM_ROUTE(VerifyAuditTrail);
PM_ROUTE(ListGrants);
PM_ROUTE(GrantAccess);
PM_ROUTE(RevokeGrant);

#undef PM_ROUTE

// Shared by the handlers.
void Json(ApiResponse* res, const nlohmann::json& body, int status = 200);
void Bytes(ApiResponse* res, std::string bytes, const std::string& content_type);
std::string Query(const ApiRequest& req, const std::string& name);
bool QueryFlag(const ApiRequest& req, const std::string& name);  // checked: "true"/"false"
// A list route's ?offset= and ?limit= (default and most: kMaxListLimit): a list is
// answered in windows, whatever the store holds.
constexpr int kMaxListLimit = 1000;
Status WindowOf(const ApiRequest& req, ListWindow* window);
std::string BodyText(const ApiRequest& req, const std::string& name);  // "" when absent
std::vector<std::string> BodyList(const ApiRequest& req, const std::string& name);

// A call's record as JSON through `view`, or the call's error.
template <typename T, typename View>
Status Answer(const Result<T>& result, View view, ApiResponse* res, int status = 200) {
  if (!result.ok()) return result.status();
  Json(res, view(*result), status);
  return Status::OK();
}
// A call's list as a JSON array, each record through `view`, or the call's error. With
// a `total` (a windowed list), the X-Total-Count header says how many there are in all.
template <typename T, typename View>
Status AnswerList(const Result<std::vector<T>>& result, View view, ApiResponse* res,
                  int total = -1) {
  if (!result.ok()) return result.status();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : *result) out.push_back(view(item));
  Json(res, out);
  if (total >= 0) res->headers["X-Total-Count"] = std::to_string(total);
  return Status::OK();
}

}  // namespace postmottak::routes

#endif  // POSTMOTTAK_CLI_SERVER_ROUTES_HANDLERS_H_

// The audit trail and grants.
#include "cli/json_views.h"
#include "cli/server/routes/handlers.h"

namespace postmottak::routes {

Status AuditTrail(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  AuditQuery q;
  q.case_id = BodyText(req, "case_id");
  q.person_id = BodyText(req, "person_id");
  q.principal = BodyText(req, "principal");
  return AnswerList(s.AuditTrail(q), AuditEntryJson, res);
}

Status VerifyAuditTrail(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  const std::vector<std::string> anchors = BodyList(req, "anchors");
  return Answer(
      s.VerifyAuditTrail(anchors),
      [&anchors](const AuditCheck& c) { return AuditCheckJson(c, anchors.size()); }, res);
}

Status ListGrants(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return AnswerList(s.Grants(Query(req, "case")), GrantJson, res);
}

Status GrantAccess(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return Answer(s.GrantAccess(BodyText(req, "case_id"), BodyText(req, "principal"),
                              BodyText(req, "purpose"), BodyText(req, "expires")),
                GrantJson, res, 201);
}

Status RevokeGrant(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  return Answer(s.RevokeGrant(req.params.at("grant_id")), GrantJson, res);
}

}  // namespace postmottak::routes

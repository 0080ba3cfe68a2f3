// The audit trail and grants.
#include "cli/json_views.h"
#include "cli/server/routes/handlers.h"

namespace postmottak::routes {

using nlohmann::json;

Status AuditTrail(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  AuditQuery q;
  q.case_id = BodyText(req, "case_id");
  q.person_id = BodyText(req, "person_id");
  q.principal = BodyText(req, "principal");
  auto entries = s.AuditTrail(q);
  if (!entries.ok()) return entries.status();
  json out = json::array();
  for (const auto& e : *entries) out.push_back(AuditEntryJson(e));
  Json(res, out);
  return Status::OK();
}

Status VerifyAuditTrail(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  const std::vector<std::string> anchors = BodyList(req, "anchors");
  auto check = s.VerifyAuditTrail(anchors);
  if (!check.ok()) return check.status();
  Json(res, AuditCheckJson(*check, anchors.size()));
  return Status::OK();
}

Status ListGrants(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  auto grants = s.Grants(Query(req, "case"));
  if (!grants.ok()) return grants.status();
  json out = json::array();
  for (const auto& g : *grants) out.push_back(GrantJson(g));
  Json(res, out);
  return Status::OK();
}

Status GrantAccess(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  auto g = s.GrantAccess(BodyText(req, "case_id"), BodyText(req, "principal"),
                         BodyText(req, "purpose"), BodyText(req, "expires"));
  if (!g.ok()) return g.status();
  Json(res, GrantJson(*g), 201);
  return Status::OK();
}

Status RevokeGrant(Session& s, const RouteContext&, const ApiRequest& req, ApiResponse* res) {
  auto g = s.RevokeGrant(req.params.at("grant_id"));
  if (!g.ok()) return g.status();
  Json(res, GrantJson(*g));
  return Status::OK();
}

}  // namespace postmottak::routes

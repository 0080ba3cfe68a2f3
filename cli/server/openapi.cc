#include "cli/server/openapi.h"

#include <map>
#include <regex>

#include "cli/server/api_routes.h"

namespace postmottak {

namespace {

using nlohmann::json;

json SchemaOf(const std::string& type) {
  if (type == "string[]") return {{"type", "array"}, {"items", {{"type", "string"}}}};
  return {{"type", type}};
}

json Problem(const std::string& description) {
  return {
      {"description", description},
      {"content",
       {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

// The errors any route may answer, by what the library's status maps to.
json Responses(const Route& route) {
  json out;
  json ok = {{"description", route.summary}};
  if (route.produces == "application/json")
    ok["content"] = {{"application/json", {{"schema", json::object()}}}};
  else
    ok["content"] = {{route.produces, {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
  out[std::to_string(route.ok_status)] = ok;
  if (route.name == "cases.register")
    out["200"] = {{"description", "the same registration again: the existing case"},
                  {"content", {{"application/json", {{"schema", json::object()}}}}}};
  out["400"] = Problem("invalid_argument: a parameter or field is missing, unknown or malformed");
  out["401"] = Problem("unauthenticated: no token, or one that does not verify");
  out["403"] = Problem(
      "permission_denied: the principal lacks the permission or need to know "
      "(audited)");
  out["404"] = Problem("not_found");
  out["409"] = Problem("already_exists or failed_precondition");
  if (route.method == "POST") out["413"] = Problem("payload_too_large");
  out["422"] = Problem("unsupported");
  out["500"] = Problem("internal");
  return out;
}

json Operation(const Route& route) {
  json op = {{"operationId", route.name},
             {"summary", route.summary},
             {"description", "Needs: " + route.permission + "."},
             {"responses", Responses(route)}};
  json params = json::array();
  std::vector<std::string> names;
  PathRegex(route, &names);
  for (const auto& name : names)
    params.push_back(
        {{"name", name},
         {"in", "path"},
         {"required", true},
         {"schema", {{"type", "string"}, {"pattern", "^" + PathParameterPattern(name) + "$"}}}});
  for (const Field& q : route.query)
    params.push_back({{"name", q.name},
                      {"in", "query"},
                      {"required", q.required},
                      {"description", q.description},
                      {"schema", SchemaOf(q.type)}});
  params.push_back({{"name", "X-Purpose"},
                    {"in", "header"},
                    {"required", false},
                    {"description", "why (written to the audit trail; default: the operation id)"},
                    {"schema", {{"type", "string"}, {"maxLength", 200}}}});
  op["parameters"] = params;
  if (!route.body.empty()) {
    json props = json::object(), required = json::array();
    for (const Field& f : route.body) {
      props[f.name] = SchemaOf(f.type);
      if (!f.description.empty()) props[f.name]["description"] = f.description;
      if (f.required) required.push_back(f.name);
    }
    json schema = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
    if (!required.empty()) schema["required"] = required;
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", schema}}}}}};
  } else if (!route.handler) {  // the upload
    const json file = {{"type", "string"}, {"format", "binary"}};
    const json schema = {{"type", "object"}, {"additionalProperties", file}};
    op["requestBody"] = {{"required", true},
                         {"content", {{"multipart/form-data", {{"schema", schema}}}}}};
  }
  return op;
}

json Plain(const std::string& summary, bool secured) {
  json op = {{"summary", summary}, {"responses", {{"200", {{"description", summary}}}}}};
  if (!secured) op["security"] = json::array();
  return op;
}

}  // namespace

json OpenApiDocument() {
  json paths = json::object();
  for (const Route& route : ApiRoutes()) {
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    paths[route.path][method] = Operation(route);
  }
  paths["/api/v1/openapi.json"]["get"] = Plain("This document", true);
  paths["/healthz"]["get"] = Plain("The process lives (no token)", false);
  paths["/readyz"]["get"] = Plain("The store is open and the server ready (no token)", false);
  paths["/metrics"]["get"] =
      Plain("Prometheus text format: intake, queue, backlog, requests (needs: statistics)", true);
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "Postmottak API"},
            {"version", "1"},
            {"description",
             "Mail intake for a welfare administration: cases, documents, tasks, the mail room. "
             "Every request is done as the token's principal and audited. See docs/api.md."},
            {"license", {{"name", "Apache-2.0"}}}}},
          {"servers", json::array({{{"url", "/"}}})},
          {"security", json::array({{{"bearer", json::array()}}})},
          {"paths", paths},
          {"components",
           {{"securitySchemes",
             {{"bearer",
               {{"type", "http"},
                {"scheme", "bearer"},
                {"description", "A JWT (RS256 or ES256) or a service token (pmst_...)"}}}}},
            {"schemas",
             {{"Problem",
               {{"type", "object"},
                {"description", "RFC 7807 problem details"},
                {"properties",
                 {{"type", {{"type", "string"}}},
                  {"title", {{"type", "string"}}},
                  {"status", {{"type", "integer"}}},
                  {"detail", {{"type", "string"}}},
                  {"code", {{"type", "string"}}}}}}}}}}}};
}

}  // namespace postmottak

// The API's routes (/api/v1): each a method, a path, a name, what it takes (query
// parameters, body fields) and a handler that works through one Session, like a command
// of the command line. The table is the one place a route is declared: the server
// serves it, checks every request against what it declares before the handler runs
// (unknown parameters and fields refused, required ones and types checked), and the
// OpenAPI document (openapi.h) is written from it.
#ifndef POSTMOTTAK_CLI_SERVER_API_ROUTES_H_
#define POSTMOTTAK_CLI_SERVER_API_ROUTES_H_

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/server/inbox.h"
#include "pipeline/config/rules.h"
#include "postmottak/office.h"

namespace postmottak {

// A query parameter or body field. Types: "string", "boolean", "integer", "string[]".
struct Field {
  std::string name;
  std::string type = "string";
  bool required = false;
  std::string description;
};

struct ApiRequest {
  std::map<std::string, std::string> params;  // the path's parameters by name
  std::map<std::string, std::string> query;   // checked against Route::query
  nlohmann::json body;                        // checked against Route::body; {} when none
};

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::map<std::string, std::string> headers;  // besides the server's own
};

// What a handler may use besides its session.
struct RouteContext {
  const Office* office = nullptr;
  const Rules* rules = nullptr;
  Inbox* inbox = nullptr;  // null when the server takes no batches
};

using RouteHandler =
    std::function<Status(Session&, const RouteContext&, const ApiRequest&, ApiResponse*)>;

struct Route {
  std::string method;  // "GET" or "POST"
  // The OpenAPI path: "/api/v1/cases/{case_id}". Parameters match PathParameterPattern.
  std::string path;
  std::string name;        // "cases.show": the audit purpose when X-Purpose is not given
  std::string summary;     // one line for the OpenAPI document
  std::string permission;  // what the principal needs, for the document
  std::vector<Field> query;
  std::vector<Field> body;  // a JSON object with these fields (POST)
  int ok_status = 200;
  std::string produces = "application/json";
  RouteHandler handler;  // empty: served by the server itself (the batch upload)
};

const std::vector<Route>& ApiRoutes();

// The regular expression a path parameter must match: ids are 1-128 of
// [A-Za-z0-9._-], a cover id 12 digits, a page 1-4 digits.
std::string PathParameterPattern(const std::string& name);
// The whole path as a regular expression with one capture per parameter, and the
// parameters' names in order.
std::string PathRegex(const Route& route, std::vector<std::string>* names = nullptr);
// Checks a request against what its route declares and parses its body into `out`.
// InvalidArgument names the parameter or field.
Status CheckRequest(const Route& route, const std::string& body, ApiRequest* out);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_API_ROUTES_H_

// The API's routes (/api/v1): each a method, a path pattern, a name and a handler that
// works through one Session, like a command of the command line. The table is the one
// place a route is declared; the server serves it and (to come) the OpenAPI document
// and its test walk it.
#ifndef POSTMOTTAK_CLI_SERVER_API_ROUTES_H_
#define POSTMOTTAK_CLI_SERVER_API_ROUTES_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pipeline/config/rules.h"
#include "postmottak/office.h"

namespace postmottak {

struct ApiRequest {
  std::vector<std::string> params;           // the path's captures, in order
  std::map<std::string, std::string> query;  // each name once
  std::string body;
};

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

struct Route {
  std::string method;   // "GET" or "POST"
  std::string pattern;  // ECMAScript regex over the whole path; ids are [A-Za-z0-9._-]{1,64}
  std::string name;     // "cases.show": the audit purpose when X-Purpose is not given
  std::function<Status(Session&, const Rules&, const ApiRequest&, ApiResponse*)> handler;
};

const std::vector<Route>& ApiRoutes();

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_API_ROUTES_H_

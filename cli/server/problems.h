// Errors as problem details (RFC 7807): a library Status becomes an HTTP status and a
// JSON body with a stable `code` a case system can branch on. A 500's detail is never
// the internal message (it goes to the server's log instead).
#ifndef POSTMOTTAK_CLI_SERVER_PROBLEMS_H_
#define POSTMOTTAK_CLI_SERVER_PROBLEMS_H_

#include <nlohmann/json.hpp>

#include "storage/status.h"

namespace postmottak {

struct Problem {
  int http_status = 500;
  nlohmann::json body;  // type, title, status, detail, code
};

// InvalidArgument 400, Unauthenticated 401, PermissionDenied 403, NotFound 404,
// AlreadyExists and FailedPrecondition 409, Unsupported 422, everything else 500.
Problem ProblemOf(const Status& status);
// For what the HTTP layer itself refuses: 404 no such route, 405, 413 too large.
Problem HttpProblem(int http_status, const std::string& detail);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_PROBLEMS_H_

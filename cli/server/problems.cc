#include "cli/server/problems.h"

namespace postmottak {

namespace {

Problem Make(int http_status, const std::string& code, const std::string& title,
             const std::string& detail) {
  return {http_status,
          {{"type", "https://postmottak.invalid/problems/" + code},
           {"title", title},
           {"status", http_status},
           {"detail", detail},
           {"code", code}}};
}

}  // namespace

Problem ProblemOf(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument:
      return Make(400, "invalid_argument", "The request is not valid", s.message());
    case Status::Code::kUnauthenticated:
      return Make(401, "unauthenticated", "No valid bearer token", s.message());
    case Status::Code::kPermissionDenied:
      return Make(403, "permission_denied", "Not allowed (need to know, or a role)", s.message());
    case Status::Code::kNotFound:
      return Make(404, "not_found", "Not found", s.message());
    case Status::Code::kAlreadyExists:
      return Make(409, "already_exists", "It exists already", s.message());
    case Status::Code::kFailedPrecondition:
      return Make(409, "failed_precondition", "Not possible in its present state", s.message());
    case Status::Code::kUnsupported:
      return Make(422, "unsupported", "Not supported", s.message());
    default:
      return Make(500, "internal", "Internal error",
                  "the server could not complete the request; its log says why");
  }
}

Problem HttpProblem(int http_status, const std::string& detail) {
  switch (http_status) {
    case 404:
      return Make(404, "no_such_route", "No such route", detail);
    case 405:
      return Make(405, "method_not_allowed", "Method not allowed", detail);
    case 411:
      return Make(411, "length_required", "Content-Length required", detail);
    case 413:
      return Make(413, "too_large", "Request body too large", detail);
    default:
      return Make(http_status, "http_" + std::to_string(http_status), "HTTP error", detail);
  }
}

}  // namespace postmottak

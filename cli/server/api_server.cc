#include "cli/server/api_server.h"

#include <httplib.h>

#include <ctime>
#include <iostream>

#include "cli/server/api_routes.h"
#include "cli/server/problems.h"
#include "pipeline/services/bearer_tokens.h"
#include "pipeline/services/session_rep.h"

namespace postmottak {

namespace {

void Send(httplib::Response& res, const Problem& p) {
  res.status = p.http_status;
  if (p.http_status == 401) res.set_header("WWW-Authenticate", "Bearer");
  res.set_content(p.body.dump(), "application/problem+json");
}

// A purpose as a person typed it: printable, bounded, never empty.
Result<std::string> PurposeOf(const httplib::Request& req, const std::string& route) {
  if (!req.has_header("X-Purpose")) return route;
  const std::string purpose = req.get_header_value("X-Purpose");
  if (purpose.empty() || purpose.size() > 200 ||
      !std::all_of(purpose.begin(), purpose.end(),
                   [](unsigned char c) { return c >= 0x20 && c != 0x7f; }))
    return Status::InvalidArgument("X-Purpose must be 1 to 200 printable characters");
  return purpose;
}

}  // namespace

struct ApiServer::Impl {
  Impl(Office* o, ServerConfig c, TokenVerifier v)
      : office(o), config(std::move(c)), verifier(std::move(v)) {}
  Office* office;
  ServerConfig config;
  TokenVerifier verifier;
  httplib::Server http;

  // The principal the request's bearer token names; no store is touched on the way.
  Result<std::string> Authenticate(const httplib::Request& req) const {
    const std::string header = req.get_header_value("Authorization");
    if (header.rfind("Bearer ", 0) != 0)
      return Status::Unauthenticated("a bearer token is required (Authorization: Bearer ...)");
    return verifier.Verify(header.substr(7), std::time(nullptr));
  }

  void Handle(const Route& route, const httplib::Request& req, httplib::Response& res) {
    auto principal = Authenticate(req);
    if (!principal.ok()) return Send(res, ProblemOf(principal.status()));
    auto purpose = PurposeOf(req, route.name);
    if (!purpose.ok()) return Send(res, ProblemOf(purpose.status()));
    auto session = office->Begin(*principal, *purpose);
    if (!session.ok())  // a token for a principal the policy does not know
      return Send(res, ProblemOf(Status::Unauthenticated(session.status().message())));
    ApiRequest in;
    for (size_t i = 1; i < req.matches.size(); ++i) in.params.push_back(req.matches[i]);
    for (const auto& [name, value] : req.params) {
      if (in.query.count(name))
        return Send(
            res, ProblemOf(Status::InvalidArgument("query parameter '" + name + "' given twice")));
      in.query[name] = value;
    }
    in.body = req.body;
    ApiResponse out;
    const Status done = route.handler(*session, OfficeAccess::RulesOf(*office), in, &out);
    if (!done.ok()) {
      const Problem p = ProblemOf(done);
      if (p.http_status == 500)
        std::cerr << "postmottak serve: " << route.name << ": " << done.ToString() << "\n";
      return Send(res, p);
    }
    res.status = out.status;
    res.set_content(out.body, out.content_type.c_str());
  }

  void Install() {
    const ServerLimits& l = config.limits;
    const int threads = l.threads;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http.set_read_timeout(l.read_timeout_seconds, 0);
    http.set_write_timeout(l.write_timeout_seconds, 0);
    http.set_keep_alive_timeout(l.idle_timeout_seconds);
    http.set_payload_max_length(static_cast<size_t>(l.max_body_bytes));
    http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"status": "ok"})", "application/json");
    });
    http.Get("/readyz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"status": "ready"})", "application/json");
    });
    for (const Route& route : ApiRoutes()) {
      auto handler = [this, &route](const httplib::Request& req, httplib::Response& res) {
        Handle(route, req, res);
      };
      route.method == "GET" ? http.Get(route.pattern, handler) : http.Post(route.pattern, handler);
    }
    // What no route answered, or the HTTP layer refused (413), as problem details too.
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      Send(res,
           HttpProblem(res.status, res.status == 404 ? "no route " + req.method + " " + req.path
                                                     : "refused by the HTTP layer"));
    });
    http.set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr e) {
          try {
            if (e) std::rethrow_exception(e);
          } catch (const std::exception& x) {
            std::cerr << "postmottak serve: " << req.path << ": " << x.what() << "\n";
          }
          Send(res, ProblemOf(Status::IOError("exception")));
        });
  }
};

Result<std::unique_ptr<ApiServer>> ApiServer::Create(Office* office, const ServerConfig& config) {
  auto verifier = TokenVerifier::Create(config.tokens);
  if (!verifier.ok()) return verifier.status();
  auto impl = std::make_unique<Impl>(office, config, std::move(verifier).value());
  impl->Install();
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(impl)));
}

ApiServer::ApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ApiServer::~ApiServer() { Stop(); }

Result<int> ApiServer::Bind() {
  const ServerConfig& c = impl_->config;
  if (c.port == 0) {
    const int port = impl_->http.bind_to_any_port(c.host);
    if (port <= 0) return Status::IOError("cannot listen on " + c.host);
    return port;
  }
  if (!impl_->http.bind_to_port(c.host, c.port))
    return Status::IOError("cannot listen on " + c.host + ":" + std::to_string(c.port));
  return c.port;
}

Status ApiServer::Serve() {
  return impl_->http.listen_after_bind() ? Status::OK()
                                         : Status::IOError("the server stopped with an error");
}

void ApiServer::Stop() {
  if (impl_->http.is_running()) impl_->http.stop();
}

}  // namespace postmottak

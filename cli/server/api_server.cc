#include "cli/server/api_server.h"

#include <httplib.h>
#include <openssl/crypto.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

#include "cli/server/api_routes.h"
#include "cli/server/batch_upload.h"
#include "cli/server/metrics.h"
#include "cli/server/openapi.h"
#include "cli/server/problems.h"
#include "cli/server/web_assets.h"
#include "cli/server/web_sessions.h"
#include "pipeline/services/bearer_tokens.h"
#include "pipeline/services/session_rep.h"
#include "storage/records.h"

namespace postmottak {

namespace {

using Clock = std::chrono::steady_clock;

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

// What the check before the body handed to the handler of the same request: httplib
// runs both on one thread, one request after another.
struct Admitted {
  const httplib::Request* request = nullptr;
  std::string principal;
  Clock::time_point since;
  // A refusal decided on the headers of a request with a small body: answered once
  // httplib has read the body, so that closing the connection cannot reset it first.
  std::optional<Problem> refusal;
  std::string refused_route;
};
thread_local Admitted admitted;

constexpr const char* kOpenApiPath = "/api/v1/openapi.json";
constexpr const char* kSessionPath = "/auth/session";
constexpr const char* kSessionCookie = "pm_session";
// Bodies up to this size are read even when the request is refused (see Refuse()).
constexpr int64_t kSmallBody = 64 * 1024;

// A cookie's value from the Cookie header, "" when absent.
std::string CookieValue(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  size_t at = 0;
  while (at < header.size()) {
    const size_t end = std::min(header.find(';', at), header.size());
    std::string pair = header.substr(at, end - at);
    pair.erase(0, pair.find_first_not_of(' '));
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    at = end + 1;
  }
  return "";
}

// Compares secrets in time independent of where they differ.
bool SameSecret(const std::string& given, const std::string& expected) {
  return !expected.empty() && given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

// A declared body length within `bound`; absent counts as empty.
bool BodyFits(const httplib::Request& req, int64_t bound) {
  if (!req.has_header("Content-Length")) return true;
  const std::string length = req.get_header_value("Content-Length");
  return !length.empty() && length.size() <= 15 &&
         std::all_of(length.begin(), length.end(), ::isdigit) && std::stoll(length) <= bound;
}

// A browser says where a request comes from (Fetch Metadata, Origin); a request another
// site made is refused whatever it carries, a bearer token forwarded by a proxy included.
// Machine clients send neither header.
Status SameOrigin(const httplib::Request& req) {
  const std::string site = req.get_header_value("Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin" && site != "none")
    return Status::PermissionDenied("cross-site request refused (Sec-Fetch-Site: " + site + ")");
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty()) return Status::OK();
  const size_t scheme = origin.find("://");
  const std::string host = scheme == std::string::npos ? "" : origin.substr(scheme + 3);
  const std::string forwarded = req.get_header_value("X-Forwarded-Host");
  if (host.empty() || (host != req.get_header_value("Host") && host != forwarded))
    return Status::PermissionDenied("cross-site request refused (Origin " + origin + ")");
  return Status::OK();
}

// Linux schedules each thread on its own: SCHED_IDLE runs it only on a CPU nothing else
// wants; a niceness lowers its share. Both for this thread alone.
bool LowerThisThread(RequestPriority priority) {
  const auto tid = static_cast<pid_t>(syscall(SYS_gettid));
  switch (priority) {
    case RequestPriority::kNormal:
      return false;
    case RequestPriority::kIdle: {
      sched_param none{};
      return sched_setscheduler(tid, SCHED_IDLE, &none) == 0;
    }
    case RequestPriority::kLow:
      return setpriority(PRIO_PROCESS, static_cast<id_t>(tid), 19) == 0;
  }
  return false;
}

}  // namespace

struct ApiServer::Impl {
  struct Matcher {
    std::regex path;
    std::vector<std::string> names;
    const Route* route;
    std::string pattern;  // what `path` was made from, for httplib
  };

  Impl(Office* o, ServerConfig c, TokenVerifier v, Inbox* i)
      : office(o), config(std::move(c)), verifier(std::move(v)), inbox(i) {}
  Office* office;
  ServerConfig config;
  TokenVerifier verifier;
  Inbox* inbox;
  std::unique_ptr<httplib::Server> http;
  std::vector<Matcher> matchers;
  ServerMetrics metrics;
  WebSessions sessions;

  // The route for a request line; `path_known` when some route has the path.
  const Matcher* Find(const std::string& method, const std::string& path, bool* path_known) const {
    *path_known = false;
    for (const Matcher& m : matchers) {
      if (!std::regex_match(path, m.path)) continue;
      *path_known = true;
      if (m.route->method == method) return &m;
    }
    return nullptr;
  }

  // The principal the request's bearer token names, or else its session cookie's; no
  // store is touched on the way. A state-changing request on a cookie must carry the
  // session's CSRF token: a cookie is sent by the browser whoever made the request.
  Result<std::string> Authenticate(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    if (!header.empty()) {
      if (header.rfind("Bearer ", 0) != 0)
        return Status::Unauthenticated("Authorization must be a bearer token (Bearer ...)");
      return verifier.Verify(header.substr(7), std::time(nullptr));
    }
    const std::string id = CookieValue(req, kSessionCookie);
    if (id.empty())
      return Status::Unauthenticated(
          "a bearer token (Authorization: Bearer ...) or a signed-in session is required");
    auto session = sessions.Find(id, std::time(nullptr));
    if (!session) return Status::Unauthenticated("the session has ended: sign in again");
    if (req.method != "GET" && !SameSecret(req.get_header_value("X-CSRF-Token"), session->csrf))
      return Status::PermissionDenied(
          "cross-site request refused: X-CSRF-Token is missing or not this session's");
    return session->principal;
  }

  // Refused before the body is read: the connection is closed, its unread body with it.
  // A request refused on its headers. With a large (or unknown) body, at once, and the
  // connection closed so that the body is never read. With a small one, after httplib has
  // read it: a socket closed with unread bytes is reset, and the reset can overtake the
  // answer, so a browser would show a broken connection instead of the refusal.
  httplib::Server::HandlerResponse Refuse(const httplib::Request& req, const std::string& route,
                                          const Problem& p, httplib::Response& res) {
    const bool chunked = req.has_header("Transfer-Encoding");
    const bool small = !chunked && BodyFits(req, kSmallBody);
    if (small && req.method != "GET" && req.method != "HEAD") {
      admitted = {&req, "", Clock::now(), p, route};
      return httplib::Server::HandlerResponse::Unhandled;
    }
    Send(res, p);
    if (!small) res.set_header("Connection", "close");
    metrics.Observe(route, p.http_status, 0);
    return httplib::Server::HandlerResponse::Handled;
  }

  // Answers a refusal Refuse() deferred until the body was read; false when none.
  bool AnswerDeferred(const httplib::Request& req, httplib::Response& res) {
    if (admitted.request != &req || !admitted.refusal) return false;
    Send(res, *admitted.refusal);
    metrics.Observe(admitted.refused_route, admitted.refusal->http_status, 0);
    return true;
  }

  // Runs on the headers alone: the route, the token and the body's declared size.
  httplib::Server::HandlerResponse Admit(const httplib::Request& req, httplib::Response& res) {
    // Each request thread lowers its own priority once, the first time it serves: the
    // intake's threads (and the OCR processes they fork) keep theirs.
    static thread_local const bool lowered = LowerThisThread(config.limits.request_priority);
    (void)lowered;
    admitted = {};
    if (req.path == "/healthz" || req.path == "/readyz")
      return httplib::Server::HandlerResponse::Unhandled;
    // The workbench's pages hold no data: they are served to anyone, and ask the API.
    if ((req.method == "GET" || req.method == "HEAD") &&
        (req.path == "/" || WebAssets().count(req.path)))
      return httplib::Server::HandlerResponse::Unhandled;
    if (req.method != "GET" && req.method != "HEAD") {
      if (Status same = SameOrigin(req); !same.ok())
        return Refuse(req, "cross_site", ProblemOf(same), res);
    }
    if (req.path == kSessionPath) {  // signing in needs no session; its handler checks
      if (req.method == "POST" && !BodyFits(req, config.limits.max_body_bytes))
        return Refuse(req, "session", HttpProblem(413, "the body is too large"), res);
      if (req.method != "POST" && req.method != "GET" && req.method != "DELETE")
        return Refuse(req, "session",
                      HttpProblem(405, req.method + " is not served on " + req.path), res);
      admitted = {&req, "", Clock::now(), std::nullopt, ""};
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const bool special = req.path == "/metrics" || req.path == kOpenApiPath;
    bool path_known = special;
    const Matcher* m = special ? nullptr : Find(req.method, req.path, &path_known);
    const std::string name = special ? req.path.substr(1) : m ? m->route->name : "unrouted";
    if (special && req.method != "GET")
      return Refuse(req, name, HttpProblem(405, req.method + " is not served on " + req.path), res);
    if (!special && !m)
      return Refuse(req, name,
                    path_known ? HttpProblem(405, req.method + " is not served on " + req.path)
                               : HttpProblem(404, "no route " + req.method + " " + req.path),
                    res);
    auto principal = Authenticate(req);
    if (!principal.ok()) return Refuse(req, name, ProblemOf(principal.status()), res);
    if (req.method == "POST") {
      const bool upload = m && !m->route->handler;
      const int64_t bound = upload ? config.limits.max_upload_bytes : config.limits.max_body_bytes;
      if (!req.has_header("Content-Length"))
        return Refuse(req, name, HttpProblem(411, "a POST needs a Content-Length"), res);
      if (!BodyFits(req, bound))
        return Refuse(
            req, name,
            HttpProblem(413, "the body is larger than " + std::to_string(bound) + " bytes"), res);
    }
    admitted = {&req, *principal, Clock::now(), std::nullopt, ""};
    return httplib::Server::HandlerResponse::Unhandled;
  }

  // The principal Admit() found for this request (re-verified if the hand-over is lost).
  Result<std::string> PrincipalOf(const httplib::Request& req) {
    if (admitted.request == &req && !admitted.principal.empty()) return admitted.principal;
    return Authenticate(req);
  }

  double Elapsed() const {
    return std::chrono::duration<double>(Clock::now() - admitted.since).count();
  }

  void Answer(const std::string& route, const Status& done, const ApiResponse& out,
              httplib::Response& res) {
    if (!done.ok()) {
      const Problem p = ProblemOf(done);
      if (p.http_status == 500)
        std::cerr << "postmottak serve: " << route << ": " << done.ToString() << "\n";
      Send(res, p);
    } else {
      res.status = out.status;
      for (const auto& [name, value] : out.headers) res.set_header(name, value);
      res.set_content(out.body, out.content_type.c_str());
    }
    metrics.Observe(route, res.status, Elapsed());
  }

  // A session for the request's principal and purpose; a token naming a principal that
  // the policy does not know is not authenticated.
  Result<Session> Begin(const httplib::Request& req, const std::string& route) {
    auto principal = PrincipalOf(req);
    if (!principal.ok()) return principal.status();
    auto purpose = PurposeOf(req, route);
    if (!purpose.ok()) return purpose.status();
    auto session = office->Begin(*principal, *purpose);
    if (!session.ok()) return Status::Unauthenticated(session.status().message());
    return session;
  }

  // For the server's own work that no Session call begins (an upload, /metrics): the
  // request's principal and purpose, and whether its roles give it `permission`. A
  // denial is audited, as a Session call's would be.
  Status Permitted(const httplib::Request& req, const std::string& route, Permission permission,
                   const std::string& what, std::string* principal, std::string* purpose) {
    auto who = PrincipalOf(req);
    if (!who.ok()) return who.status();
    auto why = PurposeOf(req, route);
    if (!why.ok()) return why.status();
    if (!OfficeAccess::PolicyOf(*office).Resolve(*who).ok())
      return Status::Unauthenticated("principal " + *who + " is not in the access policy");
    *principal = *who;
    *purpose = *why;
    return OfficeAccess::Require(*office, *principal, permission, what, *purpose);
  }

  void Handle(const Matcher& m, const httplib::Request& req, httplib::Response& res) {
    if (AnswerDeferred(req, res)) return;
    const Route& route = *m.route;
    ApiResponse out;
    auto session = Begin(req, route.name);
    if (!session.ok()) return Answer(route.name, session.status(), out, res);
    ApiRequest in;
    for (size_t i = 1; i < req.matches.size() && i <= m.names.size(); ++i)
      in.params[m.names[i - 1]] = req.matches[i];
    for (const auto& [name, value] : req.params) {
      if (in.query.count(name))
        return Answer(route.name,
                      Status::InvalidArgument("query parameter '" + name + "' given twice"), out,
                      res);
      in.query[name] = value;
    }
    Status done = CheckRequest(route, req.body, &in);
    if (done.ok()) {
      const RouteContext ctx{office, &OfficeAccess::RulesOf(*office), inbox};
      done = route.handler(*session, ctx, in, &out);
    }
    Answer(route.name, done, out, res);
  }

  void Upload(const Route& route, const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader& reader) {
    if (AnswerDeferred(req, res)) {  // read the small body first, as for the other routes
      if (req.is_multipart_form_data())
        reader([](const httplib::MultipartFormData&) { return true; },
               [](const char*, size_t) { return true; });
      else
        reader([](const char*, size_t) { return true; });
      return;
    }
    ApiResponse out;
    std::string principal, purpose;
    Status allowed =
        Permitted(req, route.name, Permission::kIntake, "upload a batch", &principal, &purpose);
    if (!allowed.ok()) return Answer(route.name, allowed, out, res);
    if (!inbox)
      return Answer(
          route.name,
          Status::FailedPrecondition("this server takes no batches: start it with --inbox"), out,
          res);
    ApiRequest in;
    for (const auto& [name, value] : req.params) in.query[name] = value;
    if (Status s = CheckRequest(route, "", &in); !s.ok()) return Answer(route.name, s, out, res);
    if (!req.is_multipart_form_data())
      return Answer(
          route.name,
          Status::InvalidArgument("send the batch as multipart/form-data, one part per file"), out,
          res);
    const PartReader parts = [&reader](const std::function<bool(const std::string&)>& on_part,
                                       const std::function<bool(const char*, size_t)>& on_data) {
      return reader(
          [&on_part](const httplib::MultipartFormData& part) { return on_part(part.filename); },
          [&on_data](const char* data, size_t n) { return on_data(data, n); });
    };
    auto received = ReceiveBatch(parts, in.query.count("batch") ? in.query["batch"] : "",
                                 config.limits, inbox, principal, purpose);
    if (received.ok()) {
      out.status = 202;
      out.body = nlohmann::json{{"batch", received->batch},
                                {"files", received->files},
                                {"bytes", received->bytes},
                                {"status", "/api/v1/batches/" + received->batch}}
                     .dump();
    }
    Answer(route.name, received.status(), out, res);
  }

  void Metrics(const httplib::Request& req, httplib::Response& res) {
    ApiResponse out;
    std::string principal, purpose;
    Status allowed = Permitted(req, "metrics", Permission::kStatistics, "read the server's metrics",
                               &principal, &purpose);
    if (!allowed.ok()) return Answer("metrics", allowed, out, res);
    BacklogGauges backlog;
    if (auto b = OfficeAccess::BacklogOf(*office); b.ok())
      backlog = {true, b->manual_journaling, b->quarantine_held};
    InboxCounters counters;
    if (inbox) counters = inbox->counters();
    out.body = metrics.Render(inbox ? &counters : nullptr, backlog);
    out.content_type = "text/plain; version=0.0.4";
    Answer("metrics", Status::OK(), out, res);
  }

  // ---- web sessions (/auth/session): sign in with a token, look, sign out ----

  std::string Cookie(const std::string& value, long max_age) const {
    return std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; " +
           "Max-Age=" + std::to_string(max_age) +
           (config.tls_certificate.empty() ? "" : "; Secure");
  }

  // What the page needs of its session: who, where, until when, and the CSRF token.
  Result<nlohmann::json> SessionJson(const WebSession& s) const {
    auto p = OfficeAccess::PolicyOf(*office).Resolve(s.principal);
    if (!p.ok()) return Status::Unauthenticated(p.status().message());
    return nlohmann::json{
        {"principal", s.principal}, {"unit", p->unit}, {"domain", ToString(p->domain)},
        {"roles", p->roles},        {"csrf", s.csrf},  {"expires", UtcIso(s.expires)}};
  }

  void SignIn(const httplib::Request& req, httplib::Response& res) {
    if (AnswerDeferred(req, res)) return;
    ApiResponse out;
    const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("token") || !body["token"].is_string() ||
        body.size() != 1)
      return Answer("session", Status::InvalidArgument("send {\"token\": \"...\"}"), out, res);
    const std::time_t now = std::time(nullptr);
    auto token = verifier.VerifyToken(body["token"].get<std::string>(), now);
    if (!token.ok()) return Answer("session", token.status(), out, res);
    if (token->expires != 0 && token->expires <= now)  // inside the clock skew, but over
      return Answer("session", Status::Unauthenticated("the token has expired"), out, res);
    const WebSession session = sessions.Open(token->principal, token->expires, now);
    auto view = SessionJson(session);
    if (!view.ok()) {
      sessions.Close(session.id);
      return Answer("session", view.status(), out, res);
    }
    res.set_header("Set-Cookie", Cookie(session.id, session.expires - now));
    res.set_header("Cache-Control", "no-store");
    out.body = view->dump();
    Answer("session", Status::OK(), out, res);
  }

  void ShowSession(const httplib::Request& req, httplib::Response& res) {
    ApiResponse out;
    res.set_header("Cache-Control", "no-store");
    auto session = sessions.Find(CookieValue(req, kSessionCookie), std::time(nullptr));
    if (!session)
      return Answer("session", Status::Unauthenticated("not signed in, or the session has ended"),
                    out, res);
    auto view = SessionJson(*session);
    if (view.ok()) out.body = view->dump();
    Answer("session", view.status(), out, res);
  }

  void SignOut(const httplib::Request& req, httplib::Response& res) {
    if (AnswerDeferred(req, res)) return;
    ApiResponse out;
    auto principal = Authenticate(req);  // the cookie and its CSRF token
    if (!principal.ok()) return Answer("session", principal.status(), out, res);
    sessions.Close(CookieValue(req, kSessionCookie));
    res.set_header("Set-Cookie", Cookie("", 0));
    out.body = R"({"signed_out": true})";
    Answer("session", Status::OK(), out, res);
  }

  void Install();
  void InstallPages();
  void InstallRoutes();
};

void ApiServer::Impl::Install() {
  const ServerLimits& l = config.limits;
  const int threads = l.threads;
  http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http->set_read_timeout(l.read_timeout_seconds, 0);
  http->set_write_timeout(l.write_timeout_seconds, 0);
  http->set_keep_alive_timeout(l.idle_timeout_seconds);
  http->set_payload_max_length(static_cast<size_t>(std::max(l.max_body_bytes, l.max_upload_bytes)));
  http->set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return Admit(req, res); });
  http->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status": "ok"})", "application/json");
  });
  http->Get("/readyz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status": "ready"})", "application/json");
  });
  http->Get("/metrics",
            [this](const httplib::Request& req, httplib::Response& res) { Metrics(req, res); });
  InstallPages();
  InstallRoutes();
  // What the HTTP layer itself refused (413 on a body past the bound), as problem details.
  http->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || AnswerDeferred(req, res)) return;
    Send(res, HttpProblem(res.status, res.status == 404 ? "no route " + req.method + " " + req.path
                                                        : "refused by the HTTP layer"));
  });
  http->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr e) {
        try {
          if (e) std::rethrow_exception(e);
        } catch (const std::exception& x) {
          std::cerr << "postmottak serve: " << req.path << ": " << x.what() << "\n";
        }
        Send(res, ProblemOf(Status::IOError("exception")));
      });
}

// The workbench's pages, their sign-in, and the headers every answer carries.
void ApiServer::Impl::InstallPages() {
  for (const auto& [path, asset] : WebAssets()) {
    const WebAsset* page = &asset;
    auto serve = [page](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-cache");
      res.set_header("Content-Security-Policy",
                     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' "
                     "blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
                     "frame-ancestors 'none'");
      res.set_content(page->body, page->content_type);
    };
    http->Get(path, serve);
    if (path == "/index.html") http->Get("/", serve);
  }
  // On every answer: no sniffing, no referrer to other sites, no framing.
  http->set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
  });
  http->Post(kSessionPath,
             [this](const httplib::Request& req, httplib::Response& res) { SignIn(req, res); });
  http->Get(kSessionPath,
            [this](const httplib::Request& req, httplib::Response& res) { ShowSession(req, res); });
  http->Delete(kSessionPath,
               [this](const httplib::Request& req, httplib::Response& res) { SignOut(req, res); });
}

// The API's routes, each matched once in Admit() and once by httplib, from one pattern.
void ApiServer::Impl::InstallRoutes() {
  static const std::string openapi = OpenApiDocument().dump(2);  // the same for every request
  http->Get(kOpenApiPath, [this](const httplib::Request&, httplib::Response& res) {
    ApiResponse out;
    out.body = openapi;
    Answer("openapi", Status::OK(), out, res);
  });
  for (const Route& route : ApiRoutes()) {
    Matcher m{std::regex(), {}, &route, ""};
    m.pattern = PathRegex(route, &m.names);
    m.path = std::regex(m.pattern);
    matchers.push_back(m);
  }
  for (const Matcher& m : matchers) {
    const Route& route = *m.route;
    if (!route.handler) {
      http->Post(m.pattern, [this, &route](const httplib::Request& req, httplib::Response& res,
                                           const httplib::ContentReader& reader) {
        Upload(route, req, res, reader);
      });
      continue;
    }
    auto handler = [this, &m](const httplib::Request& req, httplib::Response& res) {
      Handle(m, req, res);
    };
    route.method == "GET" ? http->Get(m.pattern, handler) : http->Post(m.pattern, handler);
  }
}

Result<std::unique_ptr<ApiServer>> ApiServer::Create(Office* office, const ServerConfig& config,
                                                     Inbox* inbox) {
  PM_RETURN_IF_ERROR(CheckExposure(config));
  auto verifier = TokenVerifier::Create(config.tokens);
  if (!verifier.ok()) return verifier.status();
  auto impl = std::make_unique<Impl>(office, config, std::move(verifier).value(), inbox);
  if (!config.tls_certificate.empty()) {
    auto tls = std::make_unique<httplib::SSLServer>(config.tls_certificate.c_str(),
                                                    config.tls_key.c_str());
    if (!tls->is_valid())
      return Status::InvalidArgument("TLS certificate " + config.tls_certificate + " or key " +
                                     config.tls_key + " cannot be loaded");
    impl->http = std::move(tls);
  } else {
    impl->http = std::make_unique<httplib::Server>();
  }
  impl->Install();
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(impl)));
}

ApiServer::ApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ApiServer::~ApiServer() { Stop(); }

Result<int> ApiServer::Bind() {
  const ServerConfig& c = impl_->config;
  if (c.port == 0) {
    const int port = impl_->http->bind_to_any_port(c.host);
    if (port <= 0) return Status::IOError("cannot listen on " + c.host);
    return port;
  }
  if (!impl_->http->bind_to_port(c.host, c.port))
    return Status::IOError("cannot listen on " + c.host + ":" + std::to_string(c.port));
  return c.port;
}

Status ApiServer::Serve() {
  return impl_->http->listen_after_bind() ? Status::OK()
                                          : Status::IOError("the server stopped with an error");
}

void ApiServer::Stop() {
  if (impl_->http->is_running()) impl_->http->stop();
}

}  // namespace postmottak

// The HTTP API against a real server on a loopback port, with a real HTTP client: no
// anonymous path (every bad token is 401 and touches no store), need to know (403, and
// the denial on the audit trail with the request's purpose), idempotent registration
// (201, then 200, then 409), and bad input answered as problem details naming what
// was wrong.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "cli/server/api_routes.h"
#include "cli/server/api_server.h"
#include "codecs/image.h"
#include "pipeline/services/bearer_tokens.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

using nlohmann::json;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = MakeSigningKey("k1");
    ASSERT_TRUE(key.ok());
    pem_ = key->private_pem;
    test::WriteFile(dir_ / "jwks.json", key->jwks);
    service_ = *MakeServiceToken();
    auto office = Office::Open(test::SampleOfficeOptions(dir_ / "store"));
    ASSERT_TRUE(office.ok()) << office.status().ToString();
    office_ = std::move(office).value();
    ServerConfig config;
    config.port = 0;
    config.tokens.jwks_file = dir_ / "jwks.json";
    config.tokens.issuer = "https://idp.test";
    config.tokens.audience = "postmottak";
    config.tokens.service_tokens[service_.sha256] = "service:case-system";
    config.limits.threads = 4;
    config.limits.max_body_bytes = 4096;
    config.limits.max_upload_bytes = 1 << 20;
    config.limits.read_timeout_seconds = 2;
    auto server = ApiServer::Create(office_.get(), config);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    serving_ = std::thread([this] { server_->Serve().IgnoreError(); });  // Stop ends it
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (serving_.joinable()) serving_.join();
  }
  std::string Token(const std::string& principal, json changes = json::object()) {
    json claims = {{"iss", "https://idp.test"},
                   {"aud", "postmottak"},
                   {"sub", principal},
                   {"exp", std::time(nullptr) + 600},
                   {"nbf", std::time(nullptr) - 5}};
    claims.update(changes);
    return *SignJwt(pem_, "k1", claims);
  }
  httplib::Result Get(const std::string& path, const std::string& token,
                      const std::string& purpose = "") {
    httplib::Client c("127.0.0.1", port_);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    if (!purpose.empty()) h.emplace("X-Purpose", purpose);
    return c.Get(path.c_str(), h);
  }
  httplib::Result Post(const std::string& path, const std::string& token, const std::string& body) {
    httplib::Client c("127.0.0.1", port_);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return c.Post(path.c_str(), h, body, "application/json");
  }
  httplib::Result Send(const std::string& method, const std::string& path, const std::string& token,
                       const std::string& body = "") {
    return method == "GET" ? Get(path, token) : Post(path, token, body);
  }
  json Ok(const std::string& method, const std::string& path, const std::string& token,
          const std::string& body = "", int status = 200) {
    auto r = Send(method, path, token, body);
    EXPECT_TRUE(r) << path;
    if (!r) return json();
    EXPECT_EQ(r->status, status) << method << " " << path << ": " << r->body;
    return json::parse(r->body, nullptr, false);
  }
  // Sends `head` on a fresh connection and reads the answer's status line.
  std::string RawStatusLine(const std::string& head) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
    if (write(fd, head.data(), head.size()) != static_cast<ssize_t>(head.size())) return "";
    char buf[512];
    const ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    const std::string got(buf, n > 0 ? static_cast<size_t>(n) : 0);
    return got.substr(0, got.find("\r\n"));
  }
  static std::string Code(const httplib::Result& r) {
    const json j = json::parse(r->body, nullptr, false);
    return j.is_object() ? j.value("code", "") : "";
  }
  static std::string CaseJson(const std::string& id, const std::string& unit) {
    return json{{"id", id}, {"person_id", test::PersonId(300)}, {"area", "AAP"}, {"unit", unit}}
        .dump();
  }

  test::TempDir dir_;
  std::string pem_;
  ServiceToken service_;
  std::unique_ptr<Office> office_;
  std::unique_ptr<ApiServer> server_;
  std::thread serving_;
  int port_ = 0;
};

TEST_F(ServerTest, EveryRequestNeedsAGoodTokenAndABadOneTouchesNoStore) {
  auto health = Get("/healthz", "");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "none"},
      {Token("user:kari", {{"exp", std::time(nullptr) - 3600}}), "expired"},
      {Token("user:kari", {{"nbf", std::time(nullptr) + 3600}}), "not yet valid"},
      {Token("user:kari", {{"iss", "https://evil.test"}}), "wrong issuer"},
      {Token("user:kari", {{"aud", "another-api"}}), "wrong audience"},
      {*SignJwt(MakeSigningKey("k1")->private_pem, "k1",
                {{"iss", "https://idp.test"},
                 {"aud", "postmottak"},
                 {"sub", "user:kari"},
                 {"exp", std::time(nullptr) + 600}}),
       "forged signature"},
      {Token("user:nobody"), "unknown principal"},
      {"pmst_" + std::string(43, 'x'), "unknown service token"},
  };
  for (const auto& [token, why] : bad) {
    auto r = Get("/api/v1/tasks", token);
    ASSERT_TRUE(r) << why;
    EXPECT_EQ(r->status, 401) << why << ": " << r->body;
    EXPECT_EQ(Code(r), "unauthenticated") << why;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
  }
  // Nothing was done, so nothing was audited, in the name the bad tokens claimed.
  auto auditor = office_->Begin("user:revisor", "checking the API");
  ASSERT_TRUE(auditor.ok());
  for (const char* claimed : {"user:kari", "user:nobody"}) {
    AuditQuery q;
    q.principal = claimed;
    auto trail = auditor->AuditTrail(q);
    ASSERT_TRUE(trail.ok());
    EXPECT_TRUE(trail->empty()) << claimed;
  }
  auto machine = Get("/api/v1/tasks", service_.token);
  ASSERT_TRUE(machine);
  EXPECT_EQ(machine->status, 200) << machine->body;
}

TEST_F(ServerTest, RegistrationIsIdempotentAndNeedToKnowHolds) {
  const std::string kari = Token("user:kari");
  auto created = Post("/api/v1/cases", kari, CaseJson("2026-000301", "0301"));
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  const json c = json::parse(created->body);
  EXPECT_EQ(c["case"]["person_id"], test::PersonId(300).substr(0, 6) + "*****");
  EXPECT_EQ(c["missing"], json({"application", "medical_certificate"}));
  auto again = Post("/api/v1/cases", kari, CaseJson("2026-000301", "0301"));
  EXPECT_EQ(again->status, 200) << "the same registration again: the existing case";
  auto other = Post("/api/v1/cases", kari, CaseJson("2026-000301", "1103"));
  EXPECT_EQ(other->status, 409);
  EXPECT_EQ(Code(other), "already_exists");

  // Another unit's caseworker: 403, and the denial is on the trail with the purpose.
  auto denied = Get("/api/v1/cases/2026-000301", Token("user:ola"), "curious");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);
  EXPECT_EQ(Code(denied), "permission_denied");
  auto shown = Get("/api/v1/cases/2026-000301", kari);
  EXPECT_EQ(shown->status, 200);
  auto letter = Get("/api/v1/letters/2026-000301-L1/pdf", kari);
  ASSERT_TRUE(letter);
  EXPECT_EQ(letter->status, 200);
  EXPECT_EQ(letter->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(letter->body.rfind("%PDF-", 0), 0u);
  auto auditor = office_->Begin("user:revisor", "checking the API");
  ASSERT_TRUE(auditor.ok());
  AuditQuery q;
  q.principal = "user:ola";
  auto trail = auditor->AuditTrail(q);
  ASSERT_TRUE(trail.ok());
  int denials = 0;
  for (const auto& e : *trail) denials += e.action == "denied" && e.purpose == "curious";
  EXPECT_EQ(denials, 1);
}

TEST_F(ServerTest, BadInputIsAProblemNamingWhatWasWrong) {
  const std::string kari = Token("user:kari");
  const std::vector<std::tuple<std::string, std::string, int, std::string>> cases = {
      {"/api/v1/cases", "{not json", 400, "not valid JSON"},
      {"/api/v1/cases", "[1, 2]", 400, "JSON object"},
      {"/api/v1/cases", R"({"id": "x", "surprise": 1})", 400, "unknown field 'surprise'"},
      {"/api/v1/cases", R"({"id": 7})", 400, "'id' must be a string"},
      {"/api/v1/cases", R"({"id": "2026-1", "person_id": "123", "area": "AAP", "unit": "0301"})",
       400, "not a valid national identity number"},
      {"/api/v1/cases", std::string(5000, ' '), 413, ""},
  };
  for (const auto& [path, body, status, why] : cases) {
    auto r = Post(path, kari, body);
    ASSERT_TRUE(r) << why;
    EXPECT_EQ(r->status, status) << why << ": " << r->body;
    EXPECT_NE(r->body.find(why), std::string::npos) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
  }
  EXPECT_EQ(Get("/api/v1/tasks?colour=red", kari)->status, 400);
  EXPECT_EQ(Get("/api/v1/tasks?mine=perhaps", kari)->status, 400);
  EXPECT_EQ(Get("/api/v1/no-such-thing", kari)->status, 404);
  EXPECT_EQ(Get("/api/v1/cases/..%2F..%2Fetc", kari)->status, 404) << "ids are ids, not paths";
  EXPECT_EQ(Get("/api/v1/cases/2026-404404", kari)->status, 404);
  EXPECT_EQ(Get("/api/v1/statistics?since=yesterday", Token("user:arkiv"))->status, 400);
}

// Every path and method of the OpenAPI document is served (never "no such route"), and
// answers one of the statuses documented for it; every route of the table is in it.
TEST_F(ServerTest, TheOpenApiDocumentIsTrueToEveryRoute) {
  const std::string kari = Token("user:kari"), arkiv = Token("user:arkiv");
  EXPECT_EQ(Get("/api/v1/openapi.json", "")->status, 401);
  const json doc = Ok("GET", "/api/v1/openapi.json", kari);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  for (const Route& route : ApiRoutes()) {
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    EXPECT_TRUE(doc["paths"].contains(route.path) && doc["paths"][route.path].contains(method))
        << route.method << " " << route.path << " is not documented";
  }
  int walked = 0;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, op] : operations.items()) {
      std::string concrete = path;
      for (const auto& [name, example] : std::vector<std::pair<std::string, std::string>>{
               {"{cover_id}", "000000000017"}, {"{page}", "1"}}) {
        if (auto at = concrete.find(name); at != std::string::npos)
          concrete.replace(at, name.size(), example);
      }
      concrete = std::regex_replace(concrete, std::regex(R"(\{[a-z_]+\})"), "x-1");
      const std::string token = path == "/metrics" ? arkiv : kari;
      auto r = method == "get" ? Get(concrete, token) : Post(concrete, token, "{}");
      ASSERT_TRUE(r) << method << " " << concrete;
      EXPECT_NE(Code(r), "no_such_route") << method << " " << concrete;
      EXPECT_NE(r->status, 405) << method << " " << concrete;
      EXPECT_TRUE(op["responses"].contains(std::to_string(r->status)))
          << method << " " << concrete << " answered " << r->status
          << ", not documented: " << r->body;
      ++walked;
    }
  }
  EXPECT_EQ(walked, static_cast<int>(ApiRoutes().size()) + 4);  // + openapi, health, metrics
}

// A caseworker's day over HTTP: a document arrives and waits for manual journaling; its
// page image is looked at; it is linked and the checklist changes; the case is handed
// over and the receiving unit works its handover task; the mail room and the auditor
// do their part.
TEST_F(ServerTest, TheCaseFlowAndTheMailRoomOverHttp) {
  const std::string kari = Token("user:kari"), ola = Token("user:ola"), per = Token("user:per"),
                    arkiv = Token("user:arkiv"), revisor = Token("user:revisor"),
                    leder = Token("user:leder");
  Ok("POST", "/api/v1/cases", kari, CaseJson("2026-000777", "0301"), 201);
  const json me = Ok("GET", "/api/v1/me", kari);
  EXPECT_EQ(me["unit"], "0301");

  // Scans: a certificate without any id (manual journaling) and a file that is no image.
  std::vector<Image> pages;
  pages.push_back(test::TextPage("Legeerklæring", "Navn: Ukjent Avsender", 300));
  std::filesystem::create_directories(dir_ / "in");
  test::WriteTiff(dir_ / "in/scan.tif", pages);
  test::WriteFile(dir_ / "in/broken.tif", "II*\0 not really a tiff");
  auto intake = office_->Begin("service:intake", "test intake");
  ASSERT_TRUE(intake.ok());
  ASSERT_TRUE(intake->Intake({std::string(dir_ / "in")}).ok());

  const json queue = Ok("GET", "/api/v1/documents?unlinked=true", per);
  ASSERT_EQ(queue.size(), 1u) << queue.dump();
  const std::string doc = queue[0]["id"];
  auto png = Get("/api/v1/documents/" + doc + "/pages/1", per);
  ASSERT_TRUE(png);
  ASSERT_EQ(png->status, 200) << png->body;
  EXPECT_EQ(png->get_header_value("Content-Type"), "image/png");
  auto full = DecodeImage(png->body);
  ASSERT_TRUE(full.ok());
  auto thumb = DecodeImage(Get("/api/v1/documents/" + doc + "/pages/1?width=200", per)->body);
  ASSERT_TRUE(thumb.ok());
  EXPECT_GT(full->width(), 1000);
  EXPECT_EQ(thumb->width(), 200);
  EXPECT_EQ(Get("/api/v1/documents/" + doc + "/pages/2", per)->status, 404);
  EXPECT_EQ(Get("/api/v1/documents/" + doc + "/pages/1", ola)->status, 403) << "need to know";
  const json found = Ok("POST", "/api/v1/search", per, R"({"words": "ukjent avsender"})");
  EXPECT_EQ(found.size(), 1u);

  // Manual journaling: no id in the text, so no candidate until the journaler types the
  // person's id off the page (in the body, never the URL); then it links by the
  // journaling basis without seeing the case, and the case's checklist has it.
  const std::string journal = "/api/v1/documents/" + doc;
  auto window = Get("/api/v1/documents?unlinked=true&offset=0&limit=1", per);
  ASSERT_TRUE(window);
  EXPECT_EQ(window->get_header_value("X-Total-Count"), "1");
  EXPECT_EQ(Get("/api/v1/tasks?limit=0", per)->status, 400) << "a window of 1 to 1000";
  EXPECT_EQ(Ok("POST", journal + "/candidates", per, "{}")["candidates"].size(), 0u);
  const json typed =
      Ok("POST", journal + "/candidates", per, json{{"person_id", test::PersonId(300)}}.dump());
  ASSERT_EQ(typed["candidates"].size(), 1u) << typed.dump();
  EXPECT_EQ(typed["candidates"][0]["case_id"], "2026-000777");
  EXPECT_EQ(typed["candidates"][0]["evidence"],
            json({"person_typed", "awaits_type", "type_fits_area"}));
  EXPECT_EQ(typed["candidates"][0]["person_id"], MaskPersonId(test::PersonId(300)));
  EXPECT_EQ(Post(journal + "/candidates", per, R"({"person_id": "12345678901"})")->status, 400);
  EXPECT_EQ(Post(journal + "/candidates", ola, "{}")->status, 403) << "not in ola's queue";
  EXPECT_EQ(Post(journal + "/hand-on", per, R"({"unit": "9999", "reason": "x"})")->status, 400);
  EXPECT_GE(Ok("GET", "/api/v1/units", per).size(), 3u);
  EXPECT_EQ(Get("/api/v1/cases/2026-000777", per)->status, 403) << "identity, not content";
  Ok("POST", journal + "/links", per, R"({"case_id": "2026-000777"})");
  const json c = Ok("GET", "/api/v1/cases/2026-000777", kari);
  EXPECT_EQ(c["missing"], json({"application"})) << c.dump();

  // Handed over; the receiving unit takes, releases, takes again and finishes its task.
  Ok("POST", "/api/v1/cases/2026-000777/transfer", kari,
     R"({"to": "4402", "category": "decide", "reason": "ready"})");
  EXPECT_EQ(Get("/api/v1/cases/2026-000777", kari)->status, 403) << "the case left the unit";
  const std::string task = "/api/v1/tasks/handover-2026-000777-1";
  EXPECT_EQ(Ok("POST", task + "/take", ola)["holder"], "user:ola");
  Ok("POST", task + "/release", ola);
  const json next = Ok("POST", "/api/v1/tasks/next", ola);
  EXPECT_FALSE(next.value("id", "").empty());
  Ok("POST", "/api/v1/tasks/" + next["id"].get<std::string>() + "/release", ola);
  Ok("POST", task + "/take", ola);
  EXPECT_EQ(Ok("POST", task + "/finish", ola)["status"], "closed");
  const json timeline = Ok("GET", "/api/v1/cases/2026-000777/timeline", ola);
  EXPECT_GE(timeline.size(), 4u);

  // The mail room: the refused file, its bytes, and a release to manual journaling.
  const json held = Ok("GET", "/api/v1/quarantine", arkiv);
  ASSERT_EQ(held.size(), 1u) << held.dump();
  const std::string q = "/api/v1/quarantine/" + held[0]["id"].get<std::string>();
  EXPECT_EQ(Get(q + "/content", arkiv)->body, "II*\0 not really a tiff");
  EXPECT_EQ(Post(q + "/release", arkiv, "{}")->status, 400) << "a release needs a reason";
  Ok("POST", q + "/release", arkiv, R"({"reason": "the sender is asked for a new copy"})");
  EXPECT_EQ(Ok("GET", "/api/v1/quarantine", arkiv).size(), 0u);
  const json batches = Ok("GET", "/api/v1/batches", arkiv);
  ASSERT_EQ(batches.size(), 1u);
  const json balance = Ok(
      "GET", "/api/v1/batches/" + batches[0]["id"].get<std::string>() + "/reconciliation", arkiv);
  EXPECT_TRUE(balance["balanced"].get<bool>()) << balance.dump();

  // A grant lets kari see the case again; the auditor sees it all on the trail.
  const json grant = Ok("POST", "/api/v1/grants", leder,
                        json{{"case_id", "2026-000777"},
                             {"principal", "user:kari"},
                             {"purpose", "second opinion"},
                             {"expires", "2027-01-31"}}
                            .dump(),
                        201);
  Ok("GET", "/api/v1/cases/2026-000777", kari);
  Ok("POST", "/api/v1/grants/" + grant["id"].get<std::string>() + "/revoke", leder);
  EXPECT_EQ(Get("/api/v1/cases/2026-000777", kari)->status, 403);
  const json trail = Ok("POST", "/api/v1/audit", revisor, R"({"case_id": "2026-000777"})");
  EXPECT_GT(trail.size(), 10u);
  EXPECT_TRUE(Ok("POST", "/api/v1/audit/verify", revisor, "{}")["intact"].get<bool>());
}

// What abuse looks like at the HTTP layer: refused before the body is read.
TEST_F(ServerTest, OversizedUnlengthedAndWrongMethodRequestsAreRefusedEarly) {
  const std::string kari = Token("user:kari");
  httplib::Client c("127.0.0.1", port_);
  httplib::Headers h = {{"Authorization", "Bearer " + kari}};
  // A streamed body without Content-Length: refused on its headers (the server closes the
  // connection, so the answer is read before any chunk is sent).
  EXPECT_EQ(RawStatusLine("POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                          "Bearer " +
                          kari + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .substr(0, 12),
            "HTTP/1.1 411");
  EXPECT_EQ(c.Delete("/api/v1/cases/2026-000301", h)->status, 405);
  EXPECT_EQ(c.Put("/api/v1/cases", h, "{}", "application/json")->status, 405);
  EXPECT_EQ(c.Get("/healthz")->status, 200) << "the connection was not reset";
  // An upload larger than the bound is refused on its Content-Length, before a byte of
  // the body is sent; so is any body to a route past its (smaller) bound.
  for (const char* path : {"/api/v1/batches", "/api/v1/cases"}) {
    const std::string head = std::string("POST ") + path +
                             " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kari +
                             "\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                             "Content-Length: 99999999999\r\n\r\n";
    EXPECT_EQ(RawStatusLine(head).substr(0, 12), "HTTP/1.1 413") << path;
  }
  // Without a token the same costs nothing either.
  EXPECT_EQ(
      RawStatusLine("POST /api/v1/batches HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n")
          .substr(0, 12),
      "HTTP/1.1 401");
  // And the server still answers.
  EXPECT_EQ(Get("/healthz", "")->status, 200);
}

// Slow clients that open connections and send their headers a byte at a time (or not
// at all) are cut off by the read timeout: they cannot hold the worker threads.
TEST_F(ServerTest, SlowClientsCannotHoldTheWorkerThreads) {
  std::vector<int> slow;
  for (int i = 0; i < 8; ++i) {  // twice the fixture's threads
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(write(fd, "GET /api/v1/tas", 15), 15);
    slow.push_back(fd);
  }
  // Answered once the slow ones are cut off (the client waits long enough for that).
  httplib::Client c("127.0.0.1", port_);
  c.set_read_timeout(60);
  auto answer = c.Get("/healthz");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  for (int fd : slow) {
    char byte;
    EXPECT_LE(read(fd, &byte, 1), 0) << "the slow connection was closed";
    close(fd);
  }
}

// The workbench's way in: a token turned into a session cookie (HttpOnly, SameSite=Strict,
// ending with the token), a CSRF token on every state-changing request made with it,
// cross-site requests refused whatever they carry, sign-out, and forged or ended
// sessions answered 401.
TEST_F(ServerTest, ABrowserSessionFromATokenWithCsrfProtectionAndSignOut) {
  httplib::Client c("127.0.0.1", port_);
  EXPECT_EQ(c.Post("/auth/session", R"({"token": "nonsense"})", "application/json")->status, 401);
  EXPECT_EQ(c.Post("/auth/session", R"({"tok": "x"})", "application/json")->status, 400);
  auto signed_in =
      c.Post("/auth/session", json{{"token", Token("user:kari")}}.dump(), "application/json");
  ASSERT_TRUE(signed_in);
  ASSERT_EQ(signed_in->status, 200) << signed_in->body;
  const std::string set_cookie = signed_in->get_header_value("Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "plain HTTP on loopback";
  const json session = json::parse(signed_in->body);
  EXPECT_EQ(session["principal"], "user:kari");
  EXPECT_EQ(session["unit"], "0301");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf = session["csrf"];

  const httplib::Headers with_cookie = {{"Cookie", cookie}};
  EXPECT_EQ(c.Get("/api/v1/me", with_cookie)->status, 200);
  EXPECT_EQ(c.Get("/auth/session", with_cookie)->status, 200);
  const std::string body = CaseJson("2026-000888", "0301");
  auto no_csrf = c.Post("/api/v1/cases", with_cookie, body, "application/json");
  EXPECT_EQ(no_csrf->status, 403) << no_csrf->body;
  httplib::Headers wrong = with_cookie;
  wrong.emplace("X-CSRF-Token", std::string(csrf.size(), 'A'));
  EXPECT_EQ(c.Post("/api/v1/cases", wrong, body, "application/json")->status, 403);
  httplib::Headers right = with_cookie;
  right.emplace("X-CSRF-Token", csrf);
  EXPECT_EQ(c.Post("/api/v1/cases", right, body, "application/json")->status, 201);

  // Made by another site: refused with the right CSRF token, or a bearer token, too.
  httplib::Headers cross = right;
  cross.emplace("Origin", "http://evil.test");
  EXPECT_EQ(c.Post("/api/v1/cases", cross, body, "application/json")->status, 403);
  httplib::Headers fetched = {{"Authorization", "Bearer " + Token("user:kari")},
                              {"Sec-Fetch-Site", "cross-site"}};
  EXPECT_EQ(c.Post("/api/v1/cases/2026-000888/close", fetched, "", "application/json")->status,
            403);
  httplib::Headers same = right;
  same.emplace("Origin", "http://127.0.0.1:" + std::to_string(port_));
  same.emplace("Sec-Fetch-Site", "same-origin");
  EXPECT_EQ(c.Get("/api/v1/cases/2026-000888", same)->status, 200);

  // A forged cookie, then signing out: the old cookie no longer works.
  EXPECT_EQ(c.Get("/api/v1/me", {{"Cookie", "pm_session=" + std::string(43, 'x')}})->status, 401);
  auto out = c.Delete("/auth/session", right);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200) << out->body;
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(c.Get("/api/v1/me", with_cookie)->status, 401);

  // A session ends with its token.
  auto brief = c.Post("/auth/session",
                      json{{"token", Token("user:kari", {{"exp", std::time(nullptr) + 1}})}}.dump(),
                      "application/json");
  ASSERT_EQ(brief->status, 200);
  const std::string brief_cookie = brief->get_header_value("Set-Cookie")
                                       .substr(0, brief->get_header_value("Set-Cookie").find(';'));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto ended = c.Get("/api/v1/me", {{"Cookie", brief_cookie}});
  EXPECT_EQ(ended->status, 401);
  EXPECT_NE(ended->body.find("sign in again"), std::string::npos) << ended->body;
}

// A self-signed certificate for 127.0.0.1, made with OpenSSL, as PEM files.
void WriteSelfSigned(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  FILE* c = std::fopen(cert_path.c_str(), "w");
  PEM_write_X509(c, cert);
  std::fclose(c);
  FILE* k = std::fopen(key_path.c_str(), "w");
  PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(k);
  X509_free(cert);
  EVP_PKEY_free(key);
}

// TLS from the configuration: served over HTTPS, and plain HTTP beyond loopback refused
// unless TLS (or, behind a proxy, an explicit setting) says otherwise.
TEST(ServerTlsTest, ServesHttpsAndRefusesPlainHttpBeyondLoopback) {
  test::TempDir dir;
  auto office = Office::Open(test::SampleOfficeOptions(dir / "store"));
  ASSERT_TRUE(office.ok());
  ServerConfig config;
  ASSERT_TRUE(ParseListen("0.0.0.0:8443", &config).ok());
  EXPECT_EQ(CheckExposure(config).code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(ApiServer::Create(office->get(), config).ok());
  config.plain_http_beyond_loopback = true;
  EXPECT_TRUE(CheckExposure(config).ok()) << "behind a TLS-terminating proxy";

  WriteSelfSigned(dir / "server.crt", dir / "server.key");
  config = ServerConfig();
  config.port = 0;
  config.tls_certificate = dir / "server.crt";
  config.tls_key = dir / "server.key";
  const ServiceToken token = *MakeServiceToken();
  config.tokens.service_tokens[token.sha256] = "user:arkiv";
  auto server = ApiServer::Create(office->get(), config);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = *(*server)->Bind();
  std::thread serving([&server] { (*server)->Serve().IgnoreError(); });
  httplib::SSLClient tls("127.0.0.1", port);
  tls.set_ca_cert_path((dir / "server.crt").c_str());
  tls.enable_server_certificate_verification(true);
  auto stats = tls.Get("/api/v1/statistics", {{"Authorization", "Bearer " + token.token}});
  ASSERT_TRUE(stats) << httplib::to_string(stats.error());
  EXPECT_EQ(stats->status, 200);
  auto signed_in =
      tls.Post("/auth/session", json{{"token", token.token}}.dump(), "application/json");
  ASSERT_TRUE(signed_in);
  EXPECT_NE(signed_in->get_header_value("Set-Cookie").find("; Secure"), std::string::npos)
      << "a session cookie under TLS is Secure";
  httplib::Client plain("127.0.0.1", port);
  plain.set_connection_timeout(2);
  plain.set_read_timeout(2);
  auto refused = plain.Get("/healthz");
  EXPECT_TRUE(!refused || refused->status != 200) << "no plain HTTP on a TLS port";
  config.tls_key = dir / "missing.key";
  EXPECT_FALSE(ApiServer::Create(office->get(), config).ok()) << "a key that cannot be read";
  (*server)->Stop();
  serving.join();
}

}  // namespace
}  // namespace postmottak

namespace postmottak {
namespace {

using nlohmann::json;

// A queue of ten thousand documents waiting for journaling is answered fifty at a time:
// the window holds fifty, the header counts all, and only the fifty are audited as read.
// The time each answer took is printed for the record (docs/benchmarks.md), never
// asserted.
TEST(ServerQueueTest, AQueueOfTenThousandIsServedInWindows) {
  test::TempDir dir;
  constexpr int kWaiting = 10000;
  {
    auto store = test::OpenStore(dir / "store");
    Change change = store->BeginChange(test::Tester(), "a long queue");
    for (int i = 0; i < kWaiting; ++i) {
      char id[32];
      std::snprintf(id, sizeof id, "doc-%05d", i);
      Document d;
      d.id = id;
      d.type = "unknown";
      d.text = "Brev til NAV uten fødselsnummer";
      d.received_at = "2026-11-30T08:00:00Z";
      test::PutAwaitingJournaling(change, d, "4817", d.received_at);
    }
    ASSERT_TRUE(change.Commit().ok());
  }
  auto office = Office::Open(test::SampleOfficeOptions(dir / "store"));
  ASSERT_TRUE(office.ok()) << office.status().ToString();
  ServerConfig config;
  config.port = 0;
  const ServiceToken token = *MakeServiceToken();
  config.tokens.service_tokens[token.sha256] = "user:per";
  auto server = ApiServer::Create(office->get(), config);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = *(*server)->Bind();
  std::thread serving([&server] { (*server)->Serve().IgnoreError(); });
  httplib::Client client("127.0.0.1", port);
  const httplib::Headers auth = {{"Authorization", "Bearer " + token.token}};
  for (const std::string path :
       {"/api/v1/documents?unlinked=true&offset=9950&limit=50",
        "/api/v1/tasks?unit=4817&kind=manual_journaling&offset=0&limit=50"}) {
    const auto start = std::chrono::steady_clock::now();
    auto r = client.Get(path.c_str(), auth);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(json::parse(r->body).size(), 50u) << path;
    EXPECT_EQ(r->get_header_value("X-Total-Count"), std::to_string(kWaiting)) << path;
    std::cout << "[ figures  ] " << path << ": 50 of " << kWaiting << " in " << ms << " ms\n";
  }
  (*server)->Stop();
  serving.join();
  auto auditor = (*office)->Begin("user:revisor", "test");
  ASSERT_TRUE(auditor.ok());
  AuditQuery query;
  query.principal = "user:per";
  auto trail = auditor->AuditTrail(query);
  ASSERT_TRUE(trail.ok());
  int reads = 0;
  for (const auto& e : *trail) reads += e.action == "list_document" || e.action == "list_task";
  EXPECT_EQ(reads, 100);
}

}  // namespace
}  // namespace postmottak

// The HTTP API against a real server on a loopback port, with a real HTTP client: no
// anonymous path (every bad token is 401 and touches no store), need to know (403, and
// the denial on the audit trail with the request's purpose), idempotent registration
// (201, then 200, then 409), and bad input answered as problem details naming what
// was wrong.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "cli/server/api_server.h"
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

}  // namespace
}  // namespace postmottak

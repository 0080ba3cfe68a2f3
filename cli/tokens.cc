#include "cli/tokens.h"

#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "pipeline/services/access.h"
#include "pipeline/services/bearer_tokens.h"

namespace postmottak {

namespace {

using nlohmann::json;

struct IssueOptions {
  std::string principal, ttl = "8h", key = "dev-signing-key.pem", jwks, kid = "dev-1";
  std::string issuer = "postmottak-dev", audience = "postmottak";
};

// "90s", "15m", "8h", "2d": at most 30 days, for a development token.
Result<int64_t> ParseTtl(const std::string& ttl) {
  static const std::regex re(R"(([0-9]{1,6})([smhd]))");
  std::smatch m;
  if (!std::regex_match(ttl, m, re))
    return Status::InvalidArgument("--ttl '" + ttl + "' is not like 90s, 15m, 8h or 2d");
  const int64_t n = std::stoll(m[1]);
  const int64_t unit = m[2] == "s" ? 1 : m[2] == "m" ? 60 : m[2] == "h" ? 3600 : 86400;
  if (n < 1 || n * unit > 30 * 86400)
    return Status::InvalidArgument("--ttl '" + ttl + "' must be from 1 s to 30 days");
  return n * unit;
}

// The key file, made (mode 0600, with its JWKS beside it) when it does not exist yet.
Result<std::string> SigningKeyPem(const IssueOptions& o, const std::string& jwks_path) {
  std::error_code ec;
  if (!std::filesystem::exists(o.key, ec)) {
    auto made = MakeSigningKey(o.kid);
    if (!made.ok()) return made.status();
    const mode_t old = umask(077);
    std::ofstream(o.key) << made->private_pem;
    umask(old);
    std::ofstream(jwks_path) << made->jwks << "\n";
    if (!std::filesystem::exists(o.key, ec) || !std::filesystem::exists(jwks_path, ec))
      return Status::IOError("cannot write " + o.key + " and " + jwks_path);
    std::cerr << "postmottak: made a development signing key " << o.key
              << "; the server verifies with " << jwks_path << "\n";
    return made->private_pem;
  }
  std::stringstream pem;
  pem << std::ifstream(o.key).rdbuf();
  auto jwks = JwksOf(pem.str(), o.kid);
  if (!jwks.ok()) return Status::InvalidArgument(o.key + ": " + jwks.status().message());
  if (!std::filesystem::exists(jwks_path, ec)) std::ofstream(jwks_path) << *jwks << "\n";
  return pem.str();
}

int Issue(const Globals& g, const IssueOptions& o) {
  auto policy = Policy::Load(g.policy_path);
  if (!policy.ok()) return Fail(policy.status());
  if (auto p = policy->Resolve(o.principal); !p.ok()) return Fail(p.status());
  auto ttl = ParseTtl(o.ttl);
  if (!ttl.ok()) return Fail(ttl.status());
  const std::string jwks_path = o.jwks.empty() ? o.key + ".jwks.json" : o.jwks;
  auto pem = SigningKeyPem(o, jwks_path);
  if (!pem.ok()) return Fail(pem.status());
  const std::time_t now = std::time(nullptr);
  const json claims = {{"iss", o.issuer}, {"aud", o.audience}, {"sub", o.principal},
                       {"iat", now},      {"nbf", now},        {"exp", now + *ttl}};
  auto token = SignJwt(*pem, o.kid, claims);
  if (!token.ok()) return Fail(token.status());
  if (g.json) {
    std::cout << json{{"token", *token},       {"principal", o.principal},
                      {"expires", now + *ttl}, {"jwks_file", jwks_path},
                      {"issuer", o.issuer},    {"audience", o.audience}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << *token << "\n";
  }
  return 0;
}

int Service(const Globals& g, const std::string& principal) {
  auto policy = Policy::Load(g.policy_path);
  if (!policy.ok()) return Fail(policy.status());
  if (auto p = policy->Resolve(principal); !p.ok()) return Fail(p.status());
  auto t = MakeServiceToken();
  if (!t.ok()) return Fail(t.status());
  if (g.json) {
    std::cout << json{{"token", t->token}, {"principal", principal}, {"sha256", t->sha256}}.dump(2)
              << "\n";
    return 0;
  }
  std::cout << t->token << "\n";
  std::cerr << "Give the token to the machine; keep only its SHA-256 in the server's "
               "configuration:\n  \"service_tokens\": {\""
            << t->sha256 << "\": \"" << principal << "\"}\n";
  return 0;
}

}  // namespace

void AddTokenCommands(CLI::App& app, const Globals& g, int* rc) {
  auto o = std::make_shared<IssueOptions>();
  auto* token = app.add_subcommand("token", "bearer tokens for the server's API (no store needed)")
                    ->require_subcommand(1);
  auto* issue = token->add_subcommand(
      "issue", "a JWT signed with a local development key (made when missing)");
  issue->add_option("--principal", o->principal, "who the token acts for (a policy principal)")
      ->required();
  issue->add_option("--ttl", o->ttl, "how long it holds: 90s, 15m, 8h, 2d (at most 30 days)")
      ->capture_default_str();
  issue->add_option("--key", o->key, "the signing key (PEM)")->capture_default_str();
  issue->add_option("--jwks", o->jwks, "where its public JWKS is (default: KEY.jwks.json)");
  issue->add_option("--kid", o->kid, "key id")->capture_default_str();
  issue->add_option("--issuer", o->issuer, "iss claim")->capture_default_str();
  issue->add_option("--audience", o->audience, "aud claim")->capture_default_str();
  issue->callback([&g, rc, o] { *rc = Issue(g, *o); });
  auto principal = std::make_shared<std::string>();
  auto* service =
      token->add_subcommand("service", "a random service token for a machine, and its SHA-256");
  service->add_option("--principal", *principal, "who it acts for (a policy principal)")
      ->required();
  service->callback([&g, rc, principal] { *rc = Service(g, *principal); });
}

}  // namespace postmottak

// No anonymous path: a bearer token names its principal only when it is a JWT whose
// signature one of the identity provider's keys verifies and whose issuer, audience
// and times hold, or a configured service token. Everything else is refused with the
// reason, and no claim of a token that does not verify is looked at.
#include "pipeline/services/bearer_tokens.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "tests/test_util.h"

namespace postmottak {
namespace {

using nlohmann::json;

constexpr std::time_t kNow = 1'796'000'000;  // 2026-11-30

// An RSA private key as PEM, for the RS256 case.
std::string RsaPem() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, len);
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

class BearerTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ec = MakeSigningKey("ec-1");
    ASSERT_TRUE(ec.ok()) << ec.status().ToString();
    ec_pem_ = ec->private_pem;
    rsa_pem_ = RsaPem();
    auto rsa_jwks = JwksOf(rsa_pem_, "rsa-1");
    ASSERT_TRUE(rsa_jwks.ok()) << rsa_jwks.status().ToString();
    json jwks = json::parse(ec->jwks);
    jwks["keys"].push_back(json::parse(*rsa_jwks)["keys"][0]);
    test::WriteFile(dir_ / "jwks.json", jwks.dump());
    service_ = *MakeServiceToken();
    config_.jwks_file = dir_ / "jwks.json";
    config_.issuer = "https://idp.example.test";
    config_.audience = "postmottak";
    config_.service_tokens[service_.sha256] = "service:case-system";
    auto verifier = TokenVerifier::Create(config_);
    ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
    verifier_.emplace(std::move(verifier).value());
  }
  json Claims() const {
    return {{"iss", config_.issuer}, {"aud", config_.audience}, {"sub", "user:kari"},
            {"iat", kNow - 10},      {"nbf", kNow - 10},        {"exp", kNow + 3600}};
  }
  std::string Sign(const json& claims, const std::string& pem, const std::string& kid) {
    auto t = SignJwt(pem, kid, claims);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : "";
  }
  Status Refusal(const std::string& token) { return verifier_->Verify(token, kNow).status(); }

  test::TempDir dir_;
  std::string ec_pem_, rsa_pem_;
  ServiceToken service_;
  TokenConfig config_;
  std::optional<TokenVerifier> verifier_;
};

TEST_F(BearerTokensTest, SignedTokensOfBothAlgorithmsAndServiceTokensNameTheirPrincipal) {
  auto es = verifier_->Verify(Sign(Claims(), ec_pem_, "ec-1"), kNow);
  ASSERT_TRUE(es.ok()) << es.status().ToString();
  EXPECT_EQ(*es, "user:kari");
  json list_audience = Claims();
  list_audience["aud"] = {"other", "postmottak"};
  auto rs = verifier_->Verify(Sign(list_audience, rsa_pem_, "rsa-1"), kNow);
  ASSERT_TRUE(rs.ok()) << rs.status().ToString();
  EXPECT_EQ(*rs, "user:kari");
  auto service = verifier_->Verify(service_.token, kNow);
  ASSERT_TRUE(service.ok());
  EXPECT_EQ(*service, "service:case-system");
  // Within the clock skew (60 s) on either side.
  EXPECT_TRUE(verifier_->Verify(Sign(Claims(), ec_pem_, "ec-1"), kNow + 3600 + 59).ok());
}

TEST_F(BearerTokensTest, EveryBadTokenIsRefusedWithItsReason) {
  json expired = Claims();
  expired["exp"] = kNow - 61;
  json early = Claims();
  early["nbf"] = kNow + 61;
  json issuer = Claims();
  issuer["iss"] = "https://evil.example.test";
  json audience = Claims();
  audience["aud"] = "someone-else";
  json no_expiry = Claims();
  no_expiry.erase("exp");
  json no_principal = Claims();
  no_principal.erase("sub");
  const std::string good = Sign(Claims(), ec_pem_, "ec-1");
  std::string forged = good;
  forged[forged.size() - 5] = forged[forged.size() - 5] == 'A' ? 'B' : 'A';
  // Another key under a known key id.
  const std::string impostor = Sign(Claims(), MakeSigningKey("ec-1")->private_pem, "ec-1");
  // The claims of a good token under another header: "none", and HS256.
  const std::string payload = good.substr(good.find('.') + 1, good.rfind('.') - good.find('.') - 1);
  const std::string none = "eyJhbGciOiJub25lIn0." + payload + ".";
  const std::string hs256 =
      "eyJhbGciOiJIUzI1NiJ9." + payload + "." + good.substr(good.rfind('.') + 1);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "none given"},
      {Sign(expired, ec_pem_, "ec-1"), "expired"},
      {Sign(early, ec_pem_, "ec-1"), "not valid before"},
      {Sign(issuer, ec_pem_, "ec-1"), "wrong issuer"},
      {Sign(audience, rsa_pem_, "rsa-1"), "wrong audience"},
      {Sign(no_expiry, ec_pem_, "ec-1"), "no expiry"},
      {Sign(no_principal, ec_pem_, "ec-1"), "names no principal"},
      {forged, "signature does not verify"},
      {impostor, "signature does not verify"},
      {Sign(Claims(), ec_pem_, "unknown"), "unknown key id"},
      {Sign(Claims(), rsa_pem_, "ec-1"), "does not sign with RS256"},
      {none, "algorithm none"},
      {hs256, "algorithm HS256"},
      {"not-a-token", "not a JWT"},
      {"a.b!.c", "not base64url"},
      {"pmst_" + std::string(43, 'A'), "not a configured service token"},
      {std::string(9000, 'a'), "longer than"},
  };
  for (const auto& [token, why] : cases) {
    const Status s = Refusal(token);
    EXPECT_TRUE(s.IsUnauthenticated()) << why << ": " << s.ToString();
    EXPECT_NE(s.message().find(why), std::string::npos) << s.message();
    if (!token.empty()) {
      EXPECT_EQ(s.message().find(token), std::string::npos) << "never echoed";
    }
  }
}

TEST_F(BearerTokensTest, BadConfigurationIsRefusedNamingTheField) {
  const std::vector<std::pair<json, std::string>> configs = {
      {{{"jwks_file", "x.json"}}, "tokens.issuer"},
      {{{"issuer", 7}}, "tokens.issuer must be a string"},
      {{{"clock_skew_seconds", 3600}}, "tokens.clock_skew_seconds"},
      {{{"service_tokens", {{"abc", "service:x"}}}}, "SHA-256"},
      {{{"surprise", "x"}}, "tokens.surprise is not a known field"},
  };
  for (const auto& [j, why] : configs) {
    auto c = ParseTokenConfig(j, "server.json");
    ASSERT_FALSE(c.ok()) << j.dump();
    EXPECT_NE(c.status().message().find(why), std::string::npos) << c.status().message();
  }
  TokenConfig missing = config_;
  missing.jwks_file = dir_ / "nowhere.json";
  EXPECT_EQ(TokenVerifier::Create(missing).status().code(), Status::Code::kInvalidArgument);
  test::WriteFile(dir_ / "symmetric.json", R"({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]})");
  missing.jwks_file = dir_ / "symmetric.json";
  EXPECT_EQ(TokenVerifier::Create(missing).status().code(), Status::Code::kInvalidArgument)
      << "a JWKS with no usable key";
}

}  // namespace
}  // namespace postmottak

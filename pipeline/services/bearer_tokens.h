// Bearer tokens: who an HTTP request acts for.
//
// No request is anonymous. A request carries one of two kinds of bearer token:
//   - a JWT signed with RS256 or ES256 by an identity provider, verified against the
//     public keys of a JWKS file: issuer, audience, expiry and not-before (with a small
//     clock skew) must hold, and a configured claim names the principal;
//   - a service token for a machine: a random secret ("pmst_" and 43 base64url
//     characters) of which the configuration keeps only the SHA-256.
// Either way the result is a principal id; the access policy then decides what it may
// do (an id the policy does not know is refused there). Every refusal here is
// Unauthenticated with the reason, for the server's 401 and its log; a token is never
// echoed back.
//
// Signatures are OpenSSL's (EVP): nothing here parses ASN.1 or does arithmetic on keys.
#ifndef POSTMOTTAK_PIPELINE_SERVICES_BEARER_TOKENS_H_
#define POSTMOTTAK_PIPELINE_SERVICES_BEARER_TOKENS_H_

#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "storage/status.h"

namespace postmottak {

struct TokenConfig {
  std::string jwks_file;                // the identity provider's public keys; empty: JWTs refused
  std::string issuer;                   // "iss" must equal it
  std::string audience;                 // "aud" must be it, or a list holding it
  std::string principal_claim = "sub";  // the claim whose value is the principal id
  int clock_skew_seconds = 60;
  // SHA-256 (hex) of each service token -> the principal it acts for.
  std::map<std::string, std::string> service_tokens;
};

// Parses the "tokens" object of the server's configuration; errors name the field.
Result<TokenConfig> ParseTokenConfig(const nlohmann::json& j, const std::string& source);

// What a token that verifies says: who, and until when.
struct VerifiedToken {
  std::string principal;
  std::time_t expires = 0;  // the JWT's exp; 0 for a service token, which does not expire
};

class TokenVerifier {
 public:
  // Reads the JWKS file (RSA and P-256 EC keys); a bad file is InvalidArgument naming it.
  static Result<TokenVerifier> Create(const TokenConfig& config);
  TokenVerifier(TokenVerifier&&) noexcept;
  TokenVerifier& operator=(TokenVerifier&&) noexcept;
  ~TokenVerifier();

  // The principal id `token` (without "Bearer ") names at `now`, or Unauthenticated.
  Result<std::string> Verify(const std::string& token, std::time_t now) const;
  // The same, with the token's expiry (a web session ends with its token).
  Result<VerifiedToken> VerifyToken(const std::string& token, std::time_t now) const;

 private:
  struct Keys;
  TokenVerifier(TokenConfig config, std::unique_ptr<Keys> keys);
  Result<VerifiedToken> VerifyJwt(const std::string& token, std::time_t now) const;
  TokenConfig config_;
  std::unique_ptr<Keys> keys_;
};

// ---- for development and tests: `postmottak token issue|service` ----

// A new ES256 signing key (P-256) as PEM, and the JWKS (JSON text) of its public half
// with key id `kid`.
struct SigningKey {
  std::string private_pem;
  std::string jwks;
};
Result<SigningKey> MakeSigningKey(const std::string& kid);
// The JWKS of the public half of a private key (PEM), with key id `kid`.
Result<std::string> JwksOf(const std::string& private_pem, const std::string& kid);
// A JWT with `claims`, signed with the private key (PEM: EC P-256 gives ES256, RSA gives
// RS256), its header naming `kid`.
Result<std::string> SignJwt(const std::string& private_pem, const std::string& kid,
                            const nlohmann::json& claims);
// A new service token, and the SHA-256 (hex) the configuration keeps of it.
struct ServiceToken {
  std::string token;
  std::string sha256;
};
Result<ServiceToken> MakeServiceToken();

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_BEARER_TOKENS_H_

#include "pipeline/services/bearer_tokens.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "codecs/sha256.h"
#include "storage/records.h"

namespace postmottak {

namespace {

using nlohmann::json;

// A token longer than this is refused before anything is decoded.
constexpr size_t kMaxTokenBytes = 8192;
constexpr const char* kServicePrefix = "pmst_";

struct PKeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PKey = std::unique_ptr<EVP_PKEY, PKeyFree>;

std::string Base64UrlEncode(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(n);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string s) {
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return std::nullopt;
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  const size_t pad = (4 - s.size() % 4) % 4;
  if (pad == 3) return std::nullopt;
  s.append(pad, '=');
  std::string out(s.size() / 4 * 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0 || static_cast<size_t>(n) < pad) return std::nullopt;
  out.resize(n - pad);
  return out;
}

// A public key from its parameters ("RSA": n and e; "EC": the group and the point).
PKey FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
      EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
    key = nullptr;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return PKey(key);
}

PKey RsaKey(const std::string& n, const std::string& e) {
  BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), n.size(), nullptr);
  BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), e.size(), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  PKey key(nullptr);
  if (bn_n && bn_e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
    key = FromParams("RSA", bld);
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  return key;
}

PKey EcKey(const std::string& x, const std::string& y) {
  if (x.size() != 32 || y.size() != 32) return PKey(nullptr);
  const std::string point = std::string(1, '\x04') + x + y;  // uncompressed
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  PKey key(nullptr);
  if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()))
    key = FromParams("EC", bld);
  OSSL_PARAM_BLD_free(bld);
  return key;
}

// JOSE's ES256 signature is R || S, 32 bytes each; OpenSSL's is DER.
std::optional<std::string> RawToDer(const std::string& raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), len);
  OPENSSL_free(der);
  return out;
}

std::optional<std::string> DerToRaw(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (!sig) return std::nullopt;
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::string raw(64, '\0');
  const bool ok = BN_bn2binpad(r, reinterpret_cast<unsigned char*>(raw.data()), 32) == 32 &&
                  BN_bn2binpad(s, reinterpret_cast<unsigned char*>(raw.data()) + 32, 32) == 32;
  ECDSA_SIG_free(sig);
  return ok ? std::optional<std::string>(raw) : std::nullopt;
}

bool VerifySha256(EVP_PKEY* key, const std::string& data, const std::string& sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

Result<PKey> ReadPrivateKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (!key) return Status::InvalidArgument("not a PEM private key");
  return PKey(key);
}

std::string BnParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) return "";
  std::string out(BN_num_bytes(bn), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

Status Refused(const std::string& why) {
  return Status::Unauthenticated("bearer token refused: " + why);
}

}  // namespace

// Keys by key id, with the algorithm each verifies.
struct TokenVerifier::Keys {
  struct Key {
    PKey key;
    std::string alg;  // "RS256" or "ES256"
  };
  std::map<std::string, Key> by_kid;
};

Result<TokenConfig> ParseTokenConfig(const json& j, const std::string& source) {
  auto bad = [&source](const std::string& field, const std::string& why) {
    return Status::InvalidArgument(source + ": tokens." + field + " " + why);
  };
  if (!j.is_object()) return Status::InvalidArgument(source + ": tokens must be an object");
  TokenConfig c;
  static const std::vector<std::string> known = {
      "jwks_file", "issuer", "audience", "principal_claim", "clock_skew_seconds", "service_tokens"};
  for (const auto& [key, value] : j.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end())
      return bad(key, "is not a known field");
    if (key != "clock_skew_seconds" && key != "service_tokens" && !value.is_string())
      return bad(key, "must be a string");
  }
  c.jwks_file = j.value("jwks_file", "");
  c.issuer = j.value("issuer", "");
  c.audience = j.value("audience", "");
  c.principal_claim = j.value("principal_claim", "sub");
  if (!c.jwks_file.empty() && (c.issuer.empty() || c.audience.empty()))
    return bad("issuer", "and tokens.audience are required with jwks_file");
  if (j.contains("clock_skew_seconds")) {
    const auto& skew = j["clock_skew_seconds"];
    if (!skew.is_number_integer() || skew.get<int64_t>() < 0 || skew.get<int64_t>() > 300)
      return bad("clock_skew_seconds", "must be a whole number from 0 to 300");
    c.clock_skew_seconds = skew.get<int>();
  }
  if (j.contains("service_tokens")) {
    if (!j["service_tokens"].is_object()) return bad("service_tokens", "must be an object");
    for (const auto& [hash, principal] : j["service_tokens"].items()) {
      const bool hex = hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char ch) {
                         return std::isxdigit(static_cast<unsigned char>(ch)) && !std::isupper(ch);
                       });
      if (!hex) return bad("service_tokens", "keys must be SHA-256 hex digests of the tokens");
      if (!principal.is_string())
        return bad("service_tokens." + hash.substr(0, 8), "must name a principal");
      c.service_tokens[hash] = principal.get<std::string>();
    }
  }
  return c;
}

TokenVerifier::TokenVerifier(TokenConfig config, std::unique_ptr<Keys> keys)
    : config_(std::move(config)), keys_(std::move(keys)) {}
TokenVerifier::TokenVerifier(TokenVerifier&&) noexcept = default;
TokenVerifier& TokenVerifier::operator=(TokenVerifier&&) noexcept = default;
TokenVerifier::~TokenVerifier() = default;

Result<TokenVerifier> TokenVerifier::Create(const TokenConfig& config) {
  auto keys = std::make_unique<Keys>();
  if (config.jwks_file.empty()) return TokenVerifier(config, std::move(keys));
  std::ifstream in(config.jwks_file);
  std::stringstream text;
  text << in.rdbuf();
  const json jwks = json::parse(text.str(), nullptr, false);
  auto bad = [&config](const std::string& why) {
    return Status::InvalidArgument("JWKS file " + config.jwks_file + ": " + why);
  };
  if (!in || jwks.is_discarded() || !jwks.is_object() || !jwks.contains("keys") ||
      !jwks["keys"].is_array())
    return bad("cannot be read as {\"keys\": [...]}");
  for (const auto& k : jwks["keys"]) {
    if (!k.is_object() || !k.contains("kty") || !k["kty"].is_string())
      return bad("a key without kty");
    const std::string kid = k.value("kid", "");
    auto field = [&k](const char* name) -> std::optional<std::string> {
      if (!k.contains(name) || !k[name].is_string()) return std::nullopt;
      return Base64UrlDecode(k[name].get<std::string>());
    };
    Keys::Key key{PKey(nullptr), ""};
    if (k["kty"] == "RSA") {
      auto n = field("n"), e = field("e");
      if (n && e) key = {RsaKey(*n, *e), "RS256"};
      if (key.key && EVP_PKEY_get_bits(key.key.get()) < 2048)
        return bad("RSA key " + kid + " is shorter than 2048 bits");
    } else if (k["kty"] == "EC") {
      auto x = field("x"), y = field("y");
      if (k.value("crv", "") != "P-256") return bad("EC key " + kid + " is not on P-256");
      if (x && y) key = {EcKey(*x, *y), "ES256"};
    } else {
      continue;  // other key types (symmetric ones above all) are never used
    }
    if (!key.key) return bad("key " + kid + " cannot be read");
    if (keys->by_kid.count(kid)) return bad("key id " + kid + " twice");
    keys->by_kid[kid] = std::move(key);
  }
  if (keys->by_kid.empty()) return bad("holds no RSA or P-256 key");
  return TokenVerifier(config, std::move(keys));
}

Result<std::string> TokenVerifier::Verify(const std::string& token, std::time_t now) const {
  auto verified = VerifyToken(token, now);
  if (!verified.ok()) return verified.status();
  return verified->principal;
}

Result<VerifiedToken> TokenVerifier::VerifyToken(const std::string& token, std::time_t now) const {
  if (token.empty()) return Refused("none given");
  if (token.size() > kMaxTokenBytes)
    return Refused("longer than " + std::to_string(kMaxTokenBytes) + " bytes");
  if (token.rfind(kServicePrefix, 0) == 0) {
    auto it = config_.service_tokens.find(Sha256Hex(token));
    if (it == config_.service_tokens.end()) return Refused("not a configured service token");
    return VerifiedToken{it->second, 0};
  }
  return VerifyJwt(token, now);
}

Result<VerifiedToken> TokenVerifier::VerifyJwt(const std::string& token, std::time_t now) const {
  const size_t first = token.find('.'), second = token.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos ||
      token.find('.', second + 1) != std::string::npos)
    return Refused("not a JWT (three dot-separated parts)");
  auto header_text = Base64UrlDecode(token.substr(0, first));
  auto payload_text = Base64UrlDecode(token.substr(first + 1, second - first - 1));
  auto signature = Base64UrlDecode(token.substr(second + 1));
  if (!header_text || !payload_text || !signature) return Refused("not base64url");
  const json header = json::parse(*header_text, nullptr, false);
  if (!header.is_object() || !header.contains("alg") || !header["alg"].is_string())
    return Refused("its header names no algorithm");
  const std::string alg = header["alg"];
  if (alg != "RS256" && alg != "ES256") return Refused("algorithm " + alg + " is not accepted");
  if (keys_->by_kid.empty()) return Refused("no identity provider keys are configured");
  const std::string kid = header.value("kid", "");
  auto key = keys_->by_kid.find(kid);
  if (key == keys_->by_kid.end() && kid.empty() && keys_->by_kid.size() == 1)
    key = keys_->by_kid.begin();
  if (key == keys_->by_kid.end()) return Refused("unknown key id '" + kid + "'");
  if (key->second.alg != alg) return Refused("key " + kid + " does not sign with " + alg);
  std::optional<std::string> sig = alg == "ES256" ? RawToDer(*signature) : signature;
  if (!sig || !VerifySha256(key->second.key.get(), token.substr(0, second), *sig))
    return Refused("the signature does not verify");

  // Only a token whose signature holds has its claims looked at.
  const json claims = json::parse(*payload_text, nullptr, false);
  if (!claims.is_object()) return Refused("its claims are not a JSON object");
  const int64_t skew = config_.clock_skew_seconds;
  if (!claims.contains("exp") || !claims["exp"].is_number()) return Refused("it has no expiry");
  const auto exp = claims["exp"].get<int64_t>();
  if (now > exp + skew) return Refused("it expired at " + UtcIso(exp));
  if (claims.contains("nbf")) {
    if (!claims["nbf"].is_number()) return Refused("its nbf is not a time");
    const auto nbf = claims["nbf"].get<int64_t>();
    if (now + skew < nbf) return Refused("it is not valid before " + UtcIso(nbf));
  }
  if (claims.value("iss", json()) != json(config_.issuer)) return Refused("wrong issuer");
  const json aud = claims.value("aud", json());
  const bool for_us =
      aud == json(config_.audience) ||
      (aud.is_array() && std::find(aud.begin(), aud.end(), json(config_.audience)) != aud.end());
  if (!for_us) return Refused("wrong audience");
  const json principal = claims.value(config_.principal_claim, json());
  if (!principal.is_string() || principal.get<std::string>().empty())
    return Refused("claim " + config_.principal_claim + " names no principal");
  return VerifiedToken{principal.get<std::string>(), static_cast<std::time_t>(exp)};
}

Result<SigningKey> MakeSigningKey(const std::string& kid) {
  PKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return Status::IOError("cannot make a P-256 key");
  BIO* bio = BIO_new(BIO_s_mem());
  if (!bio ||
      PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    BIO_free(bio);
    return Status::IOError("cannot write the key as PEM");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  SigningKey out;
  out.private_pem.assign(data, len);
  BIO_free(bio);
  auto jwks = JwksOf(out.private_pem, kid);
  if (!jwks.ok()) return jwks.status();
  out.jwks = *jwks;
  return out;
}

Result<std::string> JwksOf(const std::string& private_pem, const std::string& kid) {
  auto key = ReadPrivateKey(private_pem);
  if (!key.ok()) return key.status();
  json jwk;
  if (EVP_PKEY_is_a(key->get(), "EC")) {
    unsigned char point[65];
    size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(key->get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point,
                                        &len) != 1 ||
        len != 65)
      return Status::InvalidArgument("only P-256 EC keys are used");
    const std::string p(reinterpret_cast<char*>(point), len);
    jwk = {{"kty", "EC"},
           {"crv", "P-256"},
           {"x", Base64UrlEncode(p.substr(1, 32))},
           {"y", Base64UrlEncode(p.substr(33, 32))}};
    jwk["alg"] = "ES256";
  } else if (EVP_PKEY_is_a(key->get(), "RSA")) {
    jwk = {{"kty", "RSA"},
           {"n", Base64UrlEncode(BnParam(key->get(), OSSL_PKEY_PARAM_RSA_N))},
           {"e", Base64UrlEncode(BnParam(key->get(), OSSL_PKEY_PARAM_RSA_E))},
           {"alg", "RS256"}};
  } else {
    return Status::InvalidArgument("only RSA and P-256 EC keys are used");
  }
  jwk["kid"] = kid;
  jwk["use"] = "sig";
  return json{{"keys", json::array({jwk})}}.dump(2);
}

Result<std::string> SignJwt(const std::string& private_pem, const std::string& kid,
                            const json& claims) {
  auto key = ReadPrivateKey(private_pem);
  if (!key.ok()) return key.status();
  const bool ec = EVP_PKEY_is_a(key->get(), "EC");
  const json header = {{"alg", ec ? "ES256" : "RS256"}, {"typ", "JWT"}, {"kid", kid}};
  const std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(claims.dump());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key->get()) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                           input.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return Status::IOError("cannot sign the token");
  if (ec) {
    auto raw = DerToRaw(sig);
    if (!raw) return Status::IOError("cannot convert the ES256 signature");
    sig = *raw;
  }
  return input + "." + Base64UrlEncode(sig);
}

Result<ServiceToken> MakeServiceToken() {
  unsigned char random[32];
  if (RAND_bytes(random, sizeof random) != 1) return Status::IOError("no random bytes for a token");
  ServiceToken t;
  t.token =
      kServicePrefix + Base64UrlEncode(std::string(reinterpret_cast<char*>(random), sizeof random));
  t.sha256 = Sha256Hex(t.token);
  return t;
}

}  // namespace postmottak

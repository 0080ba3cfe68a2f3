#include "cli/server/web_sessions.h"

#include <openssl/rand.h>

#include <algorithm>

namespace postmottak {

std::string RandomToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();  // no randomness: nothing is safe
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned bits = 0, value = 0;
  for (unsigned char b : bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(value >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(value << (6 - bits)) & 63];
  return out;
}

WebSession WebSessions::Open(const std::string& principal, std::time_t token_expires,
                             std::time_t now) {
  WebSession s{RandomToken(), RandomToken(), principal, now + max_seconds_};
  if (token_expires > 0) s.expires = std::min(s.expires, token_expires);
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = by_id_.begin(); it != by_id_.end();)
    it = it->second.expires <= now ? by_id_.erase(it) : std::next(it);
  if (by_id_.size() >= capacity_) {
    auto soonest = std::min_element(by_id_.begin(), by_id_.end(), [](const auto& a, const auto& b) {
      return a.second.expires < b.second.expires;
    });
    by_id_.erase(soonest);
  }
  by_id_[s.id] = s;
  return s;
}

std::optional<WebSession> WebSessions::Find(const std::string& id, std::time_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    by_id_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void WebSessions::Close(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  by_id_.erase(id);
}

}  // namespace postmottak

// Web sessions: what a browser holds instead of a bearer token (the workbench). A person
// signs in with a token (or a reverse proxy's forwarded JWT); the server verifies it and
// answers with a session cookie: a random id, HttpOnly, SameSite=Strict, Secure under
// TLS, that ends when the token does (service tokens: after `max_seconds`). The session
// also has a CSRF token, which every state-changing request made with the cookie must
// carry in X-CSRF-Token: SameSite keeps other sites' requests from carrying the cookie in
// today's browsers, the CSRF token in every other.
//
// Sessions live in this process's memory only: a restart signs everyone out, and a
// session id never reaches the store or the log. At most `capacity` at once: signing in
// beyond it drops the session closest to its end.
//
// Threads: every call from any thread.
#ifndef POSTMOTTAK_CLI_SERVER_WEB_SESSIONS_H_
#define POSTMOTTAK_CLI_SERVER_WEB_SESSIONS_H_

#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace postmottak {

struct WebSession {
  std::string id;    // the cookie's value: 256 random bits, base64url
  std::string csrf;  // 256 random bits, base64url
  std::string principal;
  std::time_t expires = 0;
};

class WebSessions {
 public:
  explicit WebSessions(size_t capacity = 10000, int max_seconds = 8 * 3600)
      : capacity_(capacity), max_seconds_(max_seconds) {}

  // A new session for `principal` until `token_expires` (0: `max_seconds` from now; never
  // beyond that either).
  WebSession Open(const std::string& principal, std::time_t token_expires, std::time_t now);
  // The session with this id, unless it has ended.
  std::optional<WebSession> Find(const std::string& id, std::time_t now);
  void Close(const std::string& id);

 private:
  const size_t capacity_;
  const int max_seconds_;
  std::mutex mu_;
  std::map<std::string, WebSession> by_id_;
};

// A random value of 256 bits as base64url (the cookie and CSRF tokens).
std::string RandomToken();

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_WEB_SESSIONS_H_

// The server's configuration file (`postmottak serve --config FILE`), JSON:
//
//   {"listen": "127.0.0.1:8080",
//    "tokens": {... see pipeline/services/bearer_tokens.h ...},
//    "limits": {"threads": 8, "max_body_bytes": 1048576, "max_upload_bytes": 268435456,
//               "max_upload_files": 2000, "read_timeout_seconds": 10,
//               "write_timeout_seconds": 30, "idle_timeout_seconds": 5,
//               "request_priority": "idle"},
//    "inbox": {"dir": "/srv/postmottak/inbox", "principal": "service:intake",
//              "quiet_seconds": 30, "poll_milliseconds": 1000},
//    "tls": {"certificate": "server.crt", "key": "server.key"},
//    "plain_http_beyond_loopback": false}
//
// Plain HTTP is served on loopback only: beyond it, TLS, or the explicit
// "plain_http_beyond_loopback" for a server behind a TLS-terminating proxy on the same
// host network.
//
// Unknown fields are refused, naming them: a typo must not silently become a default.
#ifndef POSTMOTTAK_CLI_SERVER_SERVER_CONFIG_H_
#define POSTMOTTAK_CLI_SERVER_SERVER_CONFIG_H_

#include <cstdint>
#include <string>

#include "cli/server/inbox.h"
#include "pipeline/services/bearer_tokens.h"
#include "storage/status.h"

namespace postmottak {

// How the request threads share the CPU with intake. kIdle: only CPU that intake leaves
// (SCHED_IDLE); kLow: the lowest share among those that compete (nice 19); kNormal: as
// equals.
enum class RequestPriority { kIdle, kLow, kNormal };

struct ServerLimits {
  int threads = 8;                                // requests served at once; more wait in the queue
  int64_t max_body_bytes = 1 << 20;               // a larger request body is 413
  int64_t max_upload_bytes = int64_t{256} << 20;  // an uploaded batch, all its files
  int max_upload_files = 2000;
  int read_timeout_seconds = 10;  // a client that sends slower is cut off
  int write_timeout_seconds = 30;
  int idle_timeout_seconds = 5;  // keep-alive
  // Intake keeps the CPU it needs while requests take what is left.
  RequestPriority request_priority = RequestPriority::kIdle;
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  TokenConfig tokens;
  ServerLimits limits;
  InboxOptions inbox;
  std::string tls_certificate, tls_key;  // PEM files; both or neither
  bool plain_http_beyond_loopback = false;
  // "vendor": {"key": FILE, "passphrase_file": FILE}: the scanning vendor's deliveries
  // that reach the inbox encrypted are decrypted with this key (OfficeOptions::vendor_*).
  std::string vendor_key_file, vendor_passphrase_file;
};

// "HOST:PORT" into the config.
Status ParseListen(const std::string& listen, ServerConfig* config);
// Refuses plain HTTP beyond loopback unless the configuration asks for it. Checked once
// the configuration is final (the file, then the command line's overrides).
Status CheckExposure(const ServerConfig& config);
Result<ServerConfig> LoadServerConfig(const std::string& path);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_SERVER_CONFIG_H_

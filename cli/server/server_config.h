// The server's configuration file (`postmottak serve --config FILE`), JSON:
//
//   {"listen": "127.0.0.1:8080",
//    "tokens": {... see pipeline/services/bearer_tokens.h ...},
//    "limits": {"threads": 8, "max_body_bytes": 1048576, "read_timeout_seconds": 10,
//               "write_timeout_seconds": 30, "idle_timeout_seconds": 5}}
//
// Unknown fields are refused, naming them: a typo must not silently become a default.
#ifndef POSTMOTTAK_CLI_SERVER_SERVER_CONFIG_H_
#define POSTMOTTAK_CLI_SERVER_SERVER_CONFIG_H_

#include <cstdint>
#include <string>

#include "pipeline/services/bearer_tokens.h"
#include "storage/status.h"

namespace postmottak {

struct ServerLimits {
  int threads = 8;                   // requests served at once; more wait in the queue
  int64_t max_body_bytes = 1 << 20;  // a larger request body is 413
  int read_timeout_seconds = 10;     // a client that sends slower is cut off
  int write_timeout_seconds = 30;
  int idle_timeout_seconds = 5;  // keep-alive
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  TokenConfig tokens;
  ServerLimits limits;
};

// "HOST:PORT" into the config; plain HTTP is allowed on loopback only.
Status ParseListen(const std::string& listen, ServerConfig* config);
Result<ServerConfig> LoadServerConfig(const std::string& path);

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_SERVER_CONFIG_H_

// ApiServer: the HTTP face of one Office (`postmottak serve`). Every request under
// /api/v1 carries a bearer token (pipeline/services/bearer_tokens.h) and is done in a
// Session of the principal it names, for the purpose in its X-Purpose header or else
// the route's name: audited exactly like a command of the command line, denials too.
// A request whose token does not verify touches no store. /healthz and /readyz answer
// without a token and say nothing but that the process lives and is ready.
//
// Threads: cpp-httplib's pool of ServerLimits::threads; requests beyond it wait in its
// queue. Slow clients are cut off by the read and write timeouts, large bodies refused
// (413) before they are read.
#ifndef POSTMOTTAK_CLI_SERVER_API_SERVER_H_
#define POSTMOTTAK_CLI_SERVER_API_SERVER_H_

#include <memory>

#include "cli/server/server_config.h"
#include "postmottak/office.h"

namespace postmottak {

class ApiServer {
 public:
  // `office` must outlive the server. The token configuration is checked here (the
  // JWKS file read).
  static Result<std::unique_ptr<ApiServer>> Create(Office* office, const ServerConfig& config);
  ~ApiServer();

  // Binds config.host:config.port (port 0: a free one); returns the port bound.
  Result<int> Bind();
  // Serves until Stop(); call after Bind().
  Status Serve();
  // From any thread (a signal watcher): finishes the requests in hand and returns Serve.
  void Stop();

 private:
  struct Impl;
  explicit ApiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_CLI_SERVER_API_SERVER_H_

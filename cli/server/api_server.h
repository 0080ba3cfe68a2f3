// ApiServer: the HTTP face of one Office (`postmottak serve`). Every request under
// /api/v1 and /metrics carries a bearer token (pipeline/services/bearer_tokens.h) and is
// done in a Session of the principal it names, for the purpose in its X-Purpose header
// or else the route's name: audited exactly like a command of the command line, denials
// too. /healthz and /readyz answer without a token and say nothing but that the process
// lives and is ready.
//
// Order of work on a request, so that abuse is cheap to refuse: the token is verified
// and the body's declared length checked against its bound before a byte of the body is
// read; a request whose token does not verify touches no store. Then the route's
// handler runs in a Session.
//
// Threads: cpp-httplib's pool of ServerLimits::threads; requests beyond it wait in its
// queue. Slow clients are cut off by the read and write timeouts.
#ifndef POSTMOTTAK_CLI_SERVER_API_SERVER_H_
#define POSTMOTTAK_CLI_SERVER_API_SERVER_H_

#include <memory>

#include "cli/server/inbox.h"
#include "cli/server/server_config.h"
#include "postmottak/office.h"

namespace postmottak {

class ApiServer {
 public:
  // `office` (and `inbox`, when batches are taken: uploads and the intake metrics) must
  // outlive the server. The token configuration and TLS files are checked here.
  static Result<std::unique_ptr<ApiServer>> Create(Office* office, const ServerConfig& config,
                                                   Inbox* inbox = nullptr);
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

#include "cli/serve.h"

#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <memory>
#include <thread>

#include "cli/server/api_server.h"

namespace postmottak {

namespace {

struct ServeOptions {
  std::string listen, config;
};

int Serve(const Globals& g, const ServeOptions& o) {
  if (g.db.empty()) return Fail(Status::InvalidArgument("--db is required: the store to serve"));
  // SIGTERM and SIGINT go to one thread that stops the server. Blocked before any other
  // thread exists (RocksDB starts its own at Open), so that none of them is killed by it.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  auto config = LoadServerConfig(o.config);
  if (!config.ok()) return Fail(config.status());
  if (!o.listen.empty())
    if (Status s = ParseListen(o.listen, &*config); !s.ok()) return Fail(s);
  OfficeOptions options = g.office;
  options.store_dir = g.db;
  options.rules_file = g.rules_path;
  options.policy_file = g.policy_path;
  auto office = Office::Open(options);  // the one writer: never beside another
  if (!office.ok()) return Fail(office.status());
  auto server = ApiServer::Create(office->get(), *config);
  if (!server.ok()) return Fail(server.status());
  auto port = (*server)->Bind();
  if (!port.ok()) return Fail(port.status());
  std::cout << "Serving " << g.db << " on http://" << config->host << ":" << *port << " ("
            << config->limits.threads << " threads)" << std::endl;
  ApiServer* running = server->get();
  std::thread watcher([stop_signals, running] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    running->Stop();
  });
  const Status served = running->Serve();
  pthread_kill(watcher.native_handle(), SIGTERM);  // wakes the watcher if it still waits
  watcher.join();
  std::cout << "Stopped." << std::endl;
  return served.ok() ? 0 : Fail(served);
}

}  // namespace

void AddServeCommand(CLI::App& app, const Globals& g, int* rc) {
  auto o = std::make_shared<ServeOptions>();
  auto* serve = app.add_subcommand(
      "serve", "the store's one writer: the HTTP API for case systems (see docs/api.md)");
  serve->add_option("--listen", o->listen, "HOST:PORT, loopback only (default 127.0.0.1:8080)");
  serve->add_option("--config", o->config, "server configuration (JSON: tokens, limits)");
  serve->callback([&g, rc, o] { *rc = Serve(g, *o); });
}

}  // namespace postmottak

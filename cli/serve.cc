#include "cli/serve.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/accounting.h"
#include "cli/cluster.h"
#include "cli/server/api_server.h"
#include "cli/server/inbox.h"

namespace postmottak {

namespace {

struct ServeOptions {
  std::string listen, config, inbox;
  int quiet_seconds = 0;
};

// SIGTERM and SIGINT go to one thread that stops the server. Blocked before any other
// thread exists (RocksDB starts its own at Open), so that none of them is killed by it.
sigset_t BlockStopSignals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

Result<ServerConfig> ConfigOf(const ServeOptions& o) {
  auto config = LoadServerConfig(o.config);
  if (!config.ok()) return config.status();
  if (!o.listen.empty()) PM_RETURN_IF_ERROR(ParseListen(o.listen, &*config));
  if (!o.inbox.empty()) config->inbox.dir = o.inbox;
  if (o.quiet_seconds > 0) config->inbox.quiet_seconds = o.quiet_seconds;
  PM_RETURN_IF_ERROR(CheckExposure(*config));
  return config;
}

int Serve(const Globals& g, const ServeOptions& o) {
  if (g.db.empty()) return Fail(Status::InvalidArgument("--db is required: the store to serve"));
  const sigset_t stop_signals = BlockStopSignals();
  auto config = ConfigOf(o);
  if (!config.ok()) return Fail(config.status());
  OfficeOptions options = g.office;
  options.store_dir = g.db;
  options.rules_file = g.rules_path;
  options.policy_file = g.policy_path;
  if (options.vendor_key_file.empty()) {  // the command line's key before the file's
    options.vendor_key_file = config->vendor_key_file;
    options.vendor_passphrase_file = config->vendor_passphrase_file;
  }
  auto office = Office::Open(options);  // the one writer: never beside another
  if (!office.ok()) return Fail(office.status());
  std::unique_ptr<Inbox> inbox;
  if (!config->inbox.dir.empty()) {
    auto opened = Inbox::Open(office->get(), config->inbox);
    if (!opened.ok()) return Fail(opened.status());
    inbox = std::move(opened).value();
  }
  auto server = ApiServer::Create(office->get(), *config, inbox.get());
  if (!server.ok()) return Fail(server.status());
  auto port = (*server)->Bind();
  if (!port.ok()) return Fail(port.status());
  std::cout << "Serving " << g.db << " on " << (config->tls_certificate.empty() ? "http" : "https")
            << "://" << config->host << ":" << *port << " (" << config->limits.threads
            << " threads)";
  if (inbox) std::cout << "; taking batches from " << config->inbox.dir;
  std::cout << std::endl;

  // Drain on a stop signal: the inbox commits the pages in flight and leaves its batch
  // for the next start; requests in hand are answered; then the store closes.
  std::atomic<bool> stop{false};
  ApiServer* running = server->get();
  std::thread watcher([stop_signals, running, &stop] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    stop = true;
    running->Stop();
  });
  std::thread intake;
  if (inbox) intake = std::thread([&inbox, &stop] { inbox->Run(stop); });
  const Status served = running->Serve();
  if (!stop.exchange(true)) pthread_kill(watcher.native_handle(), SIGTERM);  // wake it
  watcher.join();
  if (intake.joinable()) intake.join();
  std::cout << "Stopped." << std::endl;
  return served.ok() ? 0 : Fail(served);
}

}  // namespace

void AddServeCommand(CLI::App& app, Globals& g, int* rc) {
  auto o = std::make_shared<ServeOptions>();
  auto* serve = app.add_subcommand(
      "serve",
      "the store's one writer: the HTTP API for case systems and continuous intake from an "
      "inbox (see docs/api.md)");
  serve->add_option("--listen", o->listen,
                    "HOST:PORT (default 127.0.0.1:8080); beyond loopback only with TLS");
  serve->add_option("--config", o->config,
                    "server configuration (JSON: tokens, limits, inbox, tls)");
  serve->add_option("--inbox", o->inbox,
                    "a folder of batch folders to take in: each when its manifest.json arrives "
                    "or its files have been quiet a while");
  serve->add_option("--quiet-seconds", o->quiet_seconds,
                    "how long a batch folder without manifest must be unchanged (default 30)");
  serve->add_option("--workers", g.office.workers, "worker threads (default: one per core)");
  AddLimitOptions(serve, &g.office);
  AddVendorKeyOptions(serve, &g.office);
  AddRemoteWorkerOptions(serve, &g.office.remote);
  serve->callback([&g, rc, o] { *rc = Serve(g, *o); });
}

}  // namespace postmottak

#include "cli/cluster.h"

#include <csignal>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

namespace postmottak {

using nlohmann::json;

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int sig) {
  g_stop = true;
  std::signal(sig, SIG_DFL);  // a second signal ends the process
}

// A log line on stderr with the local time: what a worker's service manager keeps.
void LogLine(const std::string& line) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  std::cerr << std::put_time(&tm, "%F %T") << " " << line << std::endl;
}

std::string Megabytes(uint64_t bytes) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << bytes / (1024.0 * 1024.0) << " MB";
  return out.str();
}

json StreamJson(const StreamState& st) {
  return {{"messages", st.messages},
          {"bytes", st.bytes},
          {"replicas", st.replicas},
          {"leader", st.leader},
          {"lagging", st.lagging}};
}

int ClusterStatusCommand(const Globals& g, const std::string& url) {
  auto status = ReadClusterStatus(url);
  if (!status.ok()) return Fail(status.status());
  const ClusterStatus& s = *status;
  if (g.json) {
    json workers = json::array(), runs = json::array();
    for (const auto& w : s.workers)
      workers.push_back({{"name", w.name},
                         {"host", w.host},
                         {"pid", w.pid},
                         {"threads", w.threads},
                         {"busy", w.busy},
                         {"jobs_done", w.jobs_done},
                         {"pages_failed", w.pages_failed},
                         {"seconds_since_heartbeat", w.seconds_since_heartbeat},
                         {"healthy", w.healthy},
                         {"version", w.version}});
    for (const auto& r : s.runs)
      runs.push_back({{"run", r.run}, {"batch", r.batch}, {"started_at", r.started_at}});
    std::cout << json{{"server", s.server},
                      {"queue",
                       {{"waiting", s.queue.pending},
                        {"in_progress", s.queue.ack_pending},
                        {"redelivered", s.queue.redelivered},
                        {"idle_fetchers", s.queue.waiting},
                        {"ack_wait_seconds", s.queue.ack_wait_ms / 1000.0}}},
                      {"streams",
                       {{"jobs", StreamJson(s.jobs)},
                        {"results", StreamJson(s.results)},
                        {"data", StreamJson(s.data)}}},
                      {"runs", runs},
                      {"workers", workers}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::cout << "Cluster at " << s.server << "\n"
            << "  Queue:     " << s.queue.pending << " jobs waiting, " << s.queue.ack_pending
            << " in progress (" << s.queue.redelivered << " redelivered), " << s.queue.waiting
            << " idle fetchers; ack wait " << s.queue.ack_wait_ms / 1000 << " s\n";
  auto stream = [](const char* name, const StreamState& st) {
    std::cout << "  " << Padded(name, 11) << st.messages << " messages, " << Megabytes(st.bytes)
              << ", " << st.replicas << (st.replicas == 1 ? " replica" : " replicas");
    if (!st.leader.empty()) std::cout << ", leader " << st.leader;
    if (!st.lagging.empty()) {
      std::cout << ", behind or offline:";
      for (const auto& p : st.lagging) std::cout << " " << p;
    }
    std::cout << "\n";
  };
  stream("Jobs:", s.jobs);
  stream("Results:", s.results);
  stream("Chunks:", s.data);
  std::cout << "  Runs:      " << s.runs.size() << "\n";
  for (const auto& r : s.runs)
    std::cout << "    - batch " << r.batch << " (run " << r.run << ", since " << r.started_at
              << ")\n";
  int healthy = 0;
  for (const auto& w : s.workers) healthy += w.healthy;
  std::cout << "  Workers:   " << s.workers.size() << " (" << healthy << " healthy)\n";
  for (const auto& w : s.workers)
    std::cout << "    - " << Padded(w.name, 28) << (w.healthy ? "healthy " : "SILENT  ") << w.busy
              << "/" << w.threads << " busy, " << w.jobs_done << " jobs done, " << w.pages_failed
              << " failed pages, heard " << std::fixed << std::setprecision(1)
              << w.seconds_since_heartbeat << " s ago\n";
  return 0;
}

}  // namespace

const std::atomic<bool>* StopOnSignals() {
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  return &g_stop;
}

void AddRemoteWorkerOptions(CLI::App* intake, RemoteWorkerOptions* o) {
  intake->add_option("--nats", o->nats_url,
                     "NATS server URL(s), comma-separated: hand the pages to `postmottak worker` "
                     "processes instead of threads here");
  intake
      ->add_option("--nats-replicas", o->replicas,
                   "copies of each stream when this run makes them (3 on a three-node cluster)")
      ->capture_default_str();
  intake
      ->add_option("--max-in-flight", o->max_in_flight,
                   "pages handed to workers ahead of the committer (backpressure)")
      ->capture_default_str();
  intake
      ->add_option("--max-deliveries", o->max_deliveries,
                   "deliveries of a page before it goes to quarantine")
      ->capture_default_str();
  intake
      ->add_option("--ack-wait", o->ack_wait_seconds,
                   "seconds a worker may hold a page before it is delivered again")
      ->capture_default_str();
  intake
      ->add_option("--stall-timeout", o->stall_seconds,
                   "seconds without any result, pages out, before the run gives up")
      ->capture_default_str();
}

void AddClusterCommands(CLI::App& app, const Globals& g, int* rc) {
  struct Options {
    WorkerOptions worker;
    std::string status_url;
  };
  auto o = std::make_shared<Options>();
  WorkerOptions& worker = o->worker;
  auto* w = app.add_subcommand("worker",
                               "run the CPU-heavy stages for distributed intakes (until SIGTERM)");
  w->add_option("--nats", worker.nats_url, "NATS server URL(s), comma-separated")->required();
  w->add_option("--threads", worker.threads, "pages processed at once (default: one per core)");
  w->add_option("--name", worker.name, "worker name (default: host name and process id)");
  w->add_option("--tessdata", worker.tessdata, "Tesseract language data")->capture_default_str();
  w->add_option("--heartbeat-ms", worker.heartbeat_ms, "how often the worker reports its health")
      ->capture_default_str();
  w->callback([rc, o] {
    o->worker.stop = StopOnSignals();
    o->worker.log = LogLine;
    Status st = RunWorker(o->worker);
    *rc = st.ok() ? 0 : Fail(st);
  });

  auto* cluster = app.add_subcommand("cluster", "distributed intake")->require_subcommand(1);
  auto* status = cluster->add_subcommand("status", "queue depth, streams, runs and worker health");
  status->add_option("--nats", o->status_url, "NATS server URL(s), comma-separated")->required();
  status->callback([&g, rc, o] { *rc = ClusterStatusCommand(g, o->status_url); });
}

}  // namespace postmottak

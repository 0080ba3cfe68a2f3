// Distributed intake on NATS JetStream: remote workers run the CPU-heavy stages; the
// intake process stays the committer, the store's only writer.
//
//   intake (reader) ──job──▶ POSTMOTTAK_JOBS ──▶ worker × N (any machine) ──result──▶
//   POSTMOTTAK_RESULTS ──▶ intake (reorder window, assembler, journal) ──▶ RocksDB
//
// Subjects, streams and buckets (made, and scaled to --nats-replicas, by intake; a
// worker started before the first intake waits for them):
//
//   POSTMOTTAK_JOBS     postmottak.job.<run>      work queue; durable pull consumer
//                                                 "workers", shared by every worker
//   POSTMOTTAK_RESULTS  postmottak.result.<run>   work queue; consumer "commit-<run>",
//                                                 the run's committer alone
//   POSTMOTTAK_DATA     postmottak.data.<run>.<seq>.(job|result).<i>
//                                                 chunks of payloads above the server's
//                                                 message size limit
//   postmottak_runs     <run>      the run's settings (rules, OCR language, analysis)
//   postmottak_workers  <worker>   each worker's heartbeat (expires)
//
// A run is "<batch key>.<nonce>": the batch key is a hash of the store's identity and
// the batch name, so a new run of a batch (after the committer died) finds and purges
// what the old one left, and never touches another store's batch.
//
// Delivery: a worker acknowledges a job only after its result is stored in
// POSTMOTTAK_RESULTS (replicated where the streams are); a job not acknowledged within
// the ack wait (the worker died, or its machine did) is delivered to another worker;
// a job delivered more than `max_deliveries` times is not processed again but returned
// as a failed page, which the committer puts in quarantine with its image and the
// reason. The committer acknowledges a result once the page's mail piece is committed.
// Results are idempotent (msg ids, and the committer keeps the first result of each
// page), so a redelivery never journals a page twice; the ledger does the rest, as in
// the embedded mode.
#ifndef POSTMOTTAK_PIPELINE_DISTRIBUTED_DISTRIBUTED_H_
#define POSTMOTTAK_PIPELINE_DISTRIBUTED_DISTRIBUTED_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/config/rules.h"
#include "pipeline/distributed/jetstream.h"
#include "pipeline/intake/intake.h"
#include "storage/store.h"

namespace postmottak {

// How the streams are made, where a process makes them.
struct Topology {
  int replicas = 1;              // copies of every stream: 3 on a three-node cluster
  int64_t ack_wait_ms = 60'000;  // a job not acknowledged within this goes to another worker
};

struct DistributedOptions {
  std::string nats_url;  // one or more, comma-separated
  Topology topology;
  // Jobs published beyond the page the committer takes next: the run's backpressure,
  // and the bound on the pages held in memory and in the streams.
  int max_in_flight = 64;
  // Deliveries of a job before it goes to quarantine instead (a page that kills or
  // stalls every worker that takes it).
  int max_deliveries = 3;
  int64_t reconnect_ms = 60'000;  // the run fails when NATS is gone longer than this
  // The run fails (resumably) when pages are out and no result has come for this long:
  // no worker is running, or none can reach the streams.
  int64_t stall_ms = 600'000;
};

// The committer's side: a PageWorkers for RunPages (IntakeOptions::remote_workers). Made
// for one batch of one store; publishes the run's settings (rules, OCR language,
// analysis options) so every worker processes its pages as the embedded mode would.
Result<std::unique_ptr<PageWorkers>> NatsWorkers(const Store& store, const std::string& batch,
                                                 const Rules& rules, const IntakeOptions& intake,
                                                 const DistributedOptions& options);

struct WorkerOptions {
  std::string nats_url;
  std::string name;      // unique per worker; default: host name and process id
  int threads = 0;       // 0: one per core
  std::string tessdata;  // "": Tesseract's default
  int64_t heartbeat_ms = 2000;
  int64_t reconnect_ms = 3'600'000;  // a worker waits long for its cluster
  // Set (by SIGTERM, say): fetch no more jobs, finish the ones in hand, then return.
  const std::atomic<bool>* stop = nullptr;
  // One line per notable event (started, a job quarantined, stopping); null: quiet.
  std::function<void(const std::string&)> log;
};

// Runs a worker until `stop` is set: pulls jobs, runs ProcessJob on each, publishes
// the result, acknowledges the job. Fails only when the cluster cannot be reached.
Status RunWorker(const WorkerOptions& options);

// What `postmottak cluster status` shows.
struct WorkerHealth {
  std::string name;
  std::string host;
  int pid = 0;
  int threads = 0;
  int busy = 0;  // jobs in hand
  int64_t jobs_done = 0;
  int64_t pages_failed = 0;  // results that carry an error (quarantine)
  double seconds_since_heartbeat = 0;
  bool healthy = false;  // heard from within three heartbeats
  std::string version;
};

struct RunState {
  std::string run;
  std::string batch;
  std::string started_at;
};

struct ClusterStatus {
  std::string server;  // the server this answer came from
  StreamState jobs, results, data;
  ConsumerState queue;  // the workers' consumer: depth, in progress, redelivered
  std::vector<RunState> runs;
  std::vector<WorkerHealth> workers;
};

Result<ClusterStatus> ReadClusterStatus(const std::string& nats_url);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_DISTRIBUTED_DISTRIBUTED_H_

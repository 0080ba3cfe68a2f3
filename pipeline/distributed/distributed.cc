#include "pipeline/distributed/distributed.h"

#include <unistd.h>

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "codecs/sha256.h"
#include "pipeline/distributed/wire.h"
#include "pipeline/stages/ocr.h"

namespace postmottak {

using nlohmann::json;

namespace {

constexpr const char* kJobs = "POSTMOTTAK_JOBS";
constexpr const char* kResults = "POSTMOTTAK_RESULTS";
constexpr const char* kData = "POSTMOTTAK_DATA";
constexpr const char* kRunsBucket = "postmottak_runs";
constexpr const char* kWorkersBucket = "postmottak_workers";
constexpr const char* kWorkersConsumer = "workers";
constexpr const char* kAllJobs = "postmottak.job.>";
constexpr int64_t kWeekMs = int64_t{7} * 24 * 3600 * 1000;

constexpr const char* kRunHeader = "Postmottak-Run";
constexpr const char* kSeqHeader = "Postmottak-Seq";
constexpr const char* kFileHeader = "Postmottak-File";
constexpr const char* kFileIndexHeader = "Postmottak-File-Index";
constexpr const char* kPageHeader = "Postmottak-Page";
constexpr const char* kWorkerHeader = "Postmottak-Worker";

std::string JobSubject(const std::string& run) { return "postmottak.job." + run; }
std::string ResultSubject(const std::string& run) { return "postmottak.result." + run; }
std::string DataSubject(const std::string& run, uint64_t seq, const char* kind) {
  return "postmottak.data." + run + "." + std::to_string(seq) + "." + kind;
}
// Consumer names cannot hold dots.
std::string CommitConsumer(const std::string& run) {
  std::string name = "commit-" + run;
  for (char& c : name)
    if (c == '.') c = '-';
  return name;
}

std::string RandomHex(int digits) {
  std::random_device rd;
  std::string out;
  static const char* kHex = "0123456789abcdef";
  for (int i = 0; i < digits; ++i) out += kHex[rd() % 16];
  return out;
}

// Every stream and bucket a deployment uses, made (or scaled) by the committer: the one
// process that knows how many copies the deployment wants. Jobs, results and chunks of
// a run that nobody finished expire after a week.
Status EnsureTopology(JetStream* js, const Topology& t) {
  PM_RETURN_IF_ERROR(js->EnsureStream({kJobs, {kAllJobs}, true, kWeekMs, t.replicas}));
  PM_RETURN_IF_ERROR(
      js->EnsureStream({kResults, {"postmottak.result.>"}, true, kWeekMs, t.replicas}));
  PM_RETURN_IF_ERROR(js->EnsureStream({kData, {"postmottak.data.>"}, false, kWeekMs, t.replicas}));
  PM_RETURN_IF_ERROR(js->EnsureBucket(kRunsBucket, kWeekMs, t.replicas));
  PM_RETURN_IF_ERROR(js->EnsureBucket(kWorkersBucket, 60'000, t.replicas));
  ConsumerSpec workers;
  workers.name = kWorkersConsumer;
  workers.filter_subject = kAllJobs;
  workers.ack_wait_ms = t.ack_wait_ms;
  // Unlimited: a job past the run's max_deliveries comes back as a failed page, so it
  // must still be delivered to be turned into one.
  workers.max_deliver = -1;
  workers.update = true;
  return js->EnsureConsumer(kJobs, workers);
}

// ---------------------------------------------------------------------------------
// The committer's side.

class NatsPageWorkers : public PageWorkers {
 public:
  NatsPageWorkers(std::unique_ptr<JetStream> js, std::string run, const DistributedOptions& o,
                  const PageAnalysisOptions& analysis, const Rules& rules)
      : js_(std::move(js)), run_(std::move(run)), options_(o), analysis_(analysis), rules_(rules) {}

  ~NatsPageWorkers() override {
    // The run is over: nothing of it may linger for workers or operators. Best effort: a
    // server gone now leaves messages that no committer will take, and `cluster status`
    // shows them.
    js_->DeleteConsumer(kResults, CommitConsumer(run_)).IgnoreError();
    js_->Purge(kJobs, JobSubject(run_)).IgnoreError();
    js_->Purge(kResults, ResultSubject(run_)).IgnoreError();
    js_->Purge(kData, "postmottak.data." + run_ + ".>").IgnoreError();
    js_->Delete(kRunsBucket, run_).IgnoreError();
  }

  Status Start() {
    auto sub = js_->Subscribe(kResults, CommitConsumer(run_), ResultSubject(run_));
    if (!sub.ok()) return sub.status();
    results_ = std::move(sub).value();
    return Status::OK();
  }

  int count() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(workers_.size());
  }
  uint64_t window() const override { return static_cast<uint64_t>(options_.max_in_flight); }
  bool can_defer_ocr() const override { return false; }

  Status Process(BoundedQueue<PageJob>* jobs, ResultSink* sink, const DeferOcr& defer) override {
    (void)defer;  // refused by RunPages: can_defer_ocr() is false
    std::thread fetcher([&] { Fetch(sink); });
    while (auto job = jobs->Pop()) {
      if (!Failure().ok()) continue;  // drain, so the reader is never left blocked
      sink->WaitRoom(job->seq);
      if (job->page == 0 || !job->image.ok()) {
        // Nothing for a worker to do: a whole-file entry, or a page that did not decode.
        sink->Put(ProcessJob(std::move(*job), analysis_, rules_, nullptr, nullptr));
        continue;
      }
      auto encoded = EncodeJob(*job);
      if (!encoded.ok()) {  // the page's own failure: quarantine, and the batch goes on
        ProcessedPage failed = PageOf(*job);
        RejectPage(&failed, "cannot be handed to a worker: " + encoded.status().message());
        sink->Put(std::move(failed));
        continue;
      }
      Status st = Publish(*job, std::move(encoded).value());
      if (!st.ok()) Stop(st);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      publishing_done_ = true;
    }
    fetcher.join();
    std::lock_guard<std::mutex> lock(mu_);
    return failure_;
  }

  void Committed(uint64_t seq) override {
    std::vector<JsMessage> done;
    std::vector<uint64_t> chunked;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto it = delivered_.begin(); it != delivered_.end() && it->first <= seq;) {
        done.push_back(std::move(it->second.message));
        if (it->second.chunked) chunked.push_back(it->first);
        it = delivered_.erase(it);
      }
    }
    // Acknowledged after the commit: a result is never lost between the two streams
    // and the store. A failed acknowledgement only means a redelivery, which the
    // reorder window drops.
    for (auto& m : done) m.Ack().IgnoreError();
    for (uint64_t s : chunked)  // chunks left behind are purged with the run, at its end
      js_->Purge(kData, "postmottak.data." + run_ + "." + std::to_string(s) + ".>").IgnoreError();
  }

 private:
  struct Delivered {
    JsMessage message;
    bool chunked = false;
  };

  Status Failure() {
    std::lock_guard<std::mutex> lock(mu_);
    return failure_;
  }

  Status Publish(const PageJob& job, EncodedJob encoded) {
    {
      // What the committer keeps of a page out: where it stands, and the page as the
      // job carries it, for quarantine should its result be unusable.
      ProcessedPage out = PageOf(job);
      out.original = std::move(encoded.page);
      std::lock_guard<std::mutex> lock(mu_);
      if (in_flight_.empty()) last_progress_ = std::chrono::steady_clock::now();
      in_flight_[job.seq] = std::move(out);
    }
    Headers headers = {{kRunHeader, run_},
                       {kSeqHeader, std::to_string(job.seq)},
                       {kFileHeader, job.file},
                       {kFileIndexHeader, std::to_string(job.file_index)},
                       {kPageHeader, std::to_string(job.page)}};
    const std::string id = run_ + "." + std::to_string(job.seq);
    Status st = js_->PublishLarge(JobSubject(run_), encoded.payload, headers, id + ".job",
                                  DataSubject(run_, job.seq, "job"));
    if (!st.ok())
      return st.WithMessage("file " + job.file + " page " + std::to_string(job.page) +
                            ": cannot hand the page to the workers: " + st.message());
    return st;
  }

  // Takes results until every published job has one; runs beside Process.
  void Fetch(ResultSink* sink) {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        if (!failure_.ok() || (publishing_done_ && in_flight_.empty())) return;
        const auto quiet = std::chrono::steady_clock::now() - last_progress_;
        if (!in_flight_.empty() && quiet > std::chrono::milliseconds(options_.stall_ms)) {
          const size_t out = in_flight_.size();
          lock.unlock();
          Stop(Status::IOError(
              "no result from any worker for " + std::to_string(options_.stall_ms / 1000) +
              " s while " + std::to_string(out) +
              " pages are out: start workers (postmottak worker --nats ...) or see "
              "`postmottak cluster status`; run the same intake again to go on"));
          return;
        }
      }
      auto batch = results_->Fetch(64, 500);
      if (!batch.ok()) {
        // The client reconnects by itself; a fetch fails for good only when it gave up.
        if (++fetch_failures_ * 500 > options_.reconnect_ms) {
          Stop(batch.status().WithMessage("no results from NATS: " + batch.status().message()));
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        continue;
      }
      fetch_failures_ = 0;
      for (JsMessage& msg : *batch) Take(std::move(msg), sink);
    }
  }

  void Take(JsMessage msg, ResultSink* sink) {
    const uint64_t seq = std::strtoull(msg.header(kSeqHeader).c_str(), nullptr, 10);
    ProcessedPage job;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = in_flight_.find(seq);
      if (it == in_flight_.end()) {  // a redelivered or repeated result: the first counted
        msg.Ack().IgnoreError();     // unacknowledged, it only comes again and is dropped again
        return;
      }
      job = std::move(it->second);
      in_flight_.erase(it);
      last_progress_ = std::chrono::steady_clock::now();
    }
    auto payload = js_->ReadLarge(msg, kData);
    Result<ProcessedPage> page =
        payload.ok() ? DecodeResult(*payload) : Result<ProcessedPage>(payload.status());
    if (page.ok() && (page->seq != seq || page->file_index != job.file_index ||
                      page->file != job.file || page->page != job.page))
      page = Status::Corruption("its result names another page");
    if (!page.ok()) {
      // A result that cannot be read (damaged, forged): the page goes to quarantine
      // with what the job carried, and the batch goes on.
      RejectPage(&job, "the worker's result cannot be used: " + page.status().message());
      page = std::move(job);
    }
    sink->Put(std::move(page).value());
    std::lock_guard<std::mutex> lock(mu_);
    if (const std::string worker = msg.header(kWorkerHeader); !worker.empty())
      workers_.insert(worker);
    const bool chunked = msg.chunked();
    delivered_.emplace(seq, Delivered{std::move(msg), chunked});
  }

  void Stop(const Status& failure) {
    std::lock_guard<std::mutex> lock(mu_);
    if (failure_.ok()) failure_ = failure;
  }

  std::unique_ptr<JetStream> js_;
  const std::string run_;
  const DistributedOptions options_;
  const PageAnalysisOptions analysis_;
  const Rules& rules_;
  std::unique_ptr<PullSubscription> results_;  // the fetcher thread's alone
  int fetch_failures_ = 0;                     // the fetcher thread's alone

  mutable std::mutex mu_;
  std::map<uint64_t, ProcessedPage> in_flight_;          // published, no result yet
  std::chrono::steady_clock::time_point last_progress_;  // the last result, or a first job
  std::map<uint64_t, Delivered> delivered_;              // result handed on, not yet committed
  std::set<std::string> workers_;                        // that sent results: IntakeReport::workers
  bool publishing_done_ = false;
  Status failure_;
};

}  // namespace

Result<std::unique_ptr<PageWorkers>> NatsWorkers(const Store& store, const std::string& batch,
                                                 const Rules& rules, const IntakeOptions& intake,
                                                 const DistributedOptions& options) {
  if (options.max_in_flight < 1)
    return Status::InvalidArgument("--max-in-flight must be at least 1");
  if (options.max_deliveries < 1)
    return Status::InvalidArgument("--max-deliveries must be at least 1");
  if (options.topology.replicas < 1 || options.topology.replicas > 5)
    return Status::InvalidArgument("--nats-replicas must be 1 to 5");
  if (options.topology.ack_wait_ms < 1000)
    return Status::InvalidArgument("--ack-wait must be at least 1 second");
  auto js =
      JetStream::Connect(options.nats_url, "postmottak intake " + batch, options.reconnect_ms);
  if (!js.ok()) return js.status();
  PM_RETURN_IF_ERROR(EnsureTopology(js->get(), options.topology));

  // What an earlier run of this batch left (its committer died): its jobs, results and
  // chunks, and its consumer. Its pages are in the ledger or are read again.
  const std::string batch_key = Sha256Hex(store.Identity() + "\n" + batch).substr(0, 16);
  PM_RETURN_IF_ERROR((*js)->Purge(kJobs, "postmottak.job." + batch_key + ".>"));
  PM_RETURN_IF_ERROR((*js)->Purge(kResults, "postmottak.result." + batch_key + ".>"));
  PM_RETURN_IF_ERROR((*js)->Purge(kData, "postmottak.data." + batch_key + ".>"));
  auto consumers = (*js)->ConsumerNames(kResults);
  if (!consumers.ok()) return consumers.status();
  for (const auto& name : *consumers)
    if (name.rfind("commit-" + batch_key + "-", 0) == 0)
      PM_RETURN_IF_ERROR((*js)->DeleteConsumer(kResults, name));
  auto runs = (*js)->Keys(kRunsBucket);
  if (!runs.ok()) return runs.status();
  for (const auto& key : *runs)
    if (key.rfind(batch_key + ".", 0) == 0) PM_RETURN_IF_ERROR((*js)->Delete(kRunsBucket, key));

  const std::string run = batch_key + "." + RandomHex(16);
  RunSettings settings;
  settings.batch = batch;
  settings.started_at = NowUtc();
  settings.max_deliveries = options.max_deliveries;
  settings.rules_json = rules.text();
  settings.language = intake.ocr.language;
  settings.searchable_pdf = intake.ocr.searchable_pdf;
  settings.analysis = intake.analysis;
  settings.limits = intake.limits.image;
  PM_RETURN_IF_ERROR((*js)->Put(kRunsBucket, run, EncodeSettings(settings)));

  ConsumerSpec commit;
  commit.name = CommitConsumer(run);
  commit.filter_subject = ResultSubject(run);
  // A result waits for its mail piece to be committed before it is acknowledged; a
  // redelivery meanwhile is dropped as a repeat.
  commit.ack_wait_ms = 600'000;
  commit.max_ack_pending = -1;
  PM_RETURN_IF_ERROR((*js)->EnsureConsumer(kResults, commit));

  auto workers = std::make_unique<NatsPageWorkers>(std::move(js).value(), run, options,
                                                   intake.analysis, rules);
  PM_RETURN_IF_ERROR(workers->Start());
  return std::unique_ptr<PageWorkers>(std::move(workers));
}

// ---------------------------------------------------------------------------------
// The worker's side.

namespace {

std::string HostName() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

// A worker's settings and parsed rules per run, fetched once.
class RunCache {
 public:
  struct Run {
    RunSettings settings;
    Rules rules;
  };
  explicit RunCache(JetStream* js) : js_(js) {}

  // NotFound when the run has ended (its settings are gone).
  Result<std::shared_ptr<const Run>> Get(const std::string& run) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = runs_.find(run); it != runs_.end()) return it->second;
    }
    auto bytes = js_->Get(kRunsBucket, run);
    if (!bytes.ok()) return bytes.status();
    auto settings = DecodeSettings(*bytes);
    if (!settings.ok()) return settings.status();
    auto rules = Rules::Parse(settings->rules_json, "of run " + run);
    if (!rules.ok()) return rules.status();
    auto entry =
        std::make_shared<const Run>(Run{std::move(settings).value(), std::move(rules).value()});
    std::lock_guard<std::mutex> lock(mu_);
    if (runs_.size() > 64) runs_.clear();  // old runs; the live ones are fetched again
    runs_[run] = entry;
    return std::shared_ptr<const Run>(entry);
  }

 private:
  JetStream* js_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Run>> runs_;
};

struct WorkerCounters {
  std::atomic<int> busy{0};
  std::atomic<int64_t> done{0};
  std::atomic<int64_t> failed{0};
};

// One fetching thread of a worker: its own subscription and its own Tesseract.
class JobLoop {
 public:
  JobLoop(JetStream* js, RunCache* runs, const WorkerOptions& options, const std::string& name,
          WorkerCounters* counters)
      : js_(js), runs_(runs), options_(options), name_(name), counters_(counters) {}

  Status Run() {
    auto sub = js_->Subscribe(kJobs, kWorkersConsumer, kAllJobs);
    if (!sub.ok()) return sub.status();
    while (!(options_.stop && options_.stop->load())) {
      auto batch = (*sub)->Fetch(1, 1000);
      if (!batch.ok()) {
        Log("fetch failed, retrying: " + batch.status().message());
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      for (JsMessage& msg : *batch) Handle(std::move(msg));
    }
    return Status::OK();
  }

  // Called from the heartbeat thread: keeps the job in hand from being redelivered
  // while it is honestly being worked on (up to ten ack waits; a page that takes longer
  // is stuck, and another worker may try).
  void KeepAlive(int64_t ack_wait_ms) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!current_) return;
    const auto age = std::chrono::steady_clock::now() - current_since_;
    // A missed extension means a redelivery, which the committer's reorder window drops.
    if (age < std::chrono::milliseconds(10 * ack_wait_ms)) current_->InProgress().IgnoreError();
  }

 private:
  void Log(const std::string& line) {
    if (options_.log) options_.log(line);
  }

  void Handle(JsMessage msg) {
    const std::string run = msg.header(kRunHeader);
    const std::string where =
        "file " + msg.header(kFileHeader) + " page " + msg.header(kPageHeader);
    auto settings = runs_->Get(run);
    if (!settings.ok()) {
      if (settings.status().code() == Status::Code::kNotFound) {
        msg.Ack().IgnoreError();  // its run is over: its committer will not take a result
        return;
      }
      Log(where + ": run settings unavailable, handing back: " + settings.status().message());
      msg.Nak(1000).IgnoreError();  // not handed back, it comes again after the ack wait
      return;
    }
    InHand hold(this, &msg);
    auto page = Work(msg, **settings, where);
    if (!page) return;  // handed back
    const std::string id = run + "." + msg.header(kSeqHeader);
    Status st = js_->PublishLarge(ResultSubject(run), EncodeResult(*page),
                                  {{kSeqHeader, msg.header(kSeqHeader)}, {kWorkerHeader, name_}},
                                  id + ".result", DataSubject(run, page->seq, "result"));
    if (!st.ok()) {
      // Not acknowledged: the job comes back after the ack wait, to us or another.
      Log(where + ": result not stored, the job will be delivered again: " + st.message());
      return;
    }
    // Only now: the result is stored, so a crash from here on loses nothing. A failed
    // acknowledgement means a redelivery, whose result the committer drops as a repeat.
    msg.Ack().IgnoreError();
    counters_->done++;
    if (!page->error.empty()) counters_->failed++;
  }

  // The job's result, or nullopt when the job was handed back (Nak) to be tried again.
  std::optional<ProcessedPage> Work(JsMessage& msg, const RunCache::Run& r,
                                    const std::string& where) {
    const uint64_t delivered = msg.delivered();
    auto payload = js_->ReadLarge(msg, kData);
    if (delivered > static_cast<uint64_t>(r.settings.max_deliveries)) {
      // Every earlier delivery died or stalled on this page: stop trying, and hand it
      // to quarantine with its image rather than lose it or block the batch.
      ProcessedPage page;
      page.seq = std::strtoull(msg.header(kSeqHeader).c_str(), nullptr, 10);
      page.file_index = std::atoi(msg.header(kFileIndexHeader).c_str());
      page.file = msg.header(kFileHeader);
      page.page = std::atoi(msg.header(kPageHeader).c_str());
      if (payload.ok())
        if (auto bytes = JobPageBytes(*payload); bytes.ok())
          page.original = std::move(bytes).value();
      RejectPage(&page, "no worker finished it in " + std::to_string(delivered - 1) +
                            " deliveries (each worker died or stalled on it)");
      Log(page.error);
      return page;
    }
    auto job =
        payload.ok() ? DecodeJob(*payload, r.settings.limits) : Result<PageJob>(payload.status());
    OcrEngine* ocr = job.ok() ? Engine(r.settings) : nullptr;
    if (!ocr) {
      // Maybe the transport's fault, or this machine's: another delivery may succeed,
      // and the last one goes to quarantine.
      if (!job.ok()) Log(where + ": job cannot be read, handing back: " + job.status().message());
      msg.Nak(job.ok() ? 5000 : 1000).IgnoreError();  // else redelivered after the ack wait
      return std::nullopt;
    }
    Log(where + ": started (delivery " + std::to_string(delivered) + ")");
    return ProcessJob(std::move(job).value(), r.settings.analysis, r.rules, ocr, nullptr);
  }

  // While a job is in hand: counted as busy, and kept alive by the heartbeat.
  class InHand {
   public:
    InHand(JobLoop* loop, JsMessage* msg) : loop_(loop) {
      loop_->counters_->busy++;
      std::lock_guard<std::mutex> lock(loop_->mu_);
      loop_->current_ = msg;
      loop_->current_since_ = std::chrono::steady_clock::now();
    }
    ~InHand() {
      std::lock_guard<std::mutex> lock(loop_->mu_);
      loop_->current_ = nullptr;
      loop_->counters_->busy--;
    }

   private:
    JobLoop* loop_;
  };

  // This thread's Tesseract for the run's language (made on first use).
  OcrEngine* Engine(const RunSettings& s) {
    if (ocr_ && language_ == s.language && searchable_pdf_ == s.searchable_pdf) return ocr_.get();
    OcrOptions o;
    o.tessdata = options_.tessdata;
    o.language = s.language;
    o.searchable_pdf = s.searchable_pdf;
    auto engine = OcrEngine::Create(o);
    if (!engine.ok()) {
      Log("cannot start Tesseract for language " + s.language + ": " + engine.status().message());
      return nullptr;
    }
    ocr_ = std::move(engine).value();
    language_ = s.language;
    searchable_pdf_ = s.searchable_pdf;
    return ocr_.get();
  }

  JetStream* js_;
  RunCache* runs_;
  const WorkerOptions& options_;
  const std::string& name_;
  WorkerCounters* counters_;
  std::unique_ptr<OcrEngine> ocr_;
  std::string language_;
  bool searchable_pdf_ = true;

  std::mutex mu_;  // guards the job in hand against KeepAlive
  JsMessage* current_ = nullptr;
  std::chrono::steady_clock::time_point current_since_;
};

}  // namespace

Status RunWorker(const WorkerOptions& options) {
  const std::string host = HostName();
  const std::string name =
      options.name.empty() ? host + "-" + std::to_string(getpid()) : options.name;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      return Status::InvalidArgument("worker name \"" + name +
                                     "\" may hold only letters, digits, '-' and '_'");
  const int threads =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  auto js = JetStream::Connect(options.nats_url, "postmottak worker " + name, options.reconnect_ms);
  if (!js.ok()) return js.status();
  // The first intake makes the streams; until then there is nothing to do.
  auto queue = (*js)->ConsumerInfo(kJobs, kWorkersConsumer);
  // A cluster that has just started answers nothing until it has elected its leader.
  for (bool said = false; !queue.ok(); queue = (*js)->ConsumerInfo(kJobs, kWorkersConsumer)) {
    if (!said && options.log)
      options.log(queue.status().code() == Status::Code::kNotFound
                      ? "waiting for the first distributed intake to create the job queue"
                      : "waiting for the cluster: " + queue.status().message());
    said = true;
    for (int i = 0; i < 10; ++i) {
      if (options.stop && options.stop->load()) return Status::OK();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  const int64_t ack_wait_ms = queue->ack_wait_ms;

  RunCache runs(js->get());
  WorkerCounters counters;
  std::vector<std::unique_ptr<JobLoop>> loops;
  for (int i = 0; i < threads; ++i)
    loops.push_back(std::make_unique<JobLoop>(js->get(), &runs, options, name, &counters));

  const std::string started = NowUtc();
  auto beat = [&](bool last) {
    json j = {{"name", name},
              {"host", host},
              {"pid", static_cast<int>(getpid())},
              {"threads", threads},
              {"busy", counters.busy.load()},
              {"jobs_done", counters.done.load()},
              {"pages_failed", counters.failed.load()},
              {"started_at", started},
              {"heartbeat_ms", options.heartbeat_ms},
              {"beat_unix_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count()},
              {"version", POSTMOTTAK_VERSION}};
    if (last) return (*js)->Delete(kWorkersBucket, name);
    return (*js)->Put(kWorkersBucket, name, j.dump());
  };
  beat(false).IgnoreError();  // health is advisory: a missed beat shows as a stale worker
  if (options.log)
    options.log("worker " + name + " started: " + std::to_string(threads) + " threads on " +
                (*js)->connected_url());

  std::atomic<bool> loops_done{false};
  std::thread heartbeat([&] {
    while (!loops_done) {
      for (int waited = 0; waited < options.heartbeat_ms && !loops_done; waited += 50)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (loops_done) break;
      for (auto& loop : loops) loop->KeepAlive(ack_wait_ms);
      beat(false).IgnoreError();
    }
  });
  std::vector<std::thread> pool;
  std::vector<Status> results(loops.size());
  for (size_t i = 0; i < loops.size(); ++i)
    pool.emplace_back([&, i] { results[i] = loops[i]->Run(); });
  for (auto& t : pool) t.join();
  loops_done = true;
  heartbeat.join();
  beat(true).IgnoreError();  // a worker that cannot say goodbye ages out of the bucket
  if (options.log)
    options.log("worker " + name + " stopped after " + std::to_string(counters.done.load()) +
                " jobs");
  for (const Status& st : results) PM_RETURN_IF_ERROR(st);
  return Status::OK();
}

Result<ClusterStatus> ReadClusterStatus(const std::string& nats_url) {
  auto js = JetStream::Connect(nats_url, "postmottak cluster status", 5000);
  if (!js.ok()) return js.status();
  ClusterStatus out;
  out.server = (*js)->connected_url();
  auto jobs = (*js)->StreamInfo(kJobs);
  if (!jobs.ok()) {
    if (jobs.status().code() == Status::Code::kNotFound)
      return Status::NotFound("no Postmottak streams on " + out.server +
                              " yet: start a worker or a distributed intake first");
    return jobs.status();
  }
  out.jobs = *jobs;
  if (auto r = (*js)->StreamInfo(kResults); r.ok()) out.results = *r;
  if (auto d = (*js)->StreamInfo(kData); d.ok()) out.data = *d;
  auto queue = (*js)->ConsumerInfo(kJobs, kWorkersConsumer);
  if (!queue.ok()) return queue.status();
  out.queue = *queue;

  auto runs = (*js)->Keys(kRunsBucket);
  if (!runs.ok()) return runs.status();
  for (const auto& key : *runs) {
    auto bytes = (*js)->Get(kRunsBucket, key);
    if (!bytes.ok()) continue;  // ended meanwhile
    RunState r;
    r.run = key;
    if (auto s = DecodeSettings(*bytes); s.ok()) {
      r.batch = s->batch;
      r.started_at = s->started_at;
    }
    out.runs.push_back(r);
  }
  auto workers = (*js)->Keys(kWorkersBucket);
  if (!workers.ok()) return workers.status();
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  for (const auto& key : *workers) {
    auto bytes = (*js)->Get(kWorkersBucket, key);
    if (!bytes.ok()) continue;
    json j = json::parse(*bytes, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    WorkerHealth w;
    w.name = j.value("name", key);
    w.host = j.value("host", "");
    w.pid = j.value("pid", 0);
    w.threads = j.value("threads", 0);
    w.busy = j.value("busy", 0);
    w.jobs_done = j.value("jobs_done", int64_t{0});
    w.pages_failed = j.value("pages_failed", int64_t{0});
    w.version = j.value("version", "");
    const int64_t beat = j.value("beat_unix_ms", int64_t{0});
    w.seconds_since_heartbeat = std::max<int64_t>(0, now_ms - beat) / 1000.0;
    w.healthy = now_ms - beat <= 3 * j.value("heartbeat_ms", int64_t{2000});
    out.workers.push_back(w);
  }
  return out;
}

}  // namespace postmottak

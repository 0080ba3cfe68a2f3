// Distributed intake against real NATS servers: nats-server processes with JetStream on
// loopback ports, their storage in a temp dir, started and stopped by the test. Workers
// and intake are the real `postmottak` command in child processes, so that killing one
// is a real crash.
//
// Every test compares the store a distributed run leaves with the store the embedded
// run leaves over the same batch (CanonicalDump: every family, times left out).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "codecs/page_source.h"
#include "pipeline/distributed/jetstream.h"
#include "pipeline/distributed/wire.h"
#include "samples/generator.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

bool NatsServerInstalled() { return test::Run("command -v nats-server >/dev/null 2>&1") == 0; }

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// A child process with its output in a log file; killed when destroyed.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::string& log) : log_(log) {
    std::fflush(stdout);
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      setenv("OMP_THREAD_LIMIT", "1", 1);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
  }
  ~Child() {
    if (running()) Signal(SIGKILL);
    Wait();
  }
  void Signal(int sig) {
    if (pid_ > 0) kill(pid_, sig);
  }
  bool running() {
    if (pid_ <= 0 || done_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      done_ = true;
      status_ = status;
      return false;
    }
    return true;
  }
  // The exit code, or -1 when killed by a signal.
  int Wait() {
    if (pid_ > 0 && !done_) {
      waitpid(pid_, &status_, 0);
      done_ = true;
    }
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
  }
  std::string log() const { return test::ReadFile(log_); }

 private:
  std::string log_;
  pid_t pid_ = -1;
  bool done_ = false;
  int status_ = 0;
};

// One nats-server with JetStream; a node of a cluster when `routes` is not empty.
class NatsServer {
 public:
  NatsServer(const std::string& dir, const std::string& name, int port, int cluster_port,
             const std::vector<int>& routes)
      : name_(name), port_(port) {
    const std::string conf = dir + "/" + name + ".conf";
    std::ofstream out(conf);
    out << "server_name: " << name << "\n"
        << "listen: 127.0.0.1:" << port
        << "\n"
        // Small, so that gray pages and their results travel as chunks.
        << "max_payload: 65536\n"
        << "jetstream { store_dir: \"" << dir << "/" << name << "-js\" }\n";
    if (!routes.empty()) {
      out << "cluster { name: postmottak, listen: 127.0.0.1:" << cluster_port << ", routes: [";
      for (size_t i = 0; i < routes.size(); ++i)
        out << (i ? ", " : "") << "nats-route://127.0.0.1:" << routes[i];
      out << "] }\n";
    }
    out.close();
    process_ = std::make_unique<Child>(std::vector<std::string>{"nats-server", "-c", conf},
                                       dir + "/" + name + ".log");
  }
  bool WaitReady() {
    for (auto until = Clock::now() + std::chrono::seconds(20); Clock::now() < until;) {
      if (Accepts(port_)) return true;
      if (!process_->running()) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  void Kill() { process_->Signal(SIGKILL), process_->Wait(); }
  const std::string& name() const { return name_; }
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return process_->log(); }

 private:
  std::string name_;
  int port_;
  std::unique_ptr<Child> process_;
};

std::string Cli() { return POSTMOTTAK_CLI; }

std::unique_ptr<Child> StartWorker(const std::string& url, const std::string& name,
                                   const std::string& log) {
  return std::make_unique<Child>(
      std::vector<std::string>{Cli(), "worker", "--nats", url, "--name", name, "--threads", "1",
                               "--heartbeat-ms", "300"},
      log);
}

std::vector<std::string> IntakeArgs(const std::string& store, const std::string& scans,
                                    const std::vector<std::string>& extra) {
  std::vector<std::string> args = {Cli(),    "--db",   store, "--principal", "service:intake",
                                   "--json", "intake", scans};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

int CountOf(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Waits until `done` holds, at most `seconds`.
template <typename Pred>
bool WaitUntil(Pred done, int seconds) {
  for (auto until = Clock::now() + std::chrono::seconds(seconds); Clock::now() < until;) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

std::string Dump(const std::string& store_dir) {
  auto store = test::OpenStore(store_dir);
  return test::CanonicalDump(*store);
}

class DistributedTest : public ::testing::Test {
 protected:
  // One batch for the tests that compare with the embedded mode: 12 pages from a poor
  // scanner, whose PDF is gray (its pages and results exceed the servers' 64 KB message limit).
  // Made on first use: ctest runs each test in a process of its own.
  static void SetUpTestSuite() { suite_dir_ = new test::TempDir(); }
  static void TearDownTestSuite() {
    delete suite_dir_;
    delete embedded_dump_;
    suite_dir_ = nullptr;
    embedded_dump_ = nullptr;
  }

  static std::string Scans() {
    const std::string template_store = *suite_dir_ / "template";
    if (!std::filesystem::exists(template_store)) {
      auto store = test::OpenStore(template_store);
      SampleOptions options;
      options.out_dir = *suite_dir_ / "batch";
      options.pages = 12;
      options.pages_per_file = 3;
      options.seed = 4711;
      options.degradation = Degradation::kPoor;  // every PDF gray
      EXPECT_TRUE(GenerateSamples(store.get(), test::SampleRules(), options).ok());
    }
    return *suite_dir_ / "batch/scans";
  }

  // What the embedded mode makes of the batch (two threads).
  static const std::string& EmbeddedDump() {
    if (!embedded_dump_) {
      const std::string scans = Scans();
      test::CopyTree(*suite_dir_ / "template", *suite_dir_ / "embedded");
      Child embedded(IntakeArgs(*suite_dir_ / "embedded", scans, {"--workers", "2"}),
                     *suite_dir_ / "embedded.log");
      EXPECT_EQ(embedded.Wait(), 0) << embedded.log();
      embedded_dump_ = new std::string(Dump(*suite_dir_ / "embedded"));
    }
    return *embedded_dump_;
  }

  void SetUp() override {
    if (!NatsServerInstalled())
      GTEST_SKIP() << "nats-server is not installed (the README set-up, .ci/setup, installs it)";
  }

  // A fresh store with the batch's cases registered, as the embedded run began.
  std::string FreshStore(const std::string& name) {
    Scans();
    const std::string dir = dir_ / name;
    test::CopyTree(*suite_dir_ / "template", dir);
    return dir;
  }

  std::unique_ptr<NatsServer> StartServer() {
    auto server =
        std::make_unique<NatsServer>(dir_.path(), "n1", FreePort(), 0, std::vector<int>{});
    EXPECT_TRUE(server->WaitReady()) << server->log();
    return server;
  }

  json ClusterStatus(const std::string& url) {
    std::string out;
    EXPECT_EQ(test::Run(Cli() + " --json cluster status --nats " + url, &out), 0) << out;
    return json::parse(out, nullptr, false);
  }

  static test::TempDir* suite_dir_;
  static std::string* embedded_dump_;
  test::TempDir dir_;
};

test::TempDir* DistributedTest::suite_dir_ = nullptr;
std::string* DistributedTest::embedded_dump_ = nullptr;

TEST_F(DistributedTest, TheBatchSpansPagesAboveTheMessageLimit) {
  // The gray file's pages cannot travel in one 64 KB message: what the other tests
  // prove about them, they prove about chunked jobs and results.
  size_t largest = 0;
  for (const auto& entry : std::filesystem::directory_iterator(Scans())) {
    auto source = PageSource::Open(entry.path().string());
    if (!source.ok()) continue;
    for (int p = 0; p < (*source)->page_count(); ++p) {
      PageJob job;
      job.page = p + 1;
      job.image = (*source)->ReadPage(p);
      auto bytes = EncodeJob(job);
      ASSERT_TRUE(bytes.ok());
      largest = std::max(largest, bytes->payload.size());
    }
  }
  EXPECT_GT(largest, 65536u);
}

TEST_F(DistributedTest, TwoWorkersGiveTheEmbeddedResult) {
  EmbeddedDump();  // first, so that it does not compete with the workers
  auto server = StartServer();
  auto w1 = StartWorker(server->url(), "w1", dir_ / "w1.log");
  auto w2 = StartWorker(server->url(), "w2", dir_ / "w2.log");
  const std::string store = FreshStore("distributed");
  Child intake(IntakeArgs(store, Scans(), {"--nats", server->url()}), dir_ / "intake.log");
  ASSERT_EQ(intake.Wait(), 0) << intake.log();
  const std::string dump = Dump(store);
  EXPECT_TRUE(dump == EmbeddedDump())
      << test::FirstDifference(EmbeddedDump(), dump, "embedded", "distributed");

  // Both workers took part, and the cluster shows them healthy with an empty queue.
  const int started1 = CountOf(w1->log(), ": started");
  const int started2 = CountOf(w2->log(), ": started");
  EXPECT_GT(started1, 0) << w1->log();
  EXPECT_GT(started2, 0) << w2->log();
  // Heartbeats come every 300 ms: the last job's count may take one to show.
  json status;
  auto jobs_done = [&] {
    int64_t n = 0;
    for (const auto& w : status["workers"]) n += w["jobs_done"].get<int64_t>();
    return n;
  };
  WaitUntil(
      [&] {
        status = ClusterStatus(server->url());
        return status.is_object() && jobs_done() == started1 + started2;
      },
      10);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(jobs_done(), started1 + started2) << status.dump(2);
  EXPECT_EQ(status["queue"]["waiting"], 0);
  EXPECT_EQ(status["queue"]["in_progress"], 0);
  EXPECT_EQ(status["runs"].size(), 0u);  // the run cleaned up after itself
  EXPECT_EQ(status["streams"]["data"]["messages"], 0);
  ASSERT_EQ(status["workers"].size(), 2u) << status.dump(2);
  for (const auto& w : status["workers"]) EXPECT_TRUE(w["healthy"].get<bool>()) << w.dump();

  // SIGTERM: each worker finishes what it holds, leaves the cluster and exits 0.
  w1->Signal(SIGTERM);
  w2->Signal(SIGTERM);
  EXPECT_EQ(w1->Wait(), 0) << w1->log();
  EXPECT_EQ(w2->Wait(), 0) << w2->log();
  EXPECT_EQ(ClusterStatus(server->url())["workers"].size(), 0u);
}

// Remote workers work under `postmottak serve` as under `intake --nats`: a batch dropped
// into the server's inbox is read by the worker processes, and every page is accounted for.
TEST_F(DistributedTest, TheServerTakesItsInboxWithRemoteWorkers) {
  auto server = StartServer();
  auto worker = StartWorker(server->url(), "w1", dir_ / "w1.log");
  const std::string store = FreshStore("served");
  const std::string inbox = dir_ / "inbox";
  std::filesystem::create_directories(inbox);
  test::CopyTree(Scans(), inbox + "/.staging");
  std::filesystem::rename(inbox + "/.staging", inbox + "/skanning-1");  // appears whole
  Child serve({Cli(), "--db", store, "serve", "--listen", "127.0.0.1:0", "--inbox", inbox,
               "--quiet-seconds", "1", "--nats", server->url()},
              dir_ / "serve.log");
  EXPECT_TRUE(WaitUntil([&] { return std::filesystem::exists(inbox + "/.taken/skanning-1"); }, 300))
      << serve.log();
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(), 0) << serve.log();
  EXPECT_GT(CountOf(worker->log(), ": started"), 0) << "the worker read the pages";
  std::string out;
  ASSERT_EQ(test::Run(Cli() + " --db " + store + " --principal user:arkiv --json batches", &out), 0)
      << out;
  const json batches = json::parse(out);
  ASSERT_EQ(batches.size(), 1u);
  ASSERT_EQ(test::Run(Cli() + " --db " + store + " --principal user:arkiv --json reconcile " +
                          batches[0]["id"].get<std::string>(),
                      &out),
            0)
      << out;
  EXPECT_TRUE(json::parse(out)["balanced"].get<bool>());
  worker->Signal(SIGTERM);
  EXPECT_EQ(worker->Wait(), 0) << worker->log();
}

TEST_F(DistributedTest, AWorkerKilledMidBatchLosesNothing) {
  EmbeddedDump();  // first, so that it does not compete with the workers
  auto server = StartServer();
  auto w1 = StartWorker(server->url(), "w1", dir_ / "w1.log");
  auto w2 = StartWorker(server->url(), "w2", dir_ / "w2.log");
  const std::string store = FreshStore("distributed");
  Child intake(IntakeArgs(store, Scans(), {"--nats", server->url(), "--ack-wait", "2"}),
               dir_ / "intake.log");
  // Killed while it holds a page (its third), so that page must be delivered again.
  ASSERT_TRUE(WaitUntil([&] { return CountOf(w1->log(), ": started") >= 3; }, 120)) << w1->log();
  w1->Signal(SIGKILL);
  EXPECT_EQ(w1->Wait(), -1);
  ASSERT_EQ(intake.Wait(), 0) << intake.log();
  const std::string dump = Dump(store);
  EXPECT_TRUE(dump == EmbeddedDump())
      << test::FirstDifference(EmbeddedDump(), dump, "embedded", "distributed");
  EXPECT_GE(CountOf(w2->log(), "(delivery 2)"), 1) << w2->log();
}

TEST_F(DistributedTest, AThreeNodeClusterSurvivesTheLossOfANode) {
  EmbeddedDump();  // first, so that it does not compete with the workers
  const int ports[3] = {FreePort(), FreePort(), FreePort()};
  const int routes[3] = {FreePort(), FreePort(), FreePort()};
  std::vector<std::unique_ptr<NatsServer>> nodes;
  for (int i = 0; i < 3; ++i)
    nodes.push_back(std::make_unique<NatsServer>(dir_.path(), "n" + std::to_string(i + 1), ports[i],
                                                 routes[i], std::vector<int>(routes, routes + 3)));
  for (auto& n : nodes) ASSERT_TRUE(n->WaitReady()) << n->log();
  std::string all;
  for (auto& n : nodes) all += (all.empty() ? "" : ",") + n->url();

  // Workers and intake know every node; the streams keep three copies.
  auto w1 = StartWorker(nodes[0]->url() + "," + nodes[1]->url() + "," + nodes[2]->url(), "w1",
                        dir_ / "w1.log");
  auto w2 = StartWorker(nodes[1]->url() + "," + nodes[2]->url() + "," + nodes[0]->url(), "w2",
                        dir_ / "w2.log");
  const std::string store = FreshStore("distributed");
  Child intake(
      IntakeArgs(store, Scans(), {"--nats", all, "--nats-replicas", "3", "--ack-wait", "3"}),
      dir_ / "intake.log");
  ASSERT_TRUE(WaitUntil(
      [&] { return CountOf(w1->log(), ": started") + CountOf(w2->log(), ": started") >= 6; }, 180))
      << w1->log() << w2->log() << intake.log();

  // Kill the node that leads the job stream: the hardest one to lose.
  json status = ClusterStatus(all);
  const std::string leader = status["streams"]["jobs"]["leader"].get<std::string>();
  EXPECT_EQ(status["streams"]["jobs"]["replicas"], 3);
  bool killed = false;
  for (auto& n : nodes)
    if (n->name() == leader) {
      n->Kill();
      killed = true;
    }
  ASSERT_TRUE(killed) << "no node named " << leader << " leads the job stream";

  ASSERT_EQ(intake.Wait(), 0) << intake.log() << w1->log() << w2->log();
  const std::string dump = Dump(store);
  EXPECT_TRUE(dump == EmbeddedDump())
      << test::FirstDifference(EmbeddedDump(), dump, "embedded", "distributed");
}

TEST_F(DistributedTest, APoisonPageEndsInQuarantineAndTheBatchGoesOn) {
  // A batch of its own: two text pages and one that kills every worker that takes it.
  const std::string scans = dir_ / "scans";
  std::filesystem::create_directories(scans);
  test::WriteTiff(scans + "/a-letter.tif", [] {
    std::vector<Image> pages;
    pages.push_back(test::TextPage("Søknad om dagpenger", "Vedlagt kopi av arbeidsavtale", 300));
    pages.push_back(test::TextPage("Legeerklæring", "Pasienten er sykmeldt", 300));
    return pages;
  }());
  test::WriteTiff(scans + "/b-poison.tif", [] {
    std::vector<Image> pages;
    pages.push_back(test::TextPage("Timeliste", "Timer for perioden", 300));
    return pages;
  }());

  auto server = StartServer();
  const std::string store = FreshStore("poison");
  Child intake(IntakeArgs(store, scans,
                          {"--nats", server->url(), "--ack-wait", "2", "--max-deliveries", "2"}),
               dir_ / "intake.log");
  // The worker dies whenever it starts the poison page; another takes its place.
  int generation = 0, kills = 0;
  std::unique_ptr<Child> worker;
  while (intake.running()) {
    const std::string log = dir_ / ("w" + std::to_string(generation) + ".log");
    if (!worker || !worker->running()) worker = StartWorker(server->url(), "w", log);
    if (CountOf(worker->log(), "b-poison.tif page 1: started") > 0) {
      worker->Signal(SIGKILL);
      worker->Wait();
      ++kills;
      ++generation;
      worker.reset();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(intake.Wait(), 0) << intake.log();
  EXPECT_EQ(kills, 2);  // --max-deliveries: the third delivery gives up on the page

  json report = json::parse(intake.log().substr(intake.log().find('{')), nullptr, false);
  ASSERT_TRUE(report.is_object()) << intake.log();
  ASSERT_EQ(report["quarantined"].size(), 1u) << report.dump(2);
  EXPECT_NE(report["quarantined"][0]["file"].get<std::string>().find("b-poison.tif"),
            std::string::npos);
  EXPECT_EQ(report["quarantined"][0]["page"], 1);
  EXPECT_NE(report["quarantined"][0]["reason"].get<std::string>().find("no worker finished it"),
            std::string::npos)
      << report.dump(2);
  EXPECT_EQ(report["documents"], 2);  // the rest of the batch went on

  // The quarantined page keeps its image, and every page of the batch is accounted for.
  auto opened = test::OpenStore(store);
  auto quarantine = test::All<QuarantineEntry>(*opened);
  ASSERT_EQ(quarantine.size(), 1u);
  EXPECT_FALSE(quarantine[0].blob_key.empty());
  EXPECT_TRUE(opened->GetBlob(quarantine[0].blob_key).ok());
  EXPECT_EQ(test::All<LedgerEntry>(*opened).size(), 3u);
}

}  // namespace
}  // namespace postmottak

// `postmottak serve` as a process, the way it runs in production: a batch dropped into
// its inbox ends in the same store as `postmottak intake` on the same files; killed with
// SIGKILL in the middle of a batch and started again, it ends with the store of one
// clean run (no page lost, none twice); SIGTERM drains and exits 0; and a batch uploaded
// through the API is taken in like a dropped one.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <thread>

#include "pipeline/services/bearer_tokens.h"
#include "samples/generator.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kBatch = "skanning-2026-12-01";

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      auto store = test::OpenStore(dir_ / "template");
      SampleOptions options;
      options.out_dir = dir_ / "generated";
      options.pages = 16;
      options.pages_per_file = 8;
      options.mix = SampleMix::kCoverSheets;
      options.seed = 23;
      ASSERT_TRUE(GenerateSamples(store.get(), test::SampleRules(), options).ok());
    }
    archivist_ = *MakeServiceToken();
    intake_ = *MakeServiceToken();
    test::WriteFile(
        dir_ / "server.json",
        nlohmann::json{
            {"tokens",
             {{"service_tokens",
               {{archivist_.sha256, "user:arkiv"}, {intake_.sha256, "service:intake"}}}}},
            {"inbox", {{"quiet_seconds", 1}, {"poll_milliseconds", 100}}}}
            .dump());
    fs::create_directories(dir_ / "inbox");
  }

  // The batch folder, as a sender drops it: the scans, then (last) nothing else: the
  // inbox takes it when it has been quiet.
  void DropBatch() {
    const fs::path target = fs::path(dir_ / "inbox") / kBatch;
    fs::create_directories(target);
    for (const auto& e : fs::directory_iterator(fs::path(dir_ / "generated") / "scans"))
      fs::copy_file(e.path(), target / e.path().filename());
  }

  pid_t StartServe(const std::string& store) {
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      FILE* out = std::freopen(log_.c_str(), "a", stdout);
      FILE* err = std::freopen(log_.c_str(), "a", stderr);
      (void)out;
      (void)err;
      setenv("OMP_THREAD_LIMIT", "1", 1);
      const std::string config = dir_ / "server.json", inbox = dir_ / "inbox";
      execl(POSTMOTTAK_CLI, "postmottak", "--db", store.c_str(), "serve", "--listen", "127.0.0.1:0",
            "--config", config.c_str(), "--inbox", inbox.c_str(), "--workers", "2",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    return pid;
  }

  // The port the server printed, once it serves.
  int PortOf(pid_t pid) {
    static const std::regex serving(R"(Serving .* on http://127\.0\.0\.1:([0-9]+))");
    for (int i = 0; i < 600; ++i) {
      std::smatch m;
      const std::string log = test::ReadFile(log_);
      std::string::const_iterator from = log.begin();
      int port = 0;
      while (std::regex_search(from, log.end(), m, serving)) {
        port = std::stoi(m[1]);
        from = m[0].second;
      }
      if (port > 0 && port != last_port_) return last_port_ = port;
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) return 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
  }

  bool Taken() const { return fs::exists(fs::path(dir_ / "inbox") / ".taken" / kBatch); }

  // Waits for the batch to be moved aside, then stops the server with SIGTERM.
  void FinishAndStop(pid_t pid) {
    const auto until = Clock::now() + std::chrono::minutes(5);
    while (!Taken() && Clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_TRUE(Taken()) << test::ReadFile(log_);
    kill(pid, SIGTERM);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << test::ReadFile(log_);
  }

  // `postmottak intake` on the batch folder at the inbox's path (the files' names are
  // part of the store), then the folder is cleared away for the server's turn.
  std::string CleanIntake() {
    test::CopyTree(dir_ / "template", dir_ / "clean");
    DropBatch();
    const std::string folder = fs::path(dir_ / "inbox") / kBatch;
    const std::string command = std::string(POSTMOTTAK_CLI) + " --db " + (dir_ / "clean") +
                                " --principal service:intake --purpose 'inbox intake of " + kBatch +
                                "' intake " + folder + " --workers 2 >> " + log_ + " 2>&1";
    EXPECT_EQ(test::Run(command), 0) << test::ReadFile(log_);
    fs::remove_all(folder);
    auto store = test::OpenStore(dir_ / "clean");
    return test::CanonicalDump(*store);
  }

  test::TempDir dir_;
  const std::string log_ = dir_ / "serve.log";
  ServiceToken archivist_, intake_;
  int last_port_ = -1;
};

TEST_F(ServeTest, AnInboxBatchEndsLikeIntakeOnTheSameFiles) {
  const std::string clean = CleanIntake();
  test::CopyTree(dir_ / "template", dir_ / "served");
  DropBatch();
  const pid_t pid = StartServe(dir_ / "served");
  const int port = PortOf(pid);
  ASSERT_GT(port, 0) << test::ReadFile(log_);
  ASSERT_NO_FATAL_FAILURE(FinishAndStop(pid));
  EXPECT_NE(test::ReadFile(log_).find("inbox: took " + std::string(kBatch)), std::string::npos);
  auto store = test::OpenStore(dir_ / "served");
  const std::string served = test::CanonicalDump(*store);
  EXPECT_EQ(served, clean) << test::FirstDifference(clean, served, "intake", "served");
}

TEST_F(ServeTest, KilledMidBatchAndStartedAgainEndsLikeOneCleanRun) {
  const auto start = Clock::now();
  const std::string clean = CleanIntake();
  const auto run_time = Clock::now() - start;
  test::CopyTree(dir_ / "template", dir_ / "served");
  DropBatch();
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int64_t> moment(
      0, std::chrono::duration_cast<std::chrono::milliseconds>(run_time).count());
  int kills = 0;
  pid_t pid = 0;
  for (; kills < 3 && !Taken(); ++kills) {
    pid = StartServe(dir_ / "served");
    ASSERT_GT(PortOf(pid), 0) << test::ReadFile(log_);
    // Past the quiet time, into the batch.
    std::this_thread::sleep_for(std::chrono::milliseconds(1200 + moment(rng)));
    kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
  }
  pid = StartServe(dir_ / "served");
  ASSERT_GT(PortOf(pid), 0) << test::ReadFile(log_);
  ASSERT_NO_FATAL_FAILURE(FinishAndStop(pid));
  std::printf("%d kills (one clean run: %.1f s)\n", kills,
              std::chrono::duration<double>(run_time).count());
  auto store = test::OpenStore(dir_ / "served");
  const std::string served = test::CanonicalDump(*store);
  EXPECT_EQ(served, clean) << test::FirstDifference(clean, served, "intake", "served");
}

TEST_F(ServeTest, AnUploadedBatchIsTakenInAndAccountedFor) {
  test::CopyTree(dir_ / "template", dir_ / "served");
  const pid_t pid = StartServe(dir_ / "served");
  const int port = PortOf(pid);
  ASSERT_GT(port, 0) << test::ReadFile(log_);
  httplib::Client client("127.0.0.1", port);
  httplib::MultipartFormDataItems parts;
  for (const auto& e : fs::directory_iterator(fs::path(dir_ / "generated") / "scans"))
    parts.push_back({"file", test::ReadFile(e.path()), e.path().filename().string(), "image/tiff"});
  const httplib::Headers intake = {{"Authorization", "Bearer " + intake_.token}};
  const httplib::Headers archivist = {{"Authorization", "Bearer " + archivist_.token}};

  // The archivist may not take scans in: refused, and nothing reaches the inbox.
  auto refused = client.Post("/api/v1/batches?batch=opplasting-1", archivist, parts);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403) << refused->body;
  auto bad_name = client.Post("/api/v1/batches", intake,
                              httplib::MultipartFormDataItems{{"file", "x", "../evil.tif", ""}});
  ASSERT_TRUE(bad_name);
  EXPECT_EQ(bad_name->status, 400) << bad_name->body;

  auto accepted = client.Post("/api/v1/batches?batch=opplasting-1", intake, parts);
  ASSERT_TRUE(accepted);
  ASSERT_EQ(accepted->status, 202) << accepted->body;
  const auto answer = nlohmann::json::parse(accepted->body);
  EXPECT_EQ(answer["batch"], "opplasting-1");
  const size_t scans = std::count_if(parts.begin(), parts.end(), [](const auto& p) {
    return p.filename != "manifest.json";  // the generator's, sent along
  });
  EXPECT_EQ(answer["files"], scans);
  auto again = client.Post("/api/v1/batches?batch=opplasting-1", intake, parts);
  EXPECT_EQ(again->status, 409) << "the name is taken";

  nlohmann::json batch;
  const auto until = Clock::now() + std::chrono::minutes(5);
  while (Clock::now() < until) {
    auto shown = client.Get("/api/v1/batches/opplasting-1", archivist);
    ASSERT_TRUE(shown);
    batch = nlohmann::json::parse(shown->body);
    if (batch.value("state", "") == "taken") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(batch.value("state", ""), "taken") << batch.dump();
  EXPECT_EQ(batch["created_by"], "service:intake") << "taken in as the uploader";
  auto reconciled = client.Get("/api/v1/batches/opplasting-1/reconciliation", archivist);
  ASSERT_TRUE(reconciled);
  const auto r = nlohmann::json::parse(reconciled->body);
  EXPECT_TRUE(r["balanced"].get<bool>()) << r.dump(2);
  EXPECT_TRUE(r["checked_manifest"].get<bool>()) << "the server wrote the batch's manifest";
  const int pages = r["pages_expected"];
  EXPECT_GE(pages, 16);

  auto metrics = client.Get("/metrics", archivist);
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("postmottak_pages_taken_total " + std::to_string(pages)),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("postmottak_batches_taken_total 1"), std::string::npos);
  EXPECT_NE(metrics->body.find(
                "postmottak_http_requests_total{route=\"batches.upload\",status=\"202\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics->body.find("postmottak_documents_awaiting_manual_journaling"),
            std::string::npos);
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << test::ReadFile(log_);
}

}  // namespace
}  // namespace postmottak

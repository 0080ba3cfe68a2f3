// Exactly once under kill -9: intake runs in a child process, is killed at random
// moments, and is run again on the same inputs until one run finishes. The store must
// then equal the store of one uninterrupted run: no page lost, nothing twice.
//
// POSTMOTTAK_KILL_POINTS sets how many kills to make (default 50; the long run in
// docs/architecture.md makes 500), POSTMOTTAK_KILL_SEED the random seed (printed).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "samples/generator.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

// Starts `postmottak intake` on `in` into `store` as a child process.
pid_t StartIntake(const std::string& store, const std::string& in, const std::string& log) {
  std::fflush(stdout);  // else the child inherits and writes out our buffered output
  pid_t pid = fork();
  if (pid == 0) {
    FILE* out = std::freopen(log.c_str(), "a", stdout);
    FILE* err = std::freopen(log.c_str(), "a", stderr);
    (void)out;
    (void)err;
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execl(POSTMOTTAK_CLI, "postmottak", "--db", store.c_str(), "--principal", "service:intake",
          "intake", in.c_str(), "--workers", "2", "--defer-ocr", static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// Waits up to `delay` for the child; true when it ended by itself (status in *status).
bool WaitFor(pid_t pid, std::chrono::microseconds delay, int* status) {
  const auto until = std::chrono::steady_clock::now() + delay;
  for (;;) {
    if (waitpid(pid, status, WNOHANG) == pid) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

TEST(CrashTest, IntakeKilledAtRandomMomentsEndsLikeOneCleanRun) {
  test::TempDir dir;
  const std::string in = dir / "batch";
  {
    auto store = test::OpenStore(dir / "template");
    SampleOptions options;
    options.out_dir = in;
    options.pages = 24;
    options.pages_per_file = 8;
    options.mix = SampleMix::kCoverSheets;
    options.seed = 17;
    ASSERT_TRUE(GenerateSamples(store.get(), test::SampleRules(), options).ok());
  }
  const std::string scans = in + "/scans";
  const std::string log = dir / "intake.log";

  // One uninterrupted run: the reference, and the time a run takes.
  test::CopyTree(dir / "template", dir / "clean");
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  pid_t pid = StartIntake(dir / "clean", scans, log);
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << test::ReadFile(log);
  const auto run_time = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  std::string clean;
  int pages = 0;
  {
    auto store = test::OpenStore(dir / "clean");
    clean = test::CanonicalDump(*store);
    pages = static_cast<int>(test::All<LedgerEntry>(*store).size());
  }
  ASSERT_GT(pages, 20);

  const int target = static_cast<int>(EnvNumber("POSTMOTTAK_KILL_POINTS", 50));
  const uint64_t seed = EnvNumber("POSTMOTTAK_KILL_SEED", std::random_device{}());
  std::printf("kill points: %d, seed %llu, one run %.2f s, %d pages\n", target,
              static_cast<unsigned long long>(seed), run_time.count() / 1e6, pages);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> moment(0, run_time.count());

  int kills = 0, chains = 0, finished_early = 0;
  while (kills < target) {
    const std::string store_dir = dir / ("chain-" + std::to_string(chains));
    test::CopyTree(dir / "template", store_dir);
    for (;;) {
      pid = StartIntake(store_dir, scans, log);
      if (WaitFor(pid, std::chrono::microseconds(moment(rng)), &status)) {
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << test::ReadFile(log);
        ++finished_early;
        break;
      }
      kill(pid, SIGKILL);
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      ++kills;
    }
    {
      auto store = test::OpenStore(store_dir);
      const std::string resumed = test::CanonicalDump(*store);
      ASSERT_EQ(resumed, clean) << "chain " << chains << " (seed " << seed << ") differs at "
                                << test::FirstDifference(clean, resumed, "clean", "resumed");
    }
    std::filesystem::remove_all(store_dir);
    ++chains;
  }
  std::printf(
      "%d kills over %d chains (%d runs finished before their kill), each ending like the clean "
      "run\n",
      kills, chains, finished_early);
  RecordProperty("kill_points", kills);

  // A run over a finished batch changes nothing.
  pid = StartIntake(dir / "clean", scans, log);
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto store = test::OpenStore(dir / "clean");
  EXPECT_EQ(test::CanonicalDump(*store), clean);
}

}  // namespace
}  // namespace postmottak

// The server's inbox in-process: when a folder is taken (its manifest, or quiet time),
// what is never taken (hidden names, loose files), a vendor's delivery dropped in whole,
// and a batch that cannot be taken at
// all refused whole with its files kept and the reason beside them.
#include "cli/server/inbox.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/test_util.h"

namespace postmottak {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::vector<Image> Pages(const std::vector<std::string>& lines) {
  std::vector<Image> pages;
  for (const auto& line : lines) pages.push_back(test::TextPage("Legeerklæring", line, 200));
  return pages;
}

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto office = Office::Open(test::SampleOfficeOptions(dir_ / "store"));
    ASSERT_TRUE(office.ok()) << office.status().ToString();
    office_ = std::move(office).value();
    fs::create_directories(inbox_);
  }
  void TearDown() override { Stop(); }

  void Start(int quiet_seconds) {
    InboxOptions options;
    options.dir = inbox_;
    options.quiet_seconds = quiet_seconds;
    options.poll_milliseconds = 50;
    auto inbox = Inbox::Open(office_.get(), options);
    ASSERT_TRUE(inbox.ok()) << inbox.status().ToString();
    inbox_runner_ = std::move(inbox).value();
    thread_ = std::thread([this] { inbox_runner_->Run(stop_); });
  }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // A one-page scan in a batch folder of the inbox.
  void Scan(const std::string& folder) {
    fs::create_directories(inbox_ / folder);
    test::WriteTiff(inbox_ / folder / "scan.tif", Pages({"Navn: Ukjent " + folder}));
  }
  bool WaitFor(const fs::path& p, std::chrono::seconds at_most = std::chrono::seconds(60)) {
    const auto until = Clock::now() + at_most;
    while (!fs::exists(p) && Clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return fs::exists(p);
  }

  test::TempDir dir_;
  const fs::path inbox_ = fs::path(dir_ / "inbox");
  std::unique_ptr<Office> office_;
  std::unique_ptr<Inbox> inbox_runner_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_F(InboxTest, AFolderIsTakenOnItsManifestOrAfterItsQuietTime) {
  Scan("quiet");
  Scan("announced");
  test::WriteFile(inbox_ / "announced" / "manifest.json",
                  R"({"batch": "announced-1", "files": [{"name": "scan.tif", "pages": 1}]})");
  // Set the announced one's files back a little: its manifest has arrived and settled.
  const auto before = fs::file_time_type::clock::now() - std::chrono::seconds(5);
  for (const char* f : {"scan.tif", "manifest.json"})
    fs::last_write_time(inbox_ / "announced" / f, before);
  ASSERT_NO_FATAL_FAILURE(Start(3));
  ASSERT_TRUE(WaitFor(inbox_ / ".taken" / "announced"));
  EXPECT_TRUE(fs::exists(inbox_ / "quiet")) << "not quiet long enough yet";
  ASSERT_TRUE(WaitFor(inbox_ / ".taken" / "quiet"));
  const InboxCounters c = inbox_runner_->counters();
  EXPECT_EQ(c.batches_taken, 2);
  EXPECT_EQ(c.pages_taken, 2);
  EXPECT_EQ(c.batches_waiting, 0);
  auto arkiv = office_->Begin("user:arkiv", "test");
  ASSERT_TRUE(arkiv.ok());
  auto batches = arkiv->Batches();
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 2u);
  EXPECT_TRUE((*batches)[0].id == "announced-1" || (*batches)[1].id == "announced-1");
}

TEST_F(InboxTest, HiddenNamesAndLooseFilesAreNeverTaken) {
  Scan(".private");
  test::WriteTiff(inbox_ / "loose.tif", Pages({"Navn: Ukjent"}));
  const auto before = fs::file_time_type::clock::now() - std::chrono::seconds(60);
  fs::last_write_time(inbox_ / ".private" / "scan.tif", before);
  fs::last_write_time(inbox_ / "loose.tif", before);
  ASSERT_NO_FATAL_FAILURE(Start(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_TRUE(fs::exists(inbox_ / ".private" / "scan.tif"));
  EXPECT_TRUE(fs::exists(inbox_ / "loose.tif"));
  EXPECT_EQ(inbox_runner_->counters().batches_taken, 0);
}

TEST_F(InboxTest, AVendorsDeliveryDroppedIntoTheInboxIsABatchOfItsOwn) {
  test::WritePdf(dir_ / "skan.pdf", {test::BornDigitalPdfPage({"Legeerkl\\346ring", "Side 1"})});
  const std::string xml =
      "<?xml version=\"1.0\"?><skanningmetadata><journalpost><mottakskanal>SKAN_IM"
      "</mottakskanal><filnavn>skan-0001.pdf</filnavn><antallSider>1</antallSider>"
      "</journalpost></skanningmetadata>";
  test::WriteZip(dir_ / "levering.zip",
                 {{"skan-0001.pdf", test::ReadFile(dir_ / "skan.pdf")}, {"skan-0001.xml", xml}});
  fs::rename(dir_ / "levering.zip", inbox_ / "levering.zip");  // arrives whole
  ASSERT_NO_FATAL_FAILURE(Start(1));
  ASSERT_TRUE(WaitFor(inbox_ / ".taken" / "levering.zip"));
  const InboxCounters c = inbox_runner_->counters();
  EXPECT_EQ(c.batches_taken, 1);
  EXPECT_EQ(c.pages_taken, 1);
  EXPECT_EQ(c.manual_journaling, 1) << "no evidence in its metadata or text: a person decides";
  EXPECT_EQ(c.quarantined, 0);
}

TEST_F(InboxTest, ABatchThatCannotBeTakenIsRefusedWholeWithItsFilesAndTheReason) {
  Scan("broken");
  test::WriteFile(inbox_ / "broken" / "manifest.json", R"({"files": [ oops)");
  Scan("fine");
  const auto before = fs::file_time_type::clock::now() - std::chrono::seconds(60);
  for (const char* f : {"broken/scan.tif", "broken/manifest.json", "fine/scan.tif"})
    fs::last_write_time(inbox_ / f, before);
  ASSERT_NO_FATAL_FAILURE(Start(1));
  ASSERT_TRUE(WaitFor(inbox_ / ".refused" / "broken.reason.txt"));
  ASSERT_TRUE(WaitFor(inbox_ / ".taken" / "fine")) << "the rest goes on";
  EXPECT_TRUE(fs::exists(inbox_ / ".refused" / "broken" / "scan.tif")) << "files kept";
  const std::string reason = test::ReadFile(inbox_ / ".refused" / "broken.reason.txt");
  EXPECT_NE(reason.find("manifest"), std::string::npos) << reason;
  EXPECT_NE(reason.find("not valid JSON"), std::string::npos) << reason;
  EXPECT_EQ(inbox_runner_->counters().batches_refused, 1);

  // The same name again later is not mixed up with the refused one.
  Scan("broken");
  fs::last_write_time(inbox_ / "broken" / "scan.tif", before);
  ASSERT_TRUE(WaitFor(inbox_ / ".taken" / "broken"));
  EXPECT_TRUE(fs::exists(inbox_ / ".refused" / "broken" / "scan.tif"));
}

TEST_F(InboxTest, AStopLeavesTheBatchInHandForTheNextStart) {
  for (int i = 0; i < 6; ++i) {
    fs::create_directories(inbox_ / "long");
    test::WriteTiff(inbox_ / "long" / ("scan-" + std::to_string(i) + ".tif"),
                    Pages({"Side " + std::to_string(i), "Side " + std::to_string(i) + "b"}));
  }
  const auto before = fs::file_time_type::clock::now() - std::chrono::seconds(60);
  for (const auto& e : fs::directory_iterator(inbox_ / "long")) fs::last_write_time(e, before);
  fs::last_write_time(inbox_ / "long", before);
  ASSERT_NO_FATAL_FAILURE(Start(1));
  const auto until = Clock::now() + std::chrono::seconds(60);
  while (inbox_runner_->counters().pages_in_hand == 0 && Clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Stop();
  EXPECT_TRUE(fs::exists(inbox_ / "long")) << "left for the next start";
  EXPECT_FALSE(fs::exists(inbox_ / ".taken" / "long"));
  // The next start goes on with it and finishes it.
  stop_ = false;
  ASSERT_NO_FATAL_FAILURE(Start(1));
  ASSERT_TRUE(WaitFor(inbox_ / ".taken" / "long"));
  auto arkiv = office_->Begin("user:arkiv", "test");
  auto batches = arkiv->Batches();
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 1u);
  auto r = arkiv->Reconcile((*batches)[0].id);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->balanced());
  EXPECT_EQ(r->pages_expected, 12);
}

}  // namespace
}  // namespace postmottak

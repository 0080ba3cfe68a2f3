// Quarantine after intake: retry after a fix, release to manual journaling, and never a
// deletion.
#include "pipeline/services/quarantine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "pipeline/services/reconcile.h"
#include "tests/test_util.h"

namespace postmottak {
namespace fs = std::filesystem;
namespace {

class QuarantineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_ / "store");
    fs::create_directories(dir_ / "in");
    std::vector<Image> three;
    for (const char* title : {"Legeerklæring", "Arbeidsgivers bekreftelse", "Inntektsopplysninger"})
      three.push_back(test::TextPage(title, "Navn: Ukjent Avsender", 300));
    test::WriteTiff(dir_ / "in/a-three-pages.tif", three);
    std::vector<Image> one;
    one.push_back(test::TextPage("Sykmelding", "Navn: Ukjent", 300));
    test::WriteTiff(dir_ / "in/b-one-page.tif", one);
    test::WriteFile(dir_ / "in/c-notascan.txt", "Dette er ikke en skannet side.");
    test::WriteFile(dir_ / "in/d-empty.tif", "");
  }

  IntakeOptions Options() const {
    IntakeOptions options;
    options.principal = test::Tester();  // intake, and the mail room's retries
    options.workers = 2;
    return options;
  }

  const QuarantineEntry& EntryFor(const std::vector<QuarantineEntry>& entries,
                                  const std::string& name) {
    for (const auto& q : entries)
      if (fs::path(q.file).filename() == name) return q;
    ADD_FAILURE() << name << " is not in quarantine";
    static QuarantineEntry none;
    return none;
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(QuarantineTest, RetryAfterAFixTakesTheInputInAndKeepsTheRecord) {
  IntakeOptions options = Options();
  options.batch = "mail";
  options.limits.max_pages = 2;  // too low for the three-page file
  auto report = RunIntake(store_.get(), test::SampleRules(), {dir_ / "in"}, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->documents, 1);
  auto held = test::All<QuarantineEntry>(*store_);
  ASSERT_EQ(held.size(), 3u);
  const QuarantineEntry limited = EntryFor(held, "a-three-pages.tif");
  EXPECT_NE(limited.reason.find("3 pages exceeds the limit of 2"), std::string::npos);
  ASSERT_FALSE(limited.blob_key.empty());

  // The fix: the default limit. The file is read in full and journaled.
  auto retried = RetryQuarantined(store_.get(), test::SampleRules(), limited.id, "", Options());
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_TRUE(retried->resolved);
  EXPECT_EQ(retried->entry.status, QuarantineStatus::kRetried);
  EXPECT_NE(retried->entry.resolution.find("3 journaled"), std::string::npos)
      << retried->entry.resolution;
  EXPECT_EQ(retried->report.pages, 3);
  EXPECT_TRUE(store_->GetBlob(limited.blob_key).ok()) << "quarantine never deletes";
  auto again = RetryQuarantined(store_.get(), test::SampleRules(), limited.id, "", Options());
  EXPECT_FALSE(again.ok()) << "a retried entry is not retried twice";

  // An empty file kept no bytes: a retry needs a corrected copy, and takes it in.
  const QuarantineEntry empty = EntryFor(held, "d-empty.tif");
  auto no_bytes = RetryQuarantined(store_.get(), test::SampleRules(), empty.id, "", Options());
  ASSERT_FALSE(no_bytes.ok());
  EXPECT_NE(no_bytes.status().message().find("--file"), std::string::npos);
  auto fixed = RetryQuarantined(store_.get(), test::SampleRules(), empty.id,
                                dir_ / "in/b-one-page.tif", Options());
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_TRUE(fixed->resolved);

  // Retried without a fix, a file is refused again: the earlier refusal stays on record.
  const QuarantineEntry text = EntryFor(held, "c-notascan.txt");
  auto refused = RetryQuarantined(store_.get(), test::SampleRules(), text.id, "", Options());
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_FALSE(refused->resolved);
  EXPECT_EQ(refused->entry.status, QuarantineStatus::kHeld);
  ASSERT_EQ(refused->entry.history.size(), 1u);
  EXPECT_EQ(refused->entry.history[0].reason, text.reason);
  EXPECT_TRUE(store_->GetBlob(refused->entry.history[0].blob_key).ok());
  EXPECT_TRUE(store_->GetBlob(refused->entry.blob_key).ok());

  // Released to a person, with a reason: a manual-journaling task in the intake unit.
  EXPECT_FALSE(
      ReleaseQuarantined(store_.get(), test::SampleRules(), text.id, "  ", test::As("user:arkiv"))
          .ok());
  auto released =
      ReleaseQuarantined(store_.get(), test::SampleRules(), text.id,
                         "a letter typed by the sender, journal by hand", test::As("user:arkiv"));
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ(released->status, QuarantineStatus::kReleased);
  auto task = store_->Get<Task>(released->task_id);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->kind, TaskKind::kManualJournaling);
  EXPECT_EQ(task->quarantine_id, text.id);
  EXPECT_EQ(task->unit, test::SampleRules().intake_unit());
  EXPECT_NE(task->reason.find("journal by hand"), std::string::npos);
  EXPECT_FALSE(ReleaseQuarantined(store_.get(), test::SampleRules(), text.id, "again",
                                  test::As("user:arkiv"))
                   .ok());
  EXPECT_FALSE(RetryQuarantined(store_.get(), test::SampleRules(), text.id, "", Options()).ok());

  // The batch balances: every page journaled, or in quarantine with what became of it.
  auto r = Reconcile(store_.get(), test::As("user:arkiv"), "test", "mail");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->balanced());
  EXPECT_EQ(r->counts["journaled"], 4);
  EXPECT_EQ(r->counts["duplicate"], 1);  // the copy given for the empty file repeats b
  EXPECT_EQ(r->counts["released"], 1);
  EXPECT_EQ(test::All<QuarantineEntry>(*store_).size(), 3u);
}

TEST_F(QuarantineTest, TheCommandsListShowRetryAndRelease) {
  store_.reset();  // the command opens the store itself
  const std::string cli =
      std::string(POSTMOTTAK_CLI) + " --db " + dir_ / "store" + " --principal user:arkiv ";
  std::string out;
  ASSERT_EQ(test::Run(std::string(POSTMOTTAK_CLI) + " --db " + dir_ / "store" +
                      " --principal service:intake intake " + dir_ / "in" +
                      " --batch mail --max-pages 2 --workers 2 >/dev/null"),
            0);
  ASSERT_EQ(test::Run(cli + "--json quarantine list", &out), 0);
  auto list = nlohmann::json::parse(out);
  ASSERT_EQ(list.size(), 3u);
  std::string limited;
  for (const auto& q : list)
    if (q["file"].get<std::string>().find("a-three-pages") != std::string::npos) limited = q["id"];
  ASSERT_FALSE(limited.empty());
  ASSERT_EQ(test::Run(cli + "quarantine show " + limited + " --out " + dir_ / "kept.tif", &out), 0);
  EXPECT_NE(out.find("exceeds the limit"), std::string::npos) << out;
  EXPECT_EQ(test::ReadFile(dir_ / "kept.tif"), test::ReadFile(dir_ / "in/a-three-pages.tif"));
  EXPECT_EQ(test::Run(cli + "quarantine retry " + limited + " --max-pages 2 2>/dev/null", &out), 4)
      << "refused again under the same limit";
  ASSERT_EQ(test::Run(cli + "quarantine retry " + limited + " --workers 2", &out), 0);
  EXPECT_NE(out.find("3 journaled"), std::string::npos) << out;
  EXPECT_EQ(test::Run(cli + "quarantine release nosuch --reason x 2>/dev/null"), 3);
  // Held in quarantine is accounted for: the reconciliation balances.
  EXPECT_EQ(test::Run(cli + "reconcile mail", &out), 0) << out;
  EXPECT_NE(out.find("quarantined   2"), std::string::npos) << out;
  ASSERT_EQ(test::Run(cli + "--json quarantine list", &out), 0);
  for (const auto& q : nlohmann::json::parse(out))
    ASSERT_EQ(test::Run(cli + "quarantine release " + q["id"].get<std::string>() +
                        " --reason 'journal by hand'"),
              0);
  EXPECT_EQ(test::Run(cli + "reconcile mail", &out), 0) << out;
  EXPECT_NE(out.find("Every page is accounted for"), std::string::npos);
  ASSERT_EQ(test::Run(cli + "quarantine list --all", &out), 0);
  EXPECT_NE(out.find("released"), std::string::npos);
}

}  // namespace
}  // namespace postmottak

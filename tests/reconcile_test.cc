// Every page of a batch accounted for: the ledger, duplicates by content, reconciliation
// against the inventory and the manifest.
#include "pipeline/services/reconcile.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "codecs/page_source.h"
#include "pipeline/intake/intake.h"
#include "samples/generator.h"
#include "tests/test_util.h"

namespace postmottak {
namespace fs = std::filesystem;
namespace {

class ReconcileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_ / "store");
    SampleOptions options;
    options.out_dir = dir_ / "batch";
    options.pages = 24;
    options.pages_per_file = 8;
    options.seed = 23;
    auto batch = GenerateSamples(store_.get(), test::SampleRules(), options);
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    batch_ = std::move(batch).value();
  }

  IntakeReport Intake(const std::vector<std::string>& paths, const std::string& name = "") {
    IntakeOptions options;
    options.principal = test::As("service:intake");
    options.workers = 2;
    options.batch = name;
    auto r = RunIntake(store_.get(), test::SampleRules(), paths, options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : IntakeReport{};
  }

  // The first TIFF of the sample batch, and its pages decoded.
  std::string FirstTiff() const {
    for (const auto& f : batch_.files)
      if (fs::path(f).extension() == ".tif") return f;
    return "";
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
  SampleBatch batch_;
};

TEST_F(ReconcileTest, EveryPageOfABatchIsAccountedForAndTheManifestAgrees) {
  IntakeReport report = Intake({dir_ / "batch/scans"}, "first");
  auto r = Reconcile(store_.get(), test::As("user:arkiv"), "test", "first");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->balanced());
  EXPECT_TRUE(r->intake_complete);
  EXPECT_TRUE(r->checked_manifest);
  EXPECT_TRUE(r->manifest_problems.empty());
  EXPECT_EQ(r->pages_expected, batch_.pages);
  EXPECT_EQ(static_cast<int>(r->pages.size()), batch_.pages);
  EXPECT_EQ(r->counts["missing"], 0);
  EXPECT_EQ(r->counts["blank"], report.blank_pages);
  EXPECT_EQ(r->counts["cover_sheet"], report.cover_sheets);
  int journaled = 0;
  for (const auto& a : r->pages) {
    if (a.status != "journaled") continue;
    ++journaled;
    auto d = store_->Get<Document>(a.document);
    ASSERT_TRUE(d.ok()) << a.document;
    EXPECT_EQ(d->case_id, a.case_id);
    EXPECT_NE(std::find(d->source_pages.begin(), d->source_pages.end(), a.page),
              d->source_pages.end());
  }
  int stored_pages = 0;
  for (const auto& d : test::All<Document>(*store_))
    stored_pages += static_cast<int>(d.pages.size());
  EXPECT_EQ(journaled, stored_pages);

  // A page without an entry is missing, and the command says so with exit code 5.
  const std::string key = LedgerKey("first", 0, 2);
  store_.reset();
  test::RawWrite(dir_ / "store", Family::kLedger, key, std::nullopt);
  std::string out;
  EXPECT_EQ(test::Run(std::string(POSTMOTTAK_CLI) + " --db " + dir_ / "store" +
                          " --principal user:arkiv reconcile first",
                      &out),
            5);
  EXPECT_NE(out.find("MISSING " + batch_.files[0] + " page 2"), std::string::npos) << out;
  store_ = test::OpenStore(dir_ / "store");
  r = Reconcile(store_.get(), test::As("user:arkiv"), "test", "first");
  ASSERT_EQ(r->missing.size(), 1u);
  EXPECT_EQ(r->missing[0].page, 2);
  EXPECT_FALSE(r->balanced());

  // A manifest that disagrees: a file never received, a page count and a checksum wrong.
  nlohmann::json m = nlohmann::json::parse(test::ReadFile(dir_ / "batch/scans/manifest.json"));
  m["files"][0]["pages"] = m["files"][0]["pages"].get<int>() + 1;
  m["files"][1]["sha256"] = std::string(64, '0');
  m["files"].push_back({{"name", "scan-999.tif"}, {"pages", 4}});
  test::WriteFile(dir_ / "batch/scans/other.json", m.dump());
  std::vector<ManifestFile> listed;
  for (const auto& f : m["files"])
    listed.push_back({(fs::path(dir_ / "batch/scans") / f["name"].get<std::string>()).string(),
                      f.value("pages", -1), f.value("sha256", "")});
  r = Reconcile(store_.get(), test::As("user:arkiv"), "test", "first", listed);
  ASSERT_EQ(r->manifest_problems.size(), 3u);
  EXPECT_NE(r->manifest_problems[0].find("the manifest says"), std::string::npos);
  EXPECT_NE(r->manifest_problems[1].find("checksum"), std::string::npos);
  EXPECT_NE(r->manifest_problems[2].find("not received"), std::string::npos);
  EXPECT_NE(r->manifest_problems[2].find("scan-999.tif (4 pages)"), std::string::npos);
}

TEST_F(ReconcileTest, TheSameFileOrTheSamePagesAreDuplicatesNotJournaledAgain) {
  Intake({dir_ / "batch/scans"}, "first");
  const size_t documents = test::All<Document>(*store_).size();
  const size_t tasks = test::All<Task>(*store_).size();
  ASSERT_GT(documents, 0u);

  // 1. The same file again under another name, in another delivery.
  fs::create_directories(dir_ / "again");
  const std::string tiff = FirstTiff();
  ASSERT_FALSE(tiff.empty());
  fs::copy_file(tiff, dir_ / "again/renamed.tif");
  IntakeReport again = Intake({dir_ / "again"});
  EXPECT_EQ(again.duplicate_files, 1);
  EXPECT_EQ(again.documents, 0);
  EXPECT_EQ(again.pages, 0) << "an identical file is not read again";
  auto r = Reconcile(store_.get(), test::As("user:arkiv"), "test", again.batch);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->balanced());
  EXPECT_EQ(r->counts["duplicate"], static_cast<int>(r->pages.size()));
  for (const auto& a : r->pages) EXPECT_NE(a.detail.find(tiff), std::string::npos) << a.detail;

  // 2. The same pages, repacked into another file without its first page (rescanned
  //    inside another batch): every content page is a duplicate of the page held.
  auto source = PageSource::Open(tiff);
  ASSERT_TRUE(source.ok());
  Pixa* pixa = pixaCreate(0);
  for (int i = 1; i < (*source)->page_count(); ++i) {
    auto page = (*source)->ReadPage(i);
    ASSERT_TRUE(page.ok());
    pixaAddPix(pixa, page->get(), L_CLONE);
  }
  fs::create_directories(dir_ / "rescan");
  ASSERT_EQ(pixaWriteMultipageTiff((dir_ / "rescan/rescan.tif").c_str(), pixa), 0);
  pixaDestroy(&pixa);
  IntakeReport rescan = Intake({dir_ / "rescan"});
  EXPECT_EQ(rescan.duplicate_files, 0);
  EXPECT_EQ(rescan.documents, 0);
  EXPECT_GT(rescan.duplicate_pages, 0);
  EXPECT_EQ(test::All<Document>(*store_).size(), documents);
  EXPECT_EQ(test::All<Task>(*store_).size(), tasks);
  r = Reconcile(store_.get(), test::As("user:arkiv"), "test", rescan.batch);
  EXPECT_TRUE(r->balanced());
  for (const auto& a : r->pages) {
    if (a.status != "duplicate") continue;
    EXPECT_TRUE(store_->Get<Document>(a.document).ok()) << a.document;
    EXPECT_NE(a.detail.find("same page as page"), std::string::npos) << a.detail;
  }

  // 3. The whole batch again: found, resumed, nothing to do.
  IntakeReport rerun = Intake({dir_ / "batch/scans"}, "first");
  EXPECT_EQ(rerun.runs, 2);
  EXPECT_EQ(rerun.pages, 0);
  EXPECT_EQ(rerun.resumed_pages, batch_.pages);
  EXPECT_EQ(test::All<Document>(*store_).size(), documents);

  // 4. The same name for other files is refused, not mixed into the batch.
  IntakeOptions options;
  options.principal = test::As("service:intake");
  options.batch = "first";
  auto mixed = RunIntake(store_.get(), test::SampleRules(), {dir_ / "rescan"}, options);
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find("other files"), std::string::npos);
}

}  // namespace
}  // namespace postmottak

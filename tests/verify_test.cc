// `verify`: every blob against its checksum, the index against the records, references
// and the event log; `--repair` rebuilds only what is derived.
#include "storage/verify.h"

#include <gtest/gtest.h>

#include "pipeline/intake/intake.h"
#include "pipeline/services/case_service.h"
#include "samples/generator.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

bool Has(const VerifyReport& r, const std::string& kind, const std::string& object_part) {
  for (const auto& p : r.problems)
    if (p.kind == kind && p.object.find(object_part) != std::string::npos) return true;
  return false;
}

TEST(VerifyTest, FindsDamagedBlobsAndIndexesAndRepairsOnlyWhatIsDerived) {
  test::TempDir dir;
  std::string page_key, doc_id;
  {
    auto store = test::OpenStore(dir / "store");
    SampleOptions options;
    options.out_dir = dir / "batch";
    options.pages = 12;
    options.seed = 31;
    ASSERT_TRUE(GenerateSamples(store.get(), test::SampleRules(), options).ok());
    IntakeOptions intake;
    intake.principal = test::As("service:intake");
    intake.workers = 2;
    ASSERT_TRUE(RunIntake(store.get(), test::SampleRules(), {dir / "batch/scans"}, intake).ok());

    auto clean = VerifyStore(store.get(), false, test::As("user:arkiv"));
    ASSERT_TRUE(clean.ok());
    for (const auto& p : clean->problems)
      ADD_FAILURE() << p.kind << " " << p.object << " " << p.detail;
    EXPECT_GT(clean->blobs, 10);
    EXPECT_GT(clean->records, 20);
    EXPECT_GT(clean->index_entries, 20);
    auto docs = test::All<Document>(*store);
    ASSERT_FALSE(docs.empty());
    doc_id = docs.front().id;
    page_key = docs.front().pages.front().blob_key;
  }
  // Damage from outside: a page image changed on disk, an index entry lost, one made
  // up, a PDF gone.
  test::RawWrite(dir / "store", Family::kBlobs, page_key, std::string("not the page"));
  test::RawWrite(dir / "store", Family::kIndex, "unlinked/doc-made-up", std::string());
  test::RawWrite(dir / "store", Family::kBlobs, "doc/" + doc_id + "/pdf", std::nullopt);
  std::string lost_index;
  {
    auto store = test::OpenStore(dir / "store");
    lost_index = "case_doc/" + store->Get<Document>(doc_id)->case_id + "/" + doc_id;
    if (store->Get<Document>(doc_id)->case_id.empty()) lost_index = "unlinked/" + doc_id;
  }
  test::RawWrite(dir / "store", Family::kIndex, lost_index, std::nullopt);

  auto store = test::OpenStore(dir / "store");
  auto damaged = VerifyStore(store.get(), false, test::As("user:arkiv"));
  ASSERT_TRUE(damaged.ok());
  EXPECT_TRUE(Has(*damaged, "checksum_mismatch", page_key));
  EXPECT_TRUE(Has(*damaged, "missing_blob", "doc/" + doc_id + "/pdf"));
  EXPECT_TRUE(Has(*damaged, "index_extra", "unlinked/doc-made-up"));
  EXPECT_TRUE(Has(*damaged, "index_missing", lost_index));

  auto repaired = VerifyStore(store.get(), true, test::As("user:arkiv"));
  ASSERT_TRUE(repaired.ok());
  EXPECT_TRUE(repaired->repaired);
  EXPECT_FALSE(Has(*repaired, "index_extra", ""));
  EXPECT_FALSE(Has(*repaired, "index_missing", ""));
  // Lost or damaged content needs a backup: reported still, never "fixed" by deleting.
  EXPECT_TRUE(Has(*repaired, "checksum_mismatch", page_key));
  EXPECT_TRUE(Has(*repaired, "missing_blob", "doc/" + doc_id + "/pdf"));
  EXPECT_TRUE(store->Get<Document>(doc_id).ok());

  // A record that does not decode and a reference to nothing are reported too.
  store.reset();
  test::RawWrite(dir / "store", Family::kTasks, "broken-task", std::string("{not json"));
  test::RawWrite(dir / "store", Family::kLedger, "x/000000/000001",
                 std::string(R"({"id":"x/000000/000001","document":"doc-nowhere"})"));
  store = test::OpenStore(dir / "store");
  auto more = VerifyStore(store.get(), false, test::As("user:arkiv"));
  EXPECT_TRUE(Has(*more, "corrupt_record", "broken-task"));
  EXPECT_TRUE(Has(*more, "dangling_reference", "x/000000/000001"));

  std::string out;
  store.reset();
  EXPECT_EQ(test::Run(std::string(POSTMOTTAK_CLI) + " --db " + dir / "store" +
                          " --principal user:arkiv verify",
                      &out),
            5);
  EXPECT_NE(out.find("checksum_mismatch"), std::string::npos) << out;
}

TEST(VerifyTest, AScanThatFailsIsAProblemAndNoChangeCommitsOnIt) {
  test::TempDir dir;
  {
    auto store = test::OpenStore(dir / "store");
    CaseService s = test::ServiceFor(store.get(), test::Tester());
    for (int i = 1; i <= 40; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "2026-%06d", 700 + i);
      ASSERT_TRUE(s.AddCase(test::MakeNewCase(id, test::PersonId(700 + i), "AAP", "0301")).ok());
    }
  }
  test::DamageFamilyOnDisk(dir / "store", Family::kCases);
  auto store = test::OpenStore(dir / "store");
  // Listing fails; it does not pass for a store with fewer cases.
  auto cases = store->List<Case>();
  ASSERT_FALSE(cases.ok());
  EXPECT_EQ(cases.status().code(), Status::Code::kIOError) << cases.status().ToString();
  // verify reports the failed scan; before, it reported a clean store of fewer records.
  auto report = VerifyStore(store.get(), false, test::As("user:arkiv"));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->ok());
  EXPECT_TRUE(Has(*report, "scan_failed", "case")) << report->problems.size();
  // Rebuilding the index from records it cannot read would drop their entries: refused.
  EXPECT_FALSE(store->RebuildIndexes(test::As("user:arkiv"), "test").ok());
  // And a change that read through the damage does not commit what it decided on it.
  Change change = store->BeginChange(test::Tester(), "test");
  change.Get<Case>("2026-000701").IgnoreError();  // it fails: the point is the read
  change.Log("test", "case/2026-000701");
  EXPECT_FALSE(change.Commit().ok());
}

}  // namespace
}  // namespace postmottak

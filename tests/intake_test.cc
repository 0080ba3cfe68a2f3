// End to end: a generated batch with scanner faults goes through the real pipeline
// (Tesseract, zxing-cpp, RocksDB) and is checked against the generator's ground truth.
#include "pipeline/intake/intake.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "pipeline/services/reindex.h"
#include "samples/generator.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

using nlohmann::json;

struct Generated {
  test::TempDir dir;
  std::unique_ptr<Store> store;
  SampleBatch batch;
  IntakeReport report;
};

std::unique_ptr<Generated> GenerateAndIntake(int pages, uint64_t seed) {
  auto g = std::make_unique<Generated>();
  g->store = test::OpenStore(g->dir / "store");
  SampleOptions options;
  options.out_dir = g->dir / "batch";
  options.pages = pages;
  options.seed = seed;
  auto batch = GenerateSamples(g->store.get(), test::SampleRules(), options);
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  if (!batch.ok()) return nullptr;
  g->batch = std::move(batch).value();
  IntakeOptions intake;
  intake.principal = test::As("service:intake");
  intake.workers = 2;
  intake.batch = "test-batch";
  auto report =
      RunIntake(g->store.get(), test::SampleRules(), {options.out_dir + "/scans"}, intake);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  if (!report.ok()) return nullptr;
  g->report = std::move(report).value();
  return g;
}

TEST(IntakeTest, GeneratedBatchMatchesItsGroundTruth) {
  auto g = GenerateAndIntake(90, 7);
  ASSERT_NE(g, nullptr);
  const json& truth = g->batch.truth;
  const IntakeReport& r = g->report;

  // Every page accounted for.
  EXPECT_EQ(r.pages, static_cast<int>(truth["pages"].size()));
  EXPECT_TRUE(r.quarantined.empty());
  std::map<std::string, int> kinds;
  for (const auto& p : truth["pages"]) ++kinds[p["kind"].get<std::string>()];
  EXPECT_EQ(r.cover_sheets, kinds["cover_sheet"]);
  EXPECT_EQ(r.separator_sheets, kinds["separator"]);
  EXPECT_EQ(r.blank_pages, kinds["blank"]);

  std::map<std::pair<std::string, int>, Document> by_first_page;
  for (auto& d : test::All<Document>(*g->store))
    by_first_page[{d.source_file, d.source_pages.front()}] = d;
  EXPECT_EQ(by_first_page.size(), truth["documents"].size());

  int cover_docs = 0, text_docs = 0, text_linked = 0;
  for (const auto& t : truth["documents"]) {
    const std::string file = t["file"], route = t["route"], true_case = t["true_case"];
    auto it = by_first_page.find({file, t["pages"][0].get<int>()});
    ASSERT_NE(it, by_first_page.end()) << "document missing: " << t.dump();
    const Document& d = it->second;
    EXPECT_EQ(d.source_pages, t["pages"].get<std::vector<int>>()) << t.dump();
    // Never on a wrong case, whatever the route.
    if (!d.case_id.empty()) {
      EXPECT_EQ(d.case_id, true_case) << t.dump() << " evidence: " << d.link_evidence;
    }
    if (route == "cover_sheet") {
      ++cover_docs;
      EXPECT_EQ(d.case_id, true_case) << t.dump();
      EXPECT_EQ(d.linked_by, LinkMethod::kCoverSheet);
      EXPECT_EQ(d.type, t["type"]) << t.dump();
    } else if (route == "text") {
      ++text_docs;
      if (d.case_id == true_case) ++text_linked;
    } else {
      EXPECT_TRUE(d.case_id.empty()) << "must be left for manual journaling: " << t.dump();
      EXPECT_TRUE(g->store->Get<Task>("journal-" + d.id).ok());
    }
  }
  EXPECT_GT(cover_docs, 10);
  EXPECT_GT(text_docs, 0);
  EXPECT_GE(text_linked * 10, text_docs * 9)
      << text_linked << " of " << text_docs << " linked by text";

  // Tasks exactly as the ground truth says.
  std::set<std::pair<std::string, std::string>> missing, expected_missing;
  std::set<std::string> ready, expected_ready;
  for (const auto& t : test::All<Task>(*g->store)) {
    if (t.status != TaskStatus::kOpen) continue;
    if (t.kind == TaskKind::kMissingDocumentation) missing.insert({t.case_id, t.document_type});
    if (t.kind == TaskKind::kReadyForDecision) ready.insert(t.case_id);
  }
  for (const auto& m : truth["expected_tasks"]["missing"])
    expected_missing.insert({m["case"].get<std::string>(), m["type"].get<std::string>()});
  for (const auto& c : truth["expected_tasks"]["ready"])
    expected_ready.insert(c.get<std::string>());
  EXPECT_EQ(missing, expected_missing);
  EXPECT_EQ(ready, expected_ready);
  for (const auto& c : test::All<Case>(*g->store))
    EXPECT_EQ(c.status == CaseStatus::kReadyForDecision, expected_ready.count(c.id) == 1) << c.id;
}

TEST(IntakeTest, JournaledDocumentsCarryImagesPdfAndCustody) {
  auto g = GenerateAndIntake(24, 11);
  ASSERT_NE(g, nullptr);
  auto docs = test::All<Document>(*g->store);
  ASSERT_FALSE(docs.empty());
  for (const auto& d : docs) {
    EXPECT_EQ(d.batch, "test-batch");
    EXPECT_FALSE(d.source_file.empty());
    EXPECT_EQ(d.pages.size(), d.source_pages.size());
    EXPECT_FALSE(d.received_at.empty());
    EXPECT_EQ(d.pipeline_version, POSTMOTTAK_VERSION);
    for (const auto& p : d.pages) {
      auto blob = g->store->GetBlob(p.blob_key);
      ASSERT_TRUE(blob.ok());
      EXPECT_EQ(p.format, "tiff-g4");
      EXPECT_EQ(blob->rfind("II*", 0), 0u) << "G4 pages are stored as TIFF";
    }
    auto pdf = g->store->GetBlob(d.pdf_blob);
    ASSERT_TRUE(pdf.ok());
    EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
    EXPECT_FALSE(d.text.empty());
  }
}

TEST(IntakeTest, DeferredOcrJournalsCoveredPagesAtOnceAndReindexReadsThemLater) {
  test::TempDir dir;
  auto store = test::OpenStore(dir / "store");
  SampleOptions options;
  options.out_dir = dir / "batch";
  options.pages = 20;
  options.seed = 17;
  options.mix = SampleMix::kCoverSheets;
  auto batch = GenerateSamples(store.get(), test::SampleRules(), options);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  IntakeOptions intake;
  intake.principal = test::As("service:intake");
  intake.workers = 2;
  intake.defer_covered_ocr = true;
  int read = 0;
  intake.on_page = [&read](const ProcessedPage& p) { read += !p.text.empty(); };
  auto report = RunIntake(store.get(), test::SampleRules(), {options.out_dir + "/scans"}, intake);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(read, 0) << "every content page is behind a cover sheet: none needs OCR at intake";

  std::map<std::pair<std::string, int>, std::string> true_case;
  for (const auto& p : batch->truth["pages"]) true_case[{p["file"], p["page"]}] = p["case"];
  auto docs = test::All<Document>(*store);
  ASSERT_FALSE(docs.empty());
  for (const auto& d : docs) {
    EXPECT_TRUE(d.ocr_pending);
    EXPECT_TRUE(d.text.empty());
    EXPECT_EQ(d.linked_by, LinkMethod::kCoverSheet);
    EXPECT_EQ(d.case_id, (true_case[{d.source_file, d.source_pages.front()}]));
  }

  ReindexOptions redo;

  redo.principal = test::As("user:arkiv");
  redo.workers = 2;
  redo.only_pending = true;
  auto r = Reindex(store.get(), test::SampleRules(), redo);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->processed, static_cast<int>(docs.size()));
  for (const auto& d : test::All<Document>(*store)) {
    EXPECT_FALSE(d.ocr_pending);
    EXPECT_FALSE(d.text.empty());
    EXPECT_NE(d.type, "unknown");
    EXPECT_FALSE(d.pdf_blob.empty());
    EXPECT_EQ(d.case_id, (true_case[{d.source_file, d.source_pages.front()}])) << "links kept";
  }
  auto again = Reindex(store.get(), test::SampleRules(), redo);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->processed, 0) << "nothing pending any more";
}

json State(const Store& store) {
  json s;
  s["cases"] = test::All<Case>(store);
  s["documents"] = test::All<Document>(store);
  s["tasks"] = test::All<Task>(store);
  s["cover_sheets"] = test::All<CoverSheet>(store);
  // The audit trail grows with every run (each reindex reads every document): the
  // audit part of the index is left out.
  json index = json::object();
  for (const auto& [key, value] : store.ScanIndex(""))
    if (key.rfind("audit_", 0) != 0) index[key] = value;
  s["index"] = index;
  return s;
}

TEST(ReindexTest, RunningTwiceLeavesTheSameStateAndResumes) {
  auto g = GenerateAndIntake(24, 13);
  ASSERT_NE(g, nullptr);
  const json before = State(*g->store);
  ReindexOptions options;
  options.principal = test::As("user:arkiv");
  options.workers = 2;
  options.chunk = 2;
  auto first = Reindex(g->store.get(), test::SampleRules(), options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const json once = State(*g->store);
  auto second = Reindex(g->store.get(), test::SampleRules(), options);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->changed, 0);
  EXPECT_EQ(State(*g->store), once);
  // Links and tasks do not move: OCR of the same pages gives the same evidence.
  EXPECT_EQ(once["tasks"], before["tasks"]);
  EXPECT_EQ(once["cases"], before["cases"]);

  // A run stopped after the first document resumes after it.
  const auto docs = test::All<Document>(*g->store);
  ASSERT_GE(docs.size(), 2u);
  {
    Change change = g->store->BeginChange(test::Tester(), "test");
    change.SetMeta(kReindexCursorKey, docs.front().id);
    ASSERT_TRUE(change.Commit().ok());
  }
  auto resumed = Reindex(g->store.get(), test::SampleRules(), options);
  ASSERT_TRUE(resumed.ok());
  EXPECT_TRUE(resumed->resumed);
  EXPECT_EQ(resumed->processed, static_cast<int>(docs.size()) - 1);
  EXPECT_FALSE(g->store->GetMeta(kReindexCursorKey).has_value());
  EXPECT_EQ(State(*g->store), once);
}

}  // namespace
}  // namespace postmottak

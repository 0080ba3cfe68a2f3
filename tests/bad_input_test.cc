// Bad input of every kind goes to quarantine with the file and page named, and the
// rest of the batch is journaled.
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <filesystem>

#include "codecs/barcode.h"
#include "codecs/check_digits.h"
#include "codecs/text_raster.h"
#include "pipeline/cover_sheet.h"
#include "pipeline/intake.h"
#include "samples/generator.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

Image CoverLikePage(const std::string& payload) {
  auto canvas = Canvas::Create(300);
  canvas->Text(20, 36, 22, "Førsteside", true);
  auto code = DrawBarcode(Symbology::kCode128, payload, 5, canvas->Px(16));
  canvas->Paste(*code, 20, 52);
  return canvas->Snapshot();
}

TEST(BadInputTest, EveryKindGoesToQuarantineAndTheBatchGoesOn) {
  test::TempDir dir;
  auto store = test::OpenStore(dir / "store");
  SampleOptions options;
  options.out_dir = dir / "good";
  options.pages = 12;
  options.seed = 5;
  auto good = GenerateSamples(store.get(), test::SampleRules(), options);
  ASSERT_TRUE(good.ok()) << good.status().ToString();

  const std::string in = dir / "in";
  std::filesystem::create_directories(in);
  for (const auto& f : good->files)
    std::filesystem::copy_file(f, in + "/" + std::filesystem::path(f).filename().string());
  test::WriteFile(in + "/zero.tif", "");
  test::WriteFile(in + "/notascan.txt", "Dette er ikke en skannet side.");
  test::WriteFile(in + "/broken.pdf",
                  "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer garbage");
  const std::string tif = test::ReadFile(good->files.front());
  test::WriteFile(in + "/truncated.tif", tif.substr(0, tif.size() / 2));

  std::string wrong = MakeCoverId(77);
  wrong[11] = wrong[11] == '9' ? '0' : static_cast<char>(wrong[11] + 1);
  test::WriteTiff(in + "/wrongcheck.tif", [&] {
    std::vector<Image> v;
    v.push_back(CoverLikePage(wrong));
    v.push_back(test::TextPage("Legeerklæring", "Navn: Ukjent", 300));
    return v;
  }());
  CoverSheet forged;
  forged.id = MakeCoverId(987654);  // valid check digit, never issued
  forged.area = "AAP";
  forged.person_id = test::PersonId(3);
  forged.unit = "0301";
  auto forged_page = DrawCoverSheet(forged, test::SampleRules(), 300);
  ASSERT_TRUE(forged_page.ok());
  test::WriteTiff(in + "/forged.tif", [&] {
    std::vector<Image> v;
    v.push_back(std::move(forged_page).value());
    v.push_back(test::TextPage("Sykmelding", "Navn: Ukjent", 300));
    return v;
  }());

  IntakeOptions intake;
  intake.workers = 2;
  auto report = RunIntake(store.get(), test::SampleRules(), {in}, intake);
  ASSERT_TRUE(report.ok()) << report.status().ToString();

  auto find = [&](const std::string& name) -> const QuarantinedInput* {
    for (const auto& q : report->quarantined)
      if (std::filesystem::path(q.file).filename() == name) return &q;
    return nullptr;
  };
  for (const char* name : {"zero.tif", "notascan.txt", "broken.pdf", "truncated.tif",
                           "wrongcheck.tif", "forged.tif"}) {
    const QuarantinedInput* q = find(name);
    ASSERT_NE(q, nullptr) << name << " was not quarantined";
    EXPECT_NE(q->reason.find(name), std::string::npos) << q->reason;
    if (q->page > 0) {
      EXPECT_NE(q->reason.find("page " + std::to_string(q->page)), std::string::npos) << q->reason;
    }
  }
  EXPECT_NE(find("zero.tif")->reason.find("empty"), std::string::npos);
  EXPECT_EQ(find("wrongcheck.tif")->page, 1);
  EXPECT_NE(find("wrongcheck.tif")->reason.find("check digit"), std::string::npos);
  EXPECT_EQ(find("forged.tif")->page, 1);
  EXPECT_NE(find("forged.tif")->reason.find("unknown cover id " + forged.id), std::string::npos);

  // Kept in the store, never deleted; the page images and file bytes with them.
  auto entries = store->List<QuarantineEntry>();
  EXPECT_EQ(entries.size(), report->quarantined.size());
  for (const auto& e : entries) {
    EXPECT_FALSE(e.reason.empty());
    if (e.page > 0 || std::filesystem::path(e.file).filename() != "zero.tif") {
      EXPECT_TRUE(store->GetBlob(e.blob_key).ok()) << e.file << " page " << e.page;
    }
  }

  // The good files were journaled in full, and the pages behind the bad cover sheets
  // too: for a person to journal, not attached to an earlier piece.
  int good_docs = 0;
  std::set<std::string> good_files;
  for (const auto& f : good->files) good_files.insert(std::filesystem::path(f).filename().string());
  for (const auto& d : store->List<Document>()) {
    const std::string name = std::filesystem::path(d.source_file).filename().string();
    if (good_files.count(name)) ++good_docs;
    if (name == "wrongcheck.tif" || name == "forged.tif") {
      EXPECT_TRUE(d.case_id.empty());
      EXPECT_EQ(d.source_pages, std::vector<int>{2});
    }
  }
  EXPECT_EQ(good_docs, static_cast<int>(good->truth["documents"].size()));
}

}  // namespace
}  // namespace postmottak

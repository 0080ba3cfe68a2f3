// The evaluation corpus and its measures: graded degradation levels, the ground truth
// per page, and the figures postmottak-eval reports.
#include "samples/evaluation.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "codecs/check_digits.h"
#include "codecs/page_source.h"
#include "samples/generator.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

using nlohmann::json;

TEST(EvaluationTest, NormalisationFoldsWhiteSpaceAndDecodesUtf8) {
  EXPECT_EQ(NormalizeForCer("  Søknad\n\nom  \f dagpenger \n"), U"Søknad om dagpenger");
  EXPECT_EQ(NormalizeForCer(""), U"");
}

TEST(EvaluationTest, EditDistanceCountsCodePoints) {
  EXPECT_EQ(EditDistance(U"", U""), 0);
  EXPECT_EQ(EditDistance(U"", U"abc"), 3);
  EXPECT_EQ(EditDistance(U"kitten", U"sitting"), 3);
  // One edit for "ø" read as "o", not two for its two UTF-8 bytes.
  EXPECT_EQ(EditDistance(NormalizeForCer("Søknad"), NormalizeForCer("Soknad")), 1);
  EXPECT_EQ(EditDistance(U"abc", U"abc"), 0);
}

json TruthPage(const std::string& file, int page, const std::string& kind, const std::string& c,
               int rotation = 0, const std::string& text = "", const std::string& cover = "") {
  return {{"file", file},         {"page", page}, {"kind", kind},     {"case", c},
          {"rotation", rotation}, {"text", text}, {"cover_id", cover}};
}

TEST(EvaluationTest, MeasuresFollowTheirDefinitions) {
  json truth;
  truth["degradation"] = "office";
  truth["pages"] = {TruthPage("f", 1, "cover_sheet", "C1", 0, "", "000000000013"),
                    TruthPage("f", 2, "content", "C1", 90, "Søknad om dagpenger"),
                    TruthPage("f", 3, "blank", "C1"),
                    TruthPage("f", 4, "separator", ""),
                    TruthPage("f", 5, "content", "C2", 0, "Legeerklæring"),
                    TruthPage("f", 6, "separator", ""),
                    TruthPage("f", 7, "content", "", 0, "Brev")};
  truth["documents"] = {
      {{"file", "f"}, {"pages", {2}}, {"true_case", "C1"}, {"route", "cover_sheet"}},
      {{"file", "f"}, {"pages", {5}}, {"true_case", "C2"}, {"route", "text"}},
      {{"file", "f"}, {"pages", {7}}, {"true_case", ""}, {"route", "manual"}}};
  std::vector<PageOutcome> pages = {
      {"f", 1, "cover_sheet", "000000000013", 0, ""},
      {"f", 2, "content", "", 270, "Søknad om dagpenge"},  // turned back, one letter lost
      {"f", 3, "content", "", 0, ""},                      // a blank page taken for content
      {"f", 4, "separator", "", 0, ""},
      {"f", 5, "content", "", 0, "Legeerklæring"},
      {"f", 6, "blank", "", 0, ""},  // a separator missed
      {"f", 7, "content", "", 0, "Brev"}};
  Document d1, d2, d3;
  d1.source_file = d2.source_file = d3.source_file = "f";
  d1.source_pages = {2, 3};
  d1.case_id = "C1";
  d2.source_pages = {5, 6, 7};
  d2.case_id = "C2";
  d3.source_pages = {7};
  d3.case_id = "C2";  // linked, but the page belongs to no case: a wrong link
  EvalReport r = Evaluate(truth, pages, {d1, d2, d3});

  auto expect = [](const Ratio& ratio, int hits, int total, const char* what) {
    EXPECT_EQ(ratio.hits, hits) << what;
    EXPECT_EQ(ratio.total, total) << what;
  };
  EXPECT_EQ(r.pages, 7);
  expect(r.cover_recall, 1, 1, "cover recall");
  expect(r.separator_recall, 1, 2, "separator recall");
  expect(r.separator_precision, 1, 1, "separator precision");
  expect(r.blank_recall, 0, 1, "blank recall");
  expect(r.blank_precision, 0, 1, "blank precision");
  expect(r.orientation, 3, 3, "orientation");
  EXPECT_EQ(r.cer_edits, 1);
  EXPECT_EQ(r.cer_chars, 19 + 13 + 4);
  expect(r.link_precision, 2, 3, "link precision");
  expect(r.link_recall, 2, 2, "link recall");
  EXPECT_EQ(r.manual_share.hits, 0);
  EXPECT_EQ(r.documents, 3);
}

TEST(EvaluationTest, NothingToFindCountsAsFound) {
  Ratio none;
  EXPECT_EQ(none.value(), 1.0);
}

// A small corpus at `level`, with page images.
struct Corpus {
  test::TempDir dir;
  json truth;
};

std::unique_ptr<Corpus> MakeCorpus(Degradation level, int pages, uint64_t seed) {
  auto c = std::make_unique<Corpus>();
  auto store = test::OpenStore(c->dir / "store");
  SampleOptions o;
  o.out_dir = c->dir.path();
  o.pages = pages;
  o.seed = seed;
  o.degradation = level;
  o.page_images = true;
  auto batch = GenerateSamples(store.get(), test::SampleRules(), o);
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  if (!batch.ok()) return nullptr;
  c->truth = batch->truth;
  return c;
}

TEST(GeneratorLevelsTest, EachLevelFollowsItsRecipe) {
  for (Degradation level :
       {Degradation::kClean, Degradation::kOffice, Degradation::kPoor, Degradation::kFax}) {
    auto c = MakeCorpus(level, 24, 5);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->truth["degradation"], ToString(level));
    for (const auto& p : c->truth["pages"]) {
      const int dpi = p["dpi"];
      switch (level) {
        case Degradation::kClean:
          EXPECT_EQ(dpi, 300);
          EXPECT_EQ(p["rotation"], 0);
          break;
        case Degradation::kOffice:
          EXPECT_TRUE(dpi == 200 || dpi == 300);
          break;
        case Degradation::kPoor:
          EXPECT_EQ(dpi, 200);
          break;
        case Degradation::kFax:
          EXPECT_TRUE(dpi == 100 || dpi == 200);
          EXPECT_EQ(p["rotation"], 0);
          break;
      }
      if (p["kind"] == "content") {
        EXPECT_FALSE(p["text"].get<std::string>().empty());
      }
      if (p["kind"] == "cover_sheet") {
        EXPECT_TRUE(IsValidCoverId(p["cover_id"]));
      }
      // The page image holds exactly the pixels intake decodes from the scan.
      auto image = PageSource::Open(p["image"], SourceLimits{});
      ASSERT_TRUE(image.ok()) << p.dump();
      auto scan = PageSource::Open(p["file"], SourceLimits{});
      ASSERT_TRUE(scan.ok());
      auto a = (*image)->ReadPage(0);
      auto b = (*scan)->ReadPage(p["page"].get<int>() - 1);
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_EQ(a->width(), b->width());
      EXPECT_EQ(a->depth(), b->depth());
      if (level == Degradation::kFax) {
        EXPECT_EQ(b->depth(), 1) << "a fax is bitonal";
      }
    }
  }
}

TEST(GeneratorLevelsTest, SameSeedAndLevelGiveTheSameCorpus) {
  auto a = MakeCorpus(Degradation::kPoor, 12, 9);
  auto b = MakeCorpus(Degradation::kPoor, 12, 9);
  ASSERT_TRUE(a && b);
  json ta = a->truth, tb = b->truth;
  for (json* t : {&ta, &tb})
    for (auto& p : (*t)["pages"]) {
      p["file"] = std::filesystem::path(p["file"].get<std::string>()).filename();
      p["image"] = std::filesystem::path(p["image"].get<std::string>()).filename();
    }
  for (json* t : {&ta, &tb})
    for (auto& d : (*t)["documents"])
      d["file"] = std::filesystem::path(d["file"].get<std::string>()).filename();
  EXPECT_EQ(ta, tb);
}

TEST(EvaluateCorpusTest, CleanCorpusIsReadWithoutAWrongLink) {
  auto c = MakeCorpus(Degradation::kClean, 30, 21);
  ASSERT_NE(c, nullptr);
  IntakeOptions options;
  options.principal = test::As("service:intake");
  options.workers = 2;
  auto r = EvaluateCorpus(c->dir.path(), test::SampleRules(), options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->pages, static_cast<int>(c->truth["pages"].size()));
  EXPECT_EQ(r->cover_recall.value(), 1.0);
  EXPECT_EQ(r->link_precision.value(), 1.0);
  EXPECT_EQ(r->link_recall.value(), 1.0);
  EXPECT_EQ(r->orientation.value(), 1.0);
  EXPECT_LT(r->cer(), 0.02);
  EXPECT_GT(r->cer_chars, 1000);
  // The corpus's own store is untouched: it can be evaluated again.
  auto store = test::OpenStore(c->dir / "store");
  EXPECT_TRUE(test::All<Document>(*store).empty());
}

}  // namespace
}  // namespace postmottak

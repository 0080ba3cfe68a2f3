#include "pipeline/stages/page_analysis.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include "codecs/check_digits.h"
#include "pipeline/stages/cover_sheet.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

Image Blank(int dpi, int specks) {
  Pix* pix = pixCreate(dpi * 827 / 100, dpi * 1169 / 100, 8);
  pixSetAllArbitrary(pix, 255);
  pixSetResolution(pix, dpi, dpi);
  for (int i = 0; i < specks; ++i)
    pixSetPixel(pix, (i * 7919) % pixGetWidth(pix), (i * 104729) % pixGetHeight(pix), 0);
  return Image(pix);
}

TEST(PageAnalysisTest, BlankBackSideWithDustIsBlank) {
  EXPECT_EQ(AnalyzePage(Blank(300, 0)).kind, PageKind::kBlank);
  EXPECT_EQ(AnalyzePage(Blank(200, 3000)).kind, PageKind::kBlank);
}

TEST(PageAnalysisTest, TextPageIsContentAndUpright) {
  Image page = test::TextPage("Legeerklæring", "Navn: Kari", 300);
  PageAnalysis a = AnalyzePage(page);
  EXPECT_EQ(a.kind, PageKind::kContent);
  EXPECT_EQ(a.rotation, 0);
  EXPECT_EQ(a.upright.depth(), 1);
  EXPECT_EQ(a.dpi, 300);
}

TEST(PageAnalysisTest, TurnedPagesAreTurnedBack) {
  Image page = test::TextPage("Legeerklæring", "Navn: Kari", 300);
  for (int turned : {90, 180, 270}) {
    Image scanned = RotateOrtho(page, turned);
    pixSetResolution(scanned.get(), 300, 300);
    PageAnalysis a = AnalyzePage(scanned);
    EXPECT_EQ((a.rotation + turned) % 360, 0) << "scanned turned " << turned;
    EXPECT_GT(a.upright.height(), a.upright.width());
  }
}

// The skew AnalyzePage corrects on a text page scanned `degrees` askew.
double CorrectedSkew(const std::string& extra_line, int dpi, double degrees) {
  Image skewed = RotateSmall(test::TextPage("Sykmelding", extra_line, dpi), degrees);
  pixSetResolution(skewed.get(), dpi, dpi);
  return AnalyzePage(skewed).skew;
}

TEST(PageAnalysisTest, SkewIsMeasuredAndCorrected) {
  EXPECT_NEAR(std::abs(CorrectedSkew("", 300, 3.0)), 3.0, 0.5);
}

TEST(PageAnalysisTest, DustIsRemovedButPrintIsKept) {
  Image page = test::TextPage("Inntektsmelding", "Navn: Ola", 300);
  Image clean = ToBitonal(page);
  l_int32 ink_clean = 0;
  pixCountPixels(clean.get(), &ink_clean, nullptr);
  for (int i = 0; i < 20000; ++i)
    pixSetPixel(page.get(), (i * 7919) % page.width(), (i * 104729) % page.height(), 0);
  pixSetResolution(page.get(), 300, 300);
  PageAnalysis a = AnalyzePage(page);
  ASSERT_EQ(a.kind, PageKind::kContent);
  l_int32 ink_after = 0;
  pixCountPixels(a.upright.get(), &ink_after, nullptr);
  EXPECT_NEAR(ink_after, ink_clean, ink_clean * 0.02)
      << "specks gone, letters (dots of i included) kept";
}

TEST(PageAnalysisTest, HeavyDustOnABlankBackSideOfAPoorScanIsStillBlank) {
  // 2x2 specks at 200 dpi, 0.08% of the page: what a dusty, poor scanner leaves.
  Image page = Blank(200, 0);
  const int w = page.width(), h = page.height();
  uint32_t state = 12345;
  auto next = [&state](int n) {
    state = state * 1664525u + 1013904223u;
    return static_cast<int>((state >> 8) % static_cast<uint32_t>(n));
  };
  for (int i = 0; i < w * h * 8 / 10000; ++i) {
    const int x = next(w - 2), y = next(h - 2);
    for (int d = 0; d < 4; ++d) pixSetPixel(page.get(), x + d % 2, y + d / 2, 0);
  }
  PageAnalysis a = AnalyzePage(page);
  EXPECT_EQ(a.kind, PageKind::kBlank) << "ink " << a.ink;
}

TEST(PageAnalysisTest, SkewBeyondSevenDegreesIsCorrected) {
  // Leptonica's default skew sweep ends at 7 degrees; sheet feeders go further.
  EXPECT_NEAR(std::abs(CorrectedSkew("Navn: Kari", 200, 9.0)), 9.0, 0.5);
}

TEST(PageAnalysisTest, SeparatorSheetIsReadAtFaxResolution) {
  // 0.4 mm bars are two pixels wide at 100 dpi: zxing reads them only upscaled.
  auto sheet = DrawSeparatorSheet(100);
  ASSERT_TRUE(sheet.ok());
  Image bitonal = ToBitonal(*sheet);
  pixSetResolution(bitonal.get(), 100, 100);
  EXPECT_EQ(AnalyzePage(bitonal).kind, PageKind::kSeparator);
}

TEST(PageAnalysisTest, ResolutionIsEstimatedWhenTheFileHasNone) {
  Image page = test::TextPage("Sykmelding", "", 200);
  pixSetResolution(page.get(), 0, 0);
  EXPECT_NEAR(AnalyzePage(page).dpi, 200, 3);
}

}  // namespace
}  // namespace postmottak

namespace postmottak {
namespace {

TEST(PayloadTest, OnlyExactSymbolsAreTrustedAndImitationsAreMalformed) {
  const std::string id = MakeCoverId(4711);
  EXPECT_EQ(ParsePayload(id).kind, PayloadKind::kCoverId);
  EXPECT_EQ(ParsePayload(id).cover_id, id);
  EXPECT_EQ(ParsePayload(kSeparatorPayload).kind, PayloadKind::kSeparator);

  std::string wrong = id;
  wrong[11] = wrong[11] == '9' ? '0' : static_cast<char>(wrong[11] + 1);
  Payload misread = ParsePayload(wrong);
  EXPECT_EQ(misread.kind, PayloadKind::kMalformed);
  EXPECT_TRUE(misread.misread);

  Payload overlong = ParsePayload(id + std::string(5000, '7'));
  EXPECT_EQ(overlong.kind, PayloadKind::kMalformed);
  EXPECT_FALSE(overlong.misread);
  EXPECT_LT(overlong.problem.size(), 200u) << "a huge payload is not copied into messages";
  EXPECT_NE(overlong.problem.find("5012 characters"), std::string::npos) << overlong.problem;
  Payload control = ParsePayload(id + std::string("\0\x1b[2J", 5));
  EXPECT_EQ(control.kind, PayloadKind::kMalformed);
  EXPECT_EQ(control.problem.find('\x1b'), std::string::npos);
  EXPECT_EQ(ParsePayload("POSTMOTTAK-SKILLEARK ").kind, PayloadKind::kMalformed);

  // Someone else's symbols: ignored.
  EXPECT_EQ(ParsePayload("https://example.org/faktura/123").kind, PayloadKind::kForeign);
  EXPECT_EQ(ParsePayload("12345").kind, PayloadKind::kForeign);
  EXPECT_EQ(ParsePayload("").kind, PayloadKind::kForeign);
}

}  // namespace
}  // namespace postmottak

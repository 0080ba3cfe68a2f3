#include "pipeline/stages/cover_sheet.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include "codecs/barcode.h"
#include "codecs/check_digits.h"
#include "codecs/pdf_merge.h"
#include "pipeline/services/case_service.h"
#include "pipeline/stages/ocr.h"
#include "pipeline/stages/page_analysis.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class CoverSheetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_.path());
    CaseService service = test::ServiceFor(store_.get(), test::Tester());
    NewCase nc = test::MakeNewCase("2026-000100", test::PersonId(100), "AAP", "0301");
    nc.person_name = "Kari Nordvik";
    ASSERT_TRUE(service.AddCase(nc).ok());
    CoverSheetRequest req;
    req.case_id = nc.id;
    req.expected = {"medical_certificate"};
    auto sheet = service.IssueCoverSheet(req);
    ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
    sheet_ = *sheet;
  }
  test::TempDir dir_;
  std::unique_ptr<Store> store_;
  CoverSheet sheet_;
};

TEST_F(CoverSheetTest, IssuedSheetIsStoredWithItsMetadata) {
  EXPECT_TRUE(IsValidCoverId(sheet_.id));
  auto stored = store_->Get<CoverSheet>(sheet_.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->case_id, "2026-000100");
  EXPECT_EQ(stored->person_id, test::PersonId(100));
  EXPECT_EQ(stored->area, "AAP");
  EXPECT_EQ(stored->unit, "0301");
  EXPECT_EQ(stored->expected, (std::vector<std::string>{"medical_certificate"}));
  EXPECT_EQ(stored->issued_by, "user:tester");
  EXPECT_FALSE(stored->issued_at.empty());
}

TEST_F(CoverSheetTest, SheetIsReadBackInEveryOrientationAndResolution) {
  for (int dpi : {200, 300}) {
    auto page = DrawCoverSheet(sheet_, test::SampleRules(), dpi);
    ASSERT_TRUE(page.ok());
    pixSetResolution(page->get(), dpi, dpi);
    for (int rotation : {0, 90, 180, 270}) {
      Image turned = RotateOrtho(*page, rotation);
      pixSetResolution(turned.get(), dpi, dpi);
      PageAnalysis a = AnalyzePage(turned);
      EXPECT_EQ(a.kind, PageKind::kCoverSheet) << dpi << " dpi, " << rotation << " degrees";
      EXPECT_EQ(a.cover_id, sheet_.id);
    }
  }
}

TEST_F(CoverSheetTest, DataMatrixAloneStillGivesTheId) {
  auto page = DrawCoverSheet(sheet_, test::SampleRules(), 300);
  ASSERT_TRUE(page.ok());
  // A coffee stain over the Code 128 (20..75 mm from the top on the left).
  Box* box = boxCreate(0, 590, 1500, 300);
  pixSetInRectArbitrary(page->get(), box, 0);
  boxDestroy(&box);
  EXPECT_TRUE(FindLinearBarcode(*page).empty());
  PageAnalysis a = AnalyzePage(*page);
  EXPECT_EQ(a.kind, PageKind::kCoverSheet);
  EXPECT_EQ(a.cover_id, sheet_.id);
}

// What goes to the citizen (and may be read by whoever opens the envelope): the
// barcodes hold the cover id and nothing else, the print the name and a masked id.
TEST_F(CoverSheetTest, SheetCarriesNoMorePersonalDataThanNeeded) {
  auto page = DrawCoverSheet(sheet_, test::SampleRules(), 300);
  ASSERT_TRUE(page.ok());
  pixSetResolution(page->get(), 300, 300);
  auto linear = FindLinearBarcode(*page);
  ASSERT_EQ(linear.size(), 1u);
  EXPECT_EQ(linear[0].text, sheet_.id);
  const int w = pixGetWidth(page->get()), h = pixGetHeight(page->get());
  auto matrix = FindMatrixBarcodes(*page, {{w / 2, h / 2, std::max(w, h)}});
  for (const auto& b : matrix) EXPECT_EQ(b.text, sheet_.id);
  auto ocr = OcrEngine::Create({});
  ASSERT_TRUE(ocr.ok());
  auto text = (*ocr)->Recognize(*page);
  ASSERT_TRUE(text.ok());
  const std::string person = test::PersonId(100);
  EXPECT_EQ(text->text.find(person), std::string::npos) << text->text;
  EXPECT_EQ(text->text.find(person.substr(6)), std::string::npos) << "no personal number part";
  EXPECT_NE(text->text.find(person.substr(0, 6)), std::string::npos)
      << "the birth date, for the citizen to recognise the letter: " << text->text;
}

TEST_F(CoverSheetTest, PdfIsOnePrintablePage) {
  auto pdf = CoverSheetPdf(sheet_, test::SampleRules());
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  auto pages = PdfPageCount(*pdf);
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ(*pages, 1);
}

TEST_F(CoverSheetTest, TheSheetIsSetInTheFontsGiven) {
  auto same = [](const Image& a, const Image& b) {
    l_int32 equal = 0;
    return pixEqual(a.get(), b.get(), &equal) == 0 && equal == 1;
  };
  auto plain = DrawCoverSheet(sheet_, test::SampleRules(), 150);
  auto again = DrawCoverSheet(sheet_, test::SampleRules(), 150);
  Fonts bold_only;
  bold_only.regular = bold_only.bold;
  auto bold = DrawCoverSheet(sheet_, test::SampleRules(), 150, bold_only);
  ASSERT_TRUE(plain.ok() && again.ok() && bold.ok());
  EXPECT_TRUE(same(*plain, *again)) << "drawing is deterministic";
  EXPECT_FALSE(same(*plain, *bold)) << "the regular text is set in the font given";
  Fonts missing;
  missing.regular = "/nonexistent/font.ttf";
  auto refused = DrawCoverSheet(sheet_, test::SampleRules(), 150, missing);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("/nonexistent/font.ttf"), std::string::npos);
}

TEST_F(CoverSheetTest, SheetForPersonAndAreaNeedsBoth) {
  CaseService service = test::ServiceFor(store_.get(), test::Tester());
  CoverSheetRequest req;
  req.person_id = test::PersonId(5);
  EXPECT_EQ(service.IssueCoverSheet(req).status().code(), Status::Code::kInvalidArgument);
  req.area = "SYK";
  auto sheet = service.IssueCoverSheet(req);
  ASSERT_TRUE(sheet.ok());
  EXPECT_TRUE(sheet->case_id.empty());
  EXPECT_NE(sheet->id, sheet_.id);
}

TEST(SeparatorSheetTest, IsRecognised) {
  auto page = DrawSeparatorSheet(300);
  ASSERT_TRUE(page.ok());
  pixSetResolution(page->get(), 300, 300);
  EXPECT_EQ(AnalyzePage(*page).kind, PageKind::kSeparator);
}

}  // namespace
}  // namespace postmottak

#include "codecs/barcode.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include "codecs/check_digits.h"
#include "codecs/text_raster.h"
#include "pipeline/stages/page_analysis.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

Image PageWithCode128(const std::string& payload, int dpi) {
  auto canvas = Canvas::Create(dpi);
  auto code = DrawBarcode(Symbology::kCode128, payload, dpi >= 300 ? 5 : 3, canvas->Px(16));
  canvas->Paste(*code, 20, 52);
  Image page = canvas->Snapshot();
  pixSetResolution(page.get(), dpi, dpi);
  return page;
}

TEST(BarcodeTest, Code128RoundTrips) {
  Image page = PageWithCode128("000000000042", 300);
  auto found = FindLinearBarcode(page);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].symbology, Symbology::kCode128);
  EXPECT_EQ(found[0].text, "000000000042");
}

TEST(BarcodeTest, DataMatrixIsFoundInItsWindowOnly) {
  auto canvas = Canvas::Create(300);
  auto dm = DrawBarcode(Symbology::kDataMatrix, "000000000042", 14);
  canvas->Paste(*dm, 160, 50);
  Image page = canvas->Snapshot();
  const int cx = canvas->Px(168), cy = canvas->Px(58), side = canvas->Px(50);
  auto found = FindMatrixBarcodes(page, {{cx, cy, side}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, "000000000042");
  EXPECT_TRUE(FindMatrixBarcodes(page, {{canvas->Px(40), canvas->Px(250), side}}).empty());
}

TEST(BarcodeTest, CoverIdWithWrongCheckDigitIsFlaggedNotTrusted) {
  std::string id = MakeCoverId(42);
  id[11] = id[11] == '9' ? '0' : static_cast<char>(id[11] + 1);
  PageAnalysis a = AnalyzePage(PageWithCode128(id, 300));
  EXPECT_EQ(a.kind, PageKind::kContent);
  EXPECT_NE(a.barcode_error.find("fails its check digit"), std::string::npos) << a.barcode_error;
}

TEST(BarcodeTest, ForeignBarcodeIsIgnored) {
  PageAnalysis a = AnalyzePage(PageWithCode128("INVOICE-77", 300));
  EXPECT_TRUE(a.barcode_error.empty());
  EXPECT_NE(a.kind, PageKind::kCoverSheet);
}

TEST(BarcodeTest, DrawingRejectsNonsense) {
  EXPECT_FALSE(DrawBarcode(Symbology::kCode128, "x", 0).ok());
  EXPECT_FALSE(DrawBarcode(Symbology::kOther, "x", 2).ok());
}

}  // namespace
}  // namespace postmottak

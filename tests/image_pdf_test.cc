// PageImagesPdf: stored page images made one PDF for the archive. A JPEG page's bytes
// go in unchanged (no second lossy encoding), a bitonal page as G4, the same pages give
// the same bytes, and damaged bytes are refused with a status rather than a crash.
#include "codecs/image_pdf.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include "codecs/pdf_merge.h"

namespace postmottak {
namespace {

// A page with a dark band across it: gray, or bitonal.
Image Page(int depth) {
  Image gray(pixCreate(400, 300, 8));
  pixSetAllArbitrary(gray.get(), 255);
  for (int y = 100; y < 140; ++y)
    for (int x = 40; x < 360; ++x) pixSetPixel(gray.get(), x, y, 20);
  pixSetResolution(gray.get(), 150, 150);
  return depth == 1 ? ToBitonal(gray) : std::move(gray);
}

TEST(ImagePdfTest, JpegPagesGoInUnchangedAndBitonalPagesAsG4) {
  auto jpeg = EncodeJpeg(Page(8), 80);
  auto g4 = EncodeTiffG4(Page(1));
  ASSERT_TRUE(jpeg.ok() && g4.ok());
  auto pdf = PageImagesPdf({{*jpeg, true}, {*g4, false}});
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  auto pages = PdfPageCount(*pdf);
  ASSERT_TRUE(pages.ok());
  EXPECT_EQ(*pages, 2);
  // qpdf may compress other streams, but an image stream already DCT-encoded is kept.
  EXPECT_NE(pdf->find("/DCTDecode"), std::string::npos);
  EXPECT_NE(pdf->find(jpeg->substr(jpeg->size() - 200)), std::string::npos)
      << "the JPEG's own bytes are in the PDF";
  EXPECT_NE(pdf->find("/CCITTFaxDecode"), std::string::npos);

  auto again = PageImagesPdf({{*jpeg, true}, {*g4, false}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *pdf) << "the same pages, the same bytes";
}

TEST(ImagePdfTest, DamagedOrMissingPagesAreRefused) {
  EXPECT_FALSE(PageImagesPdf({}).ok());
  EXPECT_FALSE(PageImagesPdf({{"not a jpeg at all", true}}).ok());
  EXPECT_FALSE(PageImagesPdf({{"II*\0garbage", false}}).ok());
  auto second_bad = PageImagesPdf({{*EncodeJpeg(Page(8), 80), true}, {"not a jpeg", true}});
  ASSERT_FALSE(second_bad.ok());
  EXPECT_EQ(second_bad.status().message().rfind("page 2: ", 0), 0u)
      << "the error names the page: " << second_bad.status().ToString();
  auto g4 = EncodeTiffG4(Page(1));
  ASSERT_TRUE(g4.ok());
  ImageLimits tiny;
  tiny.max_pixels = 1000;
  auto refused = PageImagesPdf({{*g4, false}}, tiny);
  EXPECT_FALSE(refused.ok()) << "beyond the limits";
}

}  // namespace
}  // namespace postmottak

#include "codecs/page_source.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include "tests/test_util.h"

namespace postmottak {
namespace {

// Three pages: two bitonal text pages and a gray one.
Pixa* ThreePages(bool bitonal) {
  Pixa* pixa = pixaCreate(3);
  for (int i = 0; i < 3; ++i) {
    Image page =
        test::TextPage(i == 0 ? "Legeerklæring" : "", "Side " + std::to_string(i + 1), 200);
    Pix* p = bitonal ? pixThresholdToBinary(page.get(), 128) : pixClone(page.get());
    pixSetResolution(p, 200, 200);
    pixaAddPix(pixa, p, L_INSERT);
  }
  return pixa;
}

void ExpectPagesLikeOriginals(const std::string& path, bool bitonal) {
  auto source = PageSource::Open(path);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  ASSERT_EQ((*source)->page_count(), 3);
  Pixa* originals = ThreePages(true);
  for (int i = 0; i < 3; ++i) {
    auto page = (*source)->ReadPage(i);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    Pix* original = pixaGetPix(originals, i, L_CLONE);
    EXPECT_EQ(page->width(), pixGetWidth(original));
    EXPECT_EQ(page->height(), pixGetHeight(original));
    // Same ink in the same places (JPEG changes a few edge pixels).
    Image bin = ToBitonal(*page);
    l_int32 a = 0, b = 0;
    pixCountPixels(bin.get(), &a, nullptr);
    pixCountPixels(original, &b, nullptr);
    EXPECT_NEAR(a, b, b * (bitonal ? 0.01 : 0.15)) << path << " page " << i + 1;
    pixDestroy(&original);
  }
  pixaDestroy(&originals);
}

TEST(PageSourceTest, MultiPageTiffG4) {
  test::TempDir dir;
  Pixa* pixa = ThreePages(true);
  ASSERT_EQ(pixaWriteMultipageTiff((dir / "a.tif").c_str(), pixa), 0);
  pixaDestroy(&pixa);
  ExpectPagesLikeOriginals(dir / "a.tif", true);
}

struct PdfEncoding {
  int type;  // L_G4_ENCODE, L_JPEG_ENCODE, L_FLATE_ENCODE
  bool bitonal;
};

class ScannedPdfTest : public ::testing::TestWithParam<PdfEncoding> {};

TEST_P(ScannedPdfTest, PageImagesAreExtractedNotRendered) {
  test::TempDir dir;
  Pixa* pixa = ThreePages(GetParam().bitonal);
  ASSERT_EQ(pixaConvertToPdf(pixa, 200, 1.0, GetParam().type, 85, nullptr, (dir / "a.pdf").c_str()),
            0);
  pixaDestroy(&pixa);
  ExpectPagesLikeOriginals(dir / "a.pdf", GetParam().bitonal);
}

INSTANTIATE_TEST_SUITE_P(Encodings, ScannedPdfTest,
                         ::testing::Values(PdfEncoding{L_G4_ENCODE, true},
                                           PdfEncoding{L_JPEG_ENCODE, false},
                                           PdfEncoding{L_FLATE_ENCODE, false}));

TEST(PageSourceTest, PngAndJpegAreOnePage) {
  test::TempDir dir;
  Image page = test::TextPage("Sykmelding", "", 200);
  ASSERT_EQ(pixWrite((dir / "a.png").c_str(), page.get(), IFF_PNG), 0);
  ASSERT_EQ(pixWrite((dir / "a.jpg").c_str(), page.get(), IFF_JFIF_JPEG), 0);
  for (const char* name : {"a.png", "a.jpg"}) {
    auto source = PageSource::Open(dir / name);
    ASSERT_TRUE(source.ok());
    EXPECT_EQ((*source)->page_count(), 1);
    EXPECT_TRUE((*source)->ReadPage(0).ok());
    EXPECT_FALSE((*source)->ReadPage(1).ok());
  }
}

TEST(PageSourceTest, FormatComesFromContentNotName) {
  test::TempDir dir;
  Image page = test::TextPage("Sykmelding", "", 200);
  ASSERT_EQ(pixWrite((dir / "really-a-png.pdf").c_str(), page.get(), IFF_PNG), 0);
  auto source = PageSource::Open(dir / "really-a-png.pdf");
  ASSERT_TRUE(source.ok());
  EXPECT_TRUE((*source)->ReadPage(0).ok());
}

TEST(PageSourceTest, BadFilesAreRefusedWithTheFileNamed) {
  test::TempDir dir;
  test::WriteFile(dir / "empty.tif", "");
  test::WriteFile(dir / "text.txt", "hello, this is not a scan");
  test::WriteFile(dir / "broken.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage");
  for (const char* name : {"empty.tif", "text.txt", "broken.pdf", "missing.tif"}) {
    auto source = PageSource::Open(dir / name);
    EXPECT_FALSE(source.ok()) << name;
    EXPECT_NE(source.status().message().find(dir / name), std::string::npos)
        << source.status().message();
  }
}

TEST(PageSourceTest, TruncatedTiffFailsOnTheDamagedPageOnly) {
  test::TempDir dir;
  Pixa* pixa = ThreePages(true);
  ASSERT_EQ(pixaWriteMultipageTiff((dir / "a.tif").c_str(), pixa), 0);
  pixaDestroy(&pixa);
  std::string bytes = test::ReadFile(dir / "a.tif");
  // Cut inside the last page: the first two are whole, the third is not.
  test::WriteFile(dir / "cut.tif", bytes.substr(0, bytes.size() * 5 / 6));
  auto source = PageSource::Open(dir / "cut.tif");
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  int good = 0;
  std::vector<int> bad;
  for (int i = 0; i < (*source)->page_count(); ++i) {
    auto page = (*source)->ReadPage(i);
    if (page.ok()) {
      ++good;
    } else {
      bad.push_back(i + 1);
      EXPECT_NE(page.status().message().find("page " + std::to_string(i + 1)), std::string::npos)
          << page.status().message();
      EXPECT_NE(page.status().message().find("cut.tif"), std::string::npos)
          << page.status().message();
    }
  }
  EXPECT_EQ(good, 2) << "the pages before the cut are read";
  // The damaged page fails by itself, or, when the cut took its directory, the file says
  // that pages beyond the last one are lost: never silence.
  const Status damage = (*source)->Damage();
  EXPECT_TRUE(bad == std::vector<int>{3} || (bad.empty() && !damage.ok()))
      << "bad pages: " << bad.size() << ", damage: " << damage.ToString();
}

TEST(PageSourceTest, AbsurdDimensionsAreRefusedBeforeDecoding) {
  test::TempDir dir;
  Image page = test::TextPage("Sykmelding", "", 200);
  ASSERT_EQ(pixWrite((dir / "a.png").c_str(), page.get(), IFF_PNG), 0);
  SourceLimits limits;
  limits.image.max_pixels = 1000;
  auto source = PageSource::Open(dir / "a.png", limits);
  ASSERT_TRUE(source.ok());
  auto decoded = (*source)->ReadPage(0);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("exceeds the limit"), std::string::npos);
  EXPECT_NE(decoded.status().message().find("page 1"), std::string::npos);
}

}  // namespace
}  // namespace postmottak

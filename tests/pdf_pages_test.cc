// Every PDF page is read: a scan's image as stored; a born-digital page, a JBIG2 page
// and a palette page rendered in the sandbox, with a born-digital page's own text; a
// mixed file page by page; an encrypted file only when it opens without a password.
// And the sandbox itself: a renderer that hangs, eats memory, crashes or floods is
// stopped and costs its page only, and so is work of our own run in a forked copy.
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <tiffio.h>
#include <unistd.h>

#include <csignal>

#include "codecs/page_source.h"
#include "codecs/pdf_render.h"
#include "codecs/sandbox.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

void Put32(std::string* s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A JBIG2 segment header (embedded in PDF: no file header), page 1.
std::string Segment(uint32_t number, uint8_t type, const std::string& data) {
  std::string s;
  Put32(&s, number);
  s.push_back(static_cast<char>(type));
  s.push_back(0);  // no referred-to segments
  s.push_back(1);  // page association
  Put32(&s, static_cast<uint32_t>(data.size()));
  return s + data;
}

// The raw CCITT G4 data of a bitonal image, by way of a one-strip TIFF.
std::string G4Data(const Image& bitonal, const std::string& scratch) {
  if (pixWriteTiff(scratch.c_str(), bitonal.get(), IFF_TIFF_G4, "w") != 0) return "";
  TIFF* tif = TIFFOpen(scratch.c_str(), "r");
  if (!tif || TIFFNumberOfStrips(tif) != 1) return "";
  std::string data(static_cast<size_t>(TIFFRawStripSize(tif, 0)), '\0');
  TIFFReadRawStrip(tif, 0, data.data(), static_cast<tmsize_t>(data.size()));
  TIFFClose(tif);
  return data;
}

// A JBIG2 stream holding `bitonal` as one generic region coded with MMR (which is
// CCITT G4): what Debian can make without a JBIG2 encoder, and what poppler decodes.
std::string Jbig2Of(const Image& bitonal, const std::string& scratch) {
  const uint32_t w = static_cast<uint32_t>(bitonal.width()),
                 h = static_cast<uint32_t>(bitonal.height());
  std::string page_info;
  Put32(&page_info, w);
  Put32(&page_info, h);
  Put32(&page_info, 0);
  Put32(&page_info, 0);
  page_info.push_back(1);  // eventually lossless
  page_info += std::string(2, '\0');
  std::string region;
  Put32(&region, w);
  Put32(&region, h);
  Put32(&region, 0);
  Put32(&region, 0);
  region.push_back(0);  // combination operator OR
  region.push_back(1);  // generic region flags: MMR
  const std::string g4 = G4Data(bitonal, scratch);
  if (g4.empty()) return "";
  return Segment(0, 48, page_info) + Segment(1, 38, region + g4);
}

Image BitonalTextPage() {
  Image page = test::TextPage("Legeerklæring", "Pasienten er undersøkt", 300);
  return Image(pixThresholdToBinary(ToGray(page).get(), 128));
}

// Ink of `a` equals ink of `b` within `share`, and both have ink. (A rendered page's
// gray edges binarise a little heavier than the bitonal original; an inverted or
// undecoded page would differ by orders of magnitude.)
void ExpectSameInk(const Image& a, const Image& b, double share) {
  Image ba = ToBitonal(a), bb = ToBitonal(b);
  l_int32 na = 0, nb = 0;
  pixCountPixels(ba.get(), &na, nullptr);
  pixCountPixels(bb.get(), &nb, nullptr);
  EXPECT_GT(nb, 1000);
  EXPECT_NEAR(na, nb, nb * share);
}

// An A4 page showing `page` over all of it, the image stored as `data` with `dict`
// (its entries after the size), written to `path` and read back as page 1.
Result<SourcePage> ReadImagePage(const std::string& path, const Image& page, std::string data,
                                 const std::string& dict) {
  test::PdfPage p;
  p.image_data = std::move(data);
  p.image_dict = "/Width " + std::to_string(page.width()) + " /Height " +
                 std::to_string(page.height()) + " " + dict;
  p.content = test::kFullPageImage;
  test::WritePdf(path, {p});
  auto source = PageSource::Open(path);
  if (!source.ok()) return source.status();
  return (*source)->Read(0);
}

TEST(PdfPagesTest, Jbig2PageIsRenderedWithItsInk) {
  test::TempDir dir;
  Image page = BitonalTextPage();
  std::string jbig2 = Jbig2Of(page, dir / "g4.tif");
  ASSERT_FALSE(jbig2.empty());
  auto read = ReadImagePage(dir / "jbig2.pdf", page, std::move(jbig2),
                            "/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(read->rendered);
  EXPECT_NEAR(read->image.width(), page.width(), 2);
  EXPECT_NEAR(read->image.height(), page.height(), 2);
  EXPECT_EQ(read->image.dpi(), 300);
  ExpectSameInk(read->image, page, 0.25);
}

TEST(PdfPagesTest, PalettePageIsRenderedWithItsInk) {
  test::TempDir dir;
  Image page = BitonalTextPage();
  const int w = page.width(), h = page.height();
  std::string indices(static_cast<size_t>(w) * h, '\0');
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      l_uint32 v = 0;
      pixGetPixel(page.get(), x, y, &v);
      indices[static_cast<size_t>(y) * w + x] = static_cast<char>(v ? 1 : 0);
    }
  // Entry 0 paper white, entry 1 dark blue ink.
  auto read =
      ReadImagePage(dir / "palette.pdf", page, std::move(indices),
                    "/ColorSpace [/Indexed /DeviceRGB 1 <FFFFFF101060>] /BitsPerComponent 8");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(read->rendered);
  ExpectSameInk(read->image, page, 0.25);
}

TEST(PdfPagesTest, BornDigitalPageIsRenderedWithItsOwnText) {
  test::TempDir dir;
  const std::string pid = test::PersonId(1);
  test::WritePdf(dir / "letter.pdf",
                 {test::BornDigitalPdfPage({"Legeerkl\\346ring", "F\\370dselsnummer: " + pid,
                                            "Pasienten er undersokt og arbeidsevnen er nedsatt.",
                                            "Vurderingen gjelder fra 1. mars."})});
  auto source = PageSource::Open(dir / "letter.pdf");
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto read = (*source)->Read(0);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(read->rendered);
  EXPECT_NE(read->text_layer.find("Legeerklæring"), std::string::npos) << read->text_layer;
  EXPECT_NE(read->text_layer.find(pid), std::string::npos) << read->text_layer;
  // Rendered at the pipeline's resolution: A4 at 300 dpi, with the text's ink on it.
  EXPECT_NEAR(read->image.width(), 2481, 2);
  EXPECT_NEAR(read->image.height(), 3508, 2);
  Image bin = ToBitonal(read->image);
  l_int32 ink = 0;
  pixCountPixels(bin.get(), &ink, nullptr);
  EXPECT_GT(ink, 5000);
}

TEST(PdfPagesTest, MixedFileIsReadPageByPage) {
  test::TempDir dir;
  Image scan = test::TextPage("Legeerklæring", "Side 1", 150);
  test::WritePdf(dir / "mixed.pdf",
                 {test::ScannedPdfPage(scan),
                  test::BornDigitalPdfPage({"Tillegg", "Dette vedlegget er skrevet på maskin og",
                                            "sendt som PDF fra et tekstbehandlingsprogram."})});
  auto source = PageSource::Open(dir / "mixed.pdf");
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  ASSERT_EQ((*source)->page_count(), 2);
  auto first = (*source)->Read(0);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->rendered);  // the scan's own pixels, extracted
  EXPECT_EQ(first->image.width(), scan.width());
  EXPECT_TRUE(first->text_layer.empty());
  auto second = (*source)->Read(1);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->rendered);
  EXPECT_NE(second->text_layer.find("tekstbehandlingsprogram"), std::string::npos);
}

TEST(PdfPagesTest, EncryptedWithEmptyPasswordOpensAndWithAPasswordIsRefused) {
  test::TempDir dir;
  auto page = test::BornDigitalPdfPage({"Meldekort", "Dette er et meldekort for perioden."});
  test::WritePdf(dir / "open.pdf", {page}, "", true);
  test::WritePdf(dir / "locked.pdf", {page}, "hemmelig", true);
  auto open = PageSource::Open(dir / "open.pdf");
  ASSERT_TRUE(open.ok()) << open.status().ToString();
  auto read = (*open)->Read(0);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_NE(read->text_layer.find("meldekort"), std::string::npos);
  auto locked = PageSource::Open(dir / "locked.pdf");
  ASSERT_FALSE(locked.ok());
  EXPECT_NE(locked.status().message().find("encrypted with a password"), std::string::npos)
      << locked.status().ToString();
  EXPECT_NE(locked.status().message().find("locked.pdf"), std::string::npos);
}

TEST(PdfPagesTest, PageTooLargeAtThePipelinesResolutionIsRenderedSmallerWithinTheLimits) {
  test::TempDir dir;
  auto poster =
      test::BornDigitalPdfPage({"Plakat", "En side p\\345 to ganger to meter, med tekst."});
  poster.width_pt = poster.height_pt = 72 * 80;  // 80 inches a side: 24,000 px at 300 dpi
  test::WritePdf(dir / "poster.pdf", {poster});
  auto source = PageSource::Open(dir / "poster.pdf");
  ASSERT_TRUE(source.ok());
  auto read = (*source)->Read(0);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  const ImageLimits limits;
  EXPECT_LE(int64_t{read->image.width()} * read->image.height(), limits.max_pixels);
  EXPECT_LT(read->image.dpi(), 300);
  EXPECT_NE(read->text_layer.find("Plakat"), std::string::npos);
}

TEST(TextLayerTest, SoundTextPassesAndGarbageFails) {
  EXPECT_TRUE(
      TextLayerIsSound("Legeerklæring\nPasienten er undersøkt og arbeidsevnen er nedsatt."));
  EXPECT_FALSE(TextLayerIsSound("kort"));  // too little to trust
  EXPECT_FALSE(TextLayerIsSound("\xEF\xBF\xBD\xEF\xBF\xBD abc \xEF\xBF\xBD defghijklmnopqrstu"));
  EXPECT_FALSE(
      TextLayerIsSound("\xEE\x80\x81\xEE\x80\x82\xEE\x80\x83\xEE\x80\x84 "
                       "\xEE\x80\x85\xEE\x80\x86\xEE\x80\x87\xEE\x80\x88"
                       "\xEE\x80\x89\xEE\x80\x8A\xEE\x80\x8B\xEE\x80\x8C"
                       "\xEE\x80\x8D\xEE\x80\x8E\xEE\x80\x8F\xEE\x80\x90"
                       "\xEE\x80\x91\xEE\x80\x92\xEE\x80\x93\xEE\x80\x94"));
}

TEST(SandboxTest, OutputOfAWellBehavedProgramComesBack) {
  auto out = RunSandboxed({"/bin/echo", "hei"}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "hei\n");
}

TEST(SandboxTest, AHangingProgramIsStoppedAtItsBound) {
  SandboxLimits limits;
  limits.seconds = 0.5;
  auto out = RunSandboxed({"/bin/sleep", "30"}, limits);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("time bound"), std::string::npos)
      << out.status().ToString();
}

TEST(SandboxTest, MemoryCrashAndFloodCostTheCallOnly) {
  SandboxLimits limits;
  limits.memory_bytes = int64_t{64} << 20;
  auto hungry = RunSandboxed({"/usr/bin/python3", "-c", "x = bytearray(512 << 20)"}, limits);
  EXPECT_FALSE(hungry.ok());
  auto crash = RunSandboxed({"/bin/sh", "-c", "kill -SEGV $$"}, {});
  ASSERT_FALSE(crash.ok());
  EXPECT_NE(crash.status().message().find("crashed"), std::string::npos)
      << crash.status().ToString();
  SandboxLimits small;
  small.max_output = 1 << 20;
  auto flood = RunSandboxed({"/usr/bin/yes"}, small);
  ASSERT_FALSE(flood.ok());
  EXPECT_NE(flood.status().message().find("more than its limit"), std::string::npos);
  auto failing = RunSandboxed({"/bin/sh", "-c", "echo nei >&2; exit 3"}, {});
  ASSERT_FALSE(failing.ok());
  EXPECT_NE(failing.status().message().find("exit 3"), std::string::npos);
  EXPECT_NE(failing.status().message().find("nei"), std::string::npos);
}

TEST(SandboxTest, ForkedWorkAnswersAndIsStoppedAtItsBoundOrWhenItCrashes) {
  int touched = 0;
  auto answer = RunForked("work",
                          [&] {
                            touched = 1;  // in the copy only
                            return std::string("svar\0med null", 13);
                          },
                          {});
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(*answer, std::string("svar\0med null", 13));
  EXPECT_EQ(touched, 0) << "the copy shares no memory with the caller";
  SandboxLimits limits;
  limits.seconds = 0.3;
  auto hang = RunForked(
      "work",
      [] {
        for (;;) pause();
        return std::string();
      },
      limits);
  ASSERT_FALSE(hang.ok());
  EXPECT_TRUE(hang.status().IsTimedOut()) << hang.status().ToString();
  auto crash = RunForked("work",
                         []() -> std::string {
                           raise(SIGSEGV);
                           return "";
                         },
                         {});
  ASSERT_FALSE(crash.ok());
  EXPECT_NE(crash.status().message().find("work crashed"), std::string::npos)
      << crash.status().ToString();
}

TEST(SandboxTest, TheChildHasNoNetworkWhenRunAsRootAndAnEmptyEnvironment) {
  auto env = RunSandboxed({"/usr/bin/env"}, {});
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->find("OMP_THREAD_LIMIT"), std::string::npos);
  EXPECT_NE(env->find("PATH=/usr/bin:/bin"), std::string::npos);
}

}  // namespace
}  // namespace postmottak

// Bad input of every kind goes to quarantine with the file and page named, and the
// rest of the batch is journaled.
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <zlib.h>

#include <filesystem>
#include <set>

#include "codecs/barcode.h"
#include "codecs/check_digits.h"
#include "codecs/text_raster.h"
#include "pipeline/intake/intake.h"
#include "pipeline/services/reconcile.h"
#include "pipeline/stages/cover_sheet.h"
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

  intake.principal = test::As("service:intake");
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
  auto entries = test::All<QuarantineEntry>(*store);
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
  for (const auto& d : test::All<Document>(*store)) {
    const std::string name = std::filesystem::path(d.source_file).filename().string();
    if (good_files.count(name)) ++good_docs;
    if (name == "wrongcheck.tif" || name == "forged.tif") {
      EXPECT_TRUE(d.case_id.empty());
      EXPECT_EQ(d.source_pages, std::vector<int>{2});
    }
  }
  EXPECT_EQ(good_docs, static_cast<int>(good->truth["documents"].size()));
}

// ---- hostile files, crafted byte by byte ------------------------------------------

void Put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutBe32(std::string& s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::string Deflate(const std::string& raw) {
  uLongf size = compressBound(raw.size());
  std::string out(size, '\0');
  EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                      reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 9),
            Z_OK);
  out.resize(size);
  return out;
}

// A PNG whose header claims width x height; its data is a few bytes.
std::string PngClaiming(uint32_t width, uint32_t height) {
  auto chunk = [](const std::string& type, const std::string& data) {
    std::string c;
    PutBe32(c, static_cast<uint32_t>(data.size()));
    std::string body = type + data;
    c += body;
    PutBe32(c, static_cast<uint32_t>(
                   crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size())));
    return c;
  };
  std::string ihdr;
  PutBe32(ihdr, width);
  PutBe32(ihdr, height);
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit gray
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) +
         chunk("IDAT", Deflate(std::string(1024, '\0'))) + chunk("IEND", "");
}

// A one-page PDF whose image says width x height of 8-bit gray and whose Flate stream
// inflates to `inflated` bytes.
std::string PdfWithImage(int width, int height, size_t inflated) {
  const std::string data = Deflate(std::string(inflated, '\0'));
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R "
      ">> >> /Contents 5 0 R >>",
      "<< /Type /XObject /Subtype /Image /Width " + std::to_string(width) + " /Height " +
          std::to_string(height) +
          " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter "
          "/FlateDecode /Length " +
          std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream",
      "<< /Length 33 >>\nstream\nq 595 0 0 842 0 0 cm /Im0 Do Q\nendstream"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// A little-endian TIFF with one IFD: the given width and height, 1 bit, one strip.
// With `loop`, the IFD names itself as the next one.
std::string TiffClaiming(uint32_t width, uint32_t height, bool loop) {
  std::string t = "II";
  t.push_back(42);
  t.push_back(0);
  Put32(t, 8);
  const uint16_t entries = 8;
  t.push_back(static_cast<char>(entries));
  t.push_back(0);
  auto entry = [&t](uint16_t tag, uint16_t type, uint32_t value) {
    t.push_back(static_cast<char>(tag & 0xFF));
    t.push_back(static_cast<char>(tag >> 8));
    t.push_back(static_cast<char>(type));
    t.push_back(0);
    Put32(t, 1);
    Put32(t, value);
  };
  const uint32_t data_offset = 8 + 2 + 12 * entries + 4;
  entry(256, 4, width);
  entry(257, 4, height);
  entry(258, 3, 1);
  entry(259, 3, 1);  // uncompressed
  entry(262, 3, 0);
  entry(273, 4, data_offset);
  entry(278, 4, height);
  entry(279, 4, 64);
  Put32(t, loop ? 8 : 0);
  t += std::string(64, '\0');
  return t;
}

Image BarcodePage(const std::string& payload) {
  auto canvas = Canvas::Create(300);
  canvas->Text(20, 36, 14, "Melding", true);
  auto code = DrawBarcode(Symbology::kCode128, payload, 5, canvas->Px(16));
  EXPECT_TRUE(code.ok()) << payload;
  canvas->Paste(*code, 20, 52);
  return canvas->Snapshot();
}

TEST(BadInputTest, HostileFilesAndLimitsAreRefusedWithFileAndPageNamed) {
  test::TempDir dir;
  auto store = test::OpenStore(dir / "store");
  const std::string in = dir / "in";
  std::filesystem::create_directories(in);

  std::vector<Image> good;
  good.push_back(test::TextPage("Legeerklæring", "Navn: Ukjent", 300));
  good.push_back(test::TextPage("", "Side to av legeerklæringen.", 300));
  test::WriteTiff(in + "/a-good.tif", good);
  test::WriteFile(in + "/b-png-bomb.png", PngClaiming(60000, 60000));
  test::WriteFile(in + "/c-pdf-bomb.pdf", PdfWithImage(100, 100, size_t{64} << 20));
  test::WriteFile(in + "/d-absurd.tif", TiffClaiming(2'000'000, 3, false));
  test::WriteFile(in + "/e-loop.tif", TiffClaiming(64, 8, true));
  std::vector<Image> many;
  for (int i = 0; i < 6; ++i) many.push_back(test::TextPage("", "Side " + std::to_string(i), 100));
  test::WriteTiff(in + "/f-too-many-pages.tif", many);
  test::WriteFile(in + "/g-too-big.tif",
                  test::ReadFile(in + "/a-good.tif") + std::string(5 << 20, '\0'));
  std::vector<Image> barcodes;
  barcodes.push_back(BarcodePage(MakeCoverId(4711) + "0000000000"));  // overlong
  barcodes.push_back(BarcodePage("POSTMOTTAK-SKILLEARK-2"));          // imitation
  barcodes.push_back(test::TextPage("Sykmelding", "Navn: Ukjent", 300));
  test::WriteTiff(in + "/h-barcodes.tif", barcodes);
  std::vector<Image> large;
  large.push_back(test::TextPage("", "Et stort ark.", 600));  // 600 dpi A4: 35 megapixels
  test::WriteTiff(in + "/i-too-many-pixels.tif", large);

  IntakeOptions intake;

  intake.principal = test::As("service:intake");
  intake.workers = 2;
  intake.batch = "hostile";
  intake.limits.max_file_bytes = 4 << 20;
  intake.limits.max_pages = 5;
  intake.limits.image.max_pixels = 20'000'000;
  auto report = RunIntake(store.get(), test::SampleRules(), {in}, intake);
  ASSERT_TRUE(report.ok()) << report.status().ToString();

  auto reason = [&](const std::string& name, int page) -> std::string {
    for (const auto& q : report->quarantined)
      if (std::filesystem::path(q.file).filename() == name && q.page == page) return q.reason;
    ADD_FAILURE() << name << " page " << page << " was not quarantined";
    return "";
  };
  struct Expect {
    const char* file;
    int page;
    const char* says;
  };
  for (const Expect& e : {Expect{"b-png-bomb.png", 1, "exceeds the limit"},
                          Expect{"c-pdf-bomb.pdf", 1, "decompression bomb"},
                          Expect{"d-absurd.tif", 1, "exceeds the limit"},
                          Expect{"f-too-many-pages.tif", 0, "6 pages exceeds the limit of 5"},
                          Expect{"g-too-big.tif", 0, "exceeds the limit of 4194304"},
                          Expect{"h-barcodes.tif", 1, "overlong or forged"},
                          Expect{"h-barcodes.tif", 2, "imitates a separator sheet"},
                          Expect{"i-too-many-pixels.tif", 1, "exceeds the limit of 20000000"}}) {
    const std::string why = reason(e.file, e.page);
    EXPECT_NE(why.find(e.says), std::string::npos) << e.file << ": " << why;
    EXPECT_NE(why.find(e.file), std::string::npos) << why;
    if (e.page > 0) {
      EXPECT_NE(why.find("page " + std::to_string(e.page)), std::string::npos) << why;
    }
  }
  // The IFD loop: the first page is read, the loop is refused as the next page.
  bool loop_refused = false;
  for (const auto& q : report->quarantined)
    loop_refused |= std::filesystem::path(q.file).filename() == "e-loop.tif";
  EXPECT_TRUE(loop_refused);

  // The rest of the batch is journaled, and every page is accounted for.
  auto r = Reconcile(store.get(), test::As("user:arkiv"), "test", "hostile");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->balanced());
  EXPECT_EQ(r->counts["missing"], 0);
  std::set<std::string> journaled;
  for (const auto& a : r->pages)
    if (a.status == "journaled")
      journaled.insert(std::filesystem::path(a.file).filename().string() + " p." +
                       std::to_string(a.page));
  EXPECT_EQ(journaled,
            (std::set<std::string>{"a-good.tif p.1", "a-good.tif p.2", "h-barcodes.tif p.3"}));
}

}  // namespace
}  // namespace postmottak

// A vendor delivery read into mail pieces: complete pairs become pieces with their
// metadata; a half pair, a broken XML, metadata about another file, a wrong page count,
// an unreadable PDF and a stray file are each refused with the reason, and every file
// ends in exactly one piece or one refusal.
#include "pipeline/vendor/delivery.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tests/test_util.h"

namespace postmottak {
namespace {

namespace fs = std::filesystem;

class DeliveryTest : public ::testing::Test {
 protected:
  // A born-digital PDF of `pages` pages (quick to count, no OCR needed here).
  void Pdf(const std::string& name, int pages) {
    std::vector<test::PdfPage> all;
    for (int i = 0; i < pages; ++i)
      all.push_back(
          test::BornDigitalPdfPage({"Legeerkl\\346ring", "Side " + std::to_string(i + 1)}));
    fs::create_directories(fs::path(dir_ / name).parent_path());
    test::WritePdf(dir_ / name, all);
    names_.push_back(name);
  }
  void Xml(const std::string& name, const std::string& file_name, int pages,
           const std::string& extra = "") {
    fs::create_directories(fs::path(dir_ / name).parent_path());
    test::WriteFile(dir_ / name,
                    "<?xml version=\"1.0\"?><skanningmetadata><journalpost>"
                    "<mottakskanal>SKAN_IM</mottakskanal><filnavn>" +
                        file_name + "</filnavn><antallSider>" + std::to_string(pages) +
                        "</antallSider>" + extra + "</journalpost></skanningmetadata>");
    names_.push_back(name);
  }
  void File(const std::string& name, const std::string& bytes) {
    test::WriteFile(dir_ / name, bytes);
    names_.push_back(name);
  }
  Delivery Read() {
    auto d = ReadDelivery(dir_.path(), names_);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : Delivery{};
  }
  const VendorRefusal* RefusalOf(const Delivery& d, const std::string& file) {
    for (const auto& r : d.refused)
      for (const auto& f : r.files)
        if (fs::path(f).filename() == file) return &r;
    return nullptr;
  }

  test::TempDir dir_;
  std::vector<std::string> names_;
};

TEST_F(DeliveryTest, CompletePairsArePiecesWithTheirMetadataAndTheVendorsText) {
  Pdf("skan-0001.pdf", 2);
  Xml("skan-0001.xml", "skan-0001.pdf", 2, "<tema>AAP</tema>");
  File("skan-0001.ocr", "Legeerklæring");
  Pdf("2026-11-30/skan-0002.pdf", 1);
  Xml("2026-11-30/skan-0002.xml", "skan-0002.pdf", 1);
  const Delivery d = Read();
  EXPECT_TRUE(d.refused.empty());
  ASSERT_EQ(d.pieces.size(), 2u);
  EXPECT_EQ(d.pieces[0].base, "2026-11-30/skan-0002");
  EXPECT_EQ(d.pieces[1].base, "skan-0001");
  EXPECT_EQ(d.pieces[1].pages, 2);
  EXPECT_EQ(d.pieces[1].metadata.area, "AAP");
  EXPECT_EQ(d.pieces[1].metadata.channel, "SKAN_IM");
  EXPECT_EQ(fs::path(d.pieces[1].ocr).filename(), "skan-0001.ocr");
  EXPECT_TRUE(d.pieces[0].ocr.empty());
}

TEST_F(DeliveryTest, EachBadPairIsRefusedWithItsReasonAndTheRestGoesOn) {
  Pdf("good.pdf", 1);
  Xml("good.xml", "good.pdf", 1);
  Pdf("alone.pdf", 1);                 // no XML
  Xml("orphan.xml", "orphan.pdf", 1);  // no PDF
  Pdf("broken.pdf", 1);
  File("broken.xml", "<skanningmetadata><journalpost>");  // not well-formed
  Pdf("other.pdf", 1);
  Xml("other.xml", "another.pdf", 1);  // about another file
  Pdf("count.pdf", 2);
  Xml("count.xml", "count.pdf", 3);  // says 3 pages
  File("damaged.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF");
  Xml("damaged.xml", "damaged.pdf", 1);
  File("Thumbs.db", "junk");
  const Delivery d = Read();
  ASSERT_EQ(d.pieces.size(), 1u);
  EXPECT_EQ(d.pieces[0].base, "good");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"alone.pdf", "half pair: alone.pdf without alone.xml"},
      {"orphan.xml", "half pair: orphan.xml without orphan.pdf"},
      {"broken.xml", "broken.xml: not well-formed XML"},
      {"other.xml", "other.xml: filnavn names another.pdf, not other.pdf"},
      {"count.pdf", "count.xml: antallSider says 3, count.pdf has 2 pages"},
      {"damaged.pdf", "damaged.pdf: cannot be read"},
      {"Thumbs.db", "Thumbs.db: not part of a pair"},
  };
  for (const auto& [file, reason] : expected) {
    const VendorRefusal* r = RefusalOf(d, file);
    ASSERT_NE(r, nullptr) << file;
    EXPECT_NE(r->reason.find(reason), std::string::npos) << file << ": " << r->reason;
  }
  // Every file is in exactly one piece or one refusal.
  std::multiset<std::string> accounted;
  for (const auto& p : d.pieces) accounted.insert({p.pdf, p.xml});
  for (const auto& r : d.refused) accounted.insert(r.files.begin(), r.files.end());
  EXPECT_EQ(accounted.size(), names_.size());
  for (const auto& name : names_) EXPECT_EQ(accounted.count(dir_ / name), 1u) << name;
}

}  // namespace
}  // namespace postmottak

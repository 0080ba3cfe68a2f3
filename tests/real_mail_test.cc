// Real mail through the whole intake: a born-digital PDF journaled from its own text
// and linked by the person id in it; a mixed PDF; the same pre-printed page sent by two
// persons lands on both cases, while the same mail sent twice is still one; and a page
// past its time bound is journaled without text, with a task for a person to read it,
// even where Tesseract's layout analysis would run far past it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>

#include "codecs/pdf_merge.h"
#include "pipeline/intake/intake.h"
#include "pipeline/stages/cover_sheet.h"
#include "pipeline/stages/ocr.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class RealMailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_ / "store");
    std::filesystem::create_directories(in());
  }
  std::string in() const { return dir_ / "in"; }

  void AddCase(const std::string& id, int person, const std::string& area) {
    CaseService s = test::ServiceFor(store_.get(), test::Tester());
    auto c = s.AddCase(test::MakeNewCase(id, test::PersonId(person), area, "0301"));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }
  Image CoverFor(const std::string& case_id) {
    CaseService s = test::ServiceFor(store_.get(), test::Tester());
    CoverSheetRequest req;
    req.case_id = case_id;
    auto sheet = s.IssueCoverSheet(req);
    EXPECT_TRUE(sheet.ok()) << sheet.status().ToString();
    auto page = DrawCoverSheet(*sheet, test::SampleRules(), 300);
    EXPECT_TRUE(page.ok());
    return std::move(page).value();
  }
  IntakeReport Intake(const SourceLimits& limits = {}) {
    IntakeOptions options;
    options.principal = test::As("service:intake");
    options.workers = 2;
    options.limits = limits;
    auto report = RunIntake(store_.get(), test::SampleRules(), {in()}, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? std::move(report).value() : IntakeReport{};
  }
  std::vector<Document> DocumentsOf(const std::string& case_id) {
    std::vector<Document> out;
    for (auto& d : test::All<Document>(*store_))
      if (d.case_id == case_id) out.push_back(d);
    return out;
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(RealMailTest, BornDigitalPdfIsJournaledFromItsTextLayerAndLinkedByThePersonInIt) {
  AddCase("2026-000101", 1, "AAP");
  const std::string pid = test::PersonId(1);
  test::WritePdf(in() + "/digital.pdf",
                 {test::BornDigitalPdfPage({"Legeerkl\\346ring", "F\\370dselsnummer: " + pid,
                                            "Pasienten er undersokt og arbeidsevnen er nedsatt.",
                                            "Vurderingen gjelder fra 1. mars 2026."})});
  IntakeReport r = Intake();
  EXPECT_TRUE(r.quarantined.empty()) << r.quarantined.front().reason;
  EXPECT_EQ(r.rendered_pages, 1);
  EXPECT_EQ(r.text_layer_pages, 1);
  EXPECT_EQ(r.linked_by_text, 1);
  auto docs = DocumentsOf("2026-000101");
  ASSERT_EQ(docs.size(), 1u);
  const Document& d = docs.front();
  EXPECT_EQ(d.type, "medical_certificate");
  // The text is the page's own, letter for letter: no OCR guessed at it.
  EXPECT_NE(d.text.find("Legeerklæring"), std::string::npos) << d.text;
  EXPECT_NE(d.text.find("Vurderingen gjelder fra 1. mars 2026."), std::string::npos);
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_EQ(d.pages[0].text_source, "pdf_text");
  EXPECT_TRUE(d.pages[0].rendered);
  // The original PDF is kept beside the page image and the searchable PDF.
  ASSERT_FALSE(d.original_blob.empty());
  auto original = store_->GetBlob(d.original_blob);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(PdfPageCount(*original).value(), 1);
  EXPECT_FALSE(d.pdf_blob.empty());
  EXPECT_TRUE(store_->GetBlob(d.pages[0].blob_key).ok());
}

TEST_F(RealMailTest, MixedPdfIsReadPageByPage) {
  AddCase("2026-000102", 2, "AAP");
  const std::string pid = test::PersonId(2);
  test::WritePdf(
      in() + "/mixed.pdf",
      {test::ScannedPdfPage(test::TextPage("Legeerklæring", "Fødselsnummer: " + pid, 300)),
       test::BornDigitalPdfPage({"Vedlegg til legeerkl\\346ringen", "Fodselsnummer: " + pid,
                                 "Tilleggsopplysninger skrevet i et skjema på skjerm."})});
  IntakeReport r = Intake();
  EXPECT_TRUE(r.quarantined.empty());
  EXPECT_EQ(r.pages, 2);
  EXPECT_EQ(r.rendered_pages, 1);
  EXPECT_EQ(r.text_layer_pages, 1);
  auto docs = DocumentsOf("2026-000102");
  ASSERT_FALSE(docs.empty());
  std::map<int, std::string> sources;  // by page of the file
  for (const auto& d : docs)
    for (const auto& p : d.pages) sources[p.source_page] = p.text_source;
  EXPECT_EQ(sources, (std::map<int, std::string>{{1, "ocr"}, {2, "pdf_text"}}));
}

TEST_F(RealMailTest, SamePrePrintedPageForTwoPersonsLandsOnBothCasesAndTheSameMailTwiceIsOne) {
  AddCase("2026-000201", 3, "AAP");
  AddCase("2026-000202", 4, "AAP");
  // A static information sheet, pixel for pixel the same behind both cover sheets.
  const Image form = test::TextPage("", "Informasjon om dine rettigheter og plikter", 300);
  auto file = [&](const std::string& name, const std::string& case_id, bool extra_blank) {
    std::vector<Image> pages;
    pages.push_back(CoverFor(case_id));
    pages.push_back(form.Clone());
    if (extra_blank) {  // a blank back side, so the file's bytes differ
      Image blank(pixCreate(form.width(), form.height(), 8));
      pixSetAll(blank.get());
      pages.push_back(std::move(blank));
    }
    test::WriteTiff(in() + "/" + name, pages);
  };
  file("a.tif", "2026-000201", false);
  file("b.tif", "2026-000202", false);
  IntakeReport first = Intake();
  EXPECT_EQ(first.duplicate_pages, 0);
  ASSERT_EQ(DocumentsOf("2026-000201").size(), 1u);
  ASSERT_EQ(DocumentsOf("2026-000202").size(), 1u);
  EXPECT_EQ(DocumentsOf("2026-000201")[0].pages[0].sha256,
            DocumentsOf("2026-000202")[0].pages[0].sha256);
  for (const auto& e : test::All<LedgerEntry>(*store_))
    EXPECT_NE(e.disposition, PageDisposition::kDuplicate) << e.file << " page " << e.page;

  // Next delivery: the same file again, and the same form for the first case in
  // another file behind a new cover sheet of that case. Both are the same mail again.
  std::filesystem::copy_file(in() + "/a.tif", dir_ / "a-again.tif");
  std::filesystem::remove_all(in());
  std::filesystem::create_directories(in());
  std::filesystem::copy_file(dir_ / "a-again.tif", in() + "/a-again.tif");
  file("c.tif", "2026-000201", true);
  IntakeReport second = Intake();
  EXPECT_EQ(second.duplicate_files, 1);
  EXPECT_EQ(second.documents, 0);
  EXPECT_EQ(DocumentsOf("2026-000201").size(), 1u);
  EXPECT_EQ(DocumentsOf("2026-000202").size(), 1u);
  bool form_again = false;
  for (const auto& e : test::All<LedgerEntry>(*store_)) {
    if (std::filesystem::path(e.file).filename() != "c.tif" || e.page != 2) continue;
    form_again = true;
    EXPECT_EQ(e.disposition, PageDisposition::kDuplicate);
    EXPECT_EQ(e.case_id, "2026-000201");
    EXPECT_EQ(e.document, DocumentsOf("2026-000201")[0].id);
  }
  EXPECT_TRUE(form_again);
}

TEST_F(RealMailTest, PagePastItsTimeBoundIsJournaledWithoutTextWithATaskAndTheBatchFinishes) {
  AddCase("2026-000301", 5, "AAP");
  std::vector<Image> covered, loose_pages;
  covered.push_back(CoverFor("2026-000301"));
  covered.push_back(test::TextPage("Legeerklæring", "Side 1", 300));
  test::WriteTiff(in() + "/covered.tif", covered);
  loose_pages.push_back(test::TextPage("Søknad", "Fødselsnummer: " + test::PersonId(5), 300));
  test::WriteTiff(in() + "/loose.tif", loose_pages);
  SourceLimits limits;
  limits.page_seconds = 0.05;  // less than any page's OCR takes
  IntakeReport r = Intake(limits);
  EXPECT_TRUE(r.quarantined.empty());
  EXPECT_EQ(r.unread_pages, 2);
  EXPECT_EQ(r.documents, 2);
  ASSERT_FALSE(r.slowest.empty());
  EXPECT_FALSE(r.slowest.front().unread.empty());
  // Behind the cover sheet: linked, flagged, and a person in the case's unit reads it.
  auto docs = DocumentsOf("2026-000301");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_FALSE(docs[0].unread.empty());
  EXPECT_TRUE(docs[0].text.empty());
  EXPECT_EQ(docs[0].pages[0].text_source, "");
  auto reading = store_->Get<Task>("read-" + docs[0].id);
  ASSERT_TRUE(reading.ok());
  EXPECT_EQ(reading->kind, TaskKind::kManualReading);
  EXPECT_EQ(reading->unit, "0301");
  // Without a cover sheet its text was what would link it: manual journaling says why.
  bool loose = false;
  for (const auto& t : test::All<Task>(*store_))
    if (t.kind == TaskKind::kManualJournaling) {
      loose = true;
      EXPECT_NE(t.reason.find("not read in time"), std::string::npos) << t.reason;
    }
  EXPECT_TRUE(loose);
}

// A blank back side from a dusty scanner: thousands of specks just too large for
// despeckling. Tesseract's page layout analysis, which checks no deadline, spends 15 s
// and more on such a page at 300 dpi.
Image SpeckledBackSide() {
  Image page(pixCreate(2480, 3508, 8));
  pixSetAll(page.get());  // white paper
  pixSetResolution(page.get(), 300, 300);
  std::mt19937 random(7);
  std::uniform_int_distribution<int> x(0, 2480 - 5), y(0, 3508 - 5);
  for (int i = 0; i < 2480 * 3508 / 25 * 7 / 100; ++i)
    pixRasterop(page.get(), x(random), y(random), 5, 5, PIX_CLR, nullptr, 0, 0);
  return page;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST_F(RealMailTest, NoPageTakesMoreThanItsBoundEvenWhereTesseractChecksNoDeadline) {
  std::vector<Image> pages;
  pages.push_back(SpeckledBackSide());
  pages.push_back(test::TextPage("Søknad", "Fødselsnummer: " + test::PersonId(6), 300));
  test::WriteTiff(in() + "/speckled.tif", pages);
  // A bound the plain page meets even on a machine busy with other tests (it reads in
  // about 1.5 s alone; 3 s was once not enough in CI), and the speckled page does not.
  SourceLimits limits;
  limits.page_seconds = 8;
  IntakeReport r = Intake(limits);
  EXPECT_TRUE(r.quarantined.empty());
  EXPECT_EQ(r.pages, 2);
  EXPECT_EQ(r.unread_pages, 1);
  ASSERT_FALSE(r.slowest.empty());
  // The bound, plus the kill's grace and the fork: the speckled page would take 15 s.
  EXPECT_LE(r.slowest.front().seconds, limits.page_seconds + 1.5);
  EXPECT_EQ(r.slowest.front().page, 1);
  EXPECT_FALSE(r.slowest.front().unread.empty());
  bool read = false;
  for (const auto& d : test::All<Document>(*store_))
    read |= d.text.find("Søknad") != std::string::npos;
  EXPECT_TRUE(read) << "the page after the speckled one is read";
}

TEST(OcrDeadlineTest, LayoutAnalysisIsStoppedAtTheBoundAndTheEngineReadsOn) {
  auto engine = OcrEngine::Create({});
  ASSERT_TRUE(engine.ok());
  const auto start = std::chrono::steady_clock::now();
  auto cut = (*engine)->Recognize(SpeckledBackSide(), 1.0);
  const double took = SecondsSince(start);
  ASSERT_TRUE(cut.ok()) << cut.status().ToString();
  EXPECT_TRUE(cut->timed_out);
  EXPECT_LE(took, 1.0 + 1.5);
  // The bounded run in its own process reads what an unbounded one reads, with the same
  // engine after the kill.
  Image page = ToBitonal(test::TextPage("Legeerklæring", "Side 1", 300));
  auto bounded = (*engine)->Recognize(page, 60);
  auto unbounded = (*engine)->Recognize(page);
  ASSERT_TRUE(bounded.ok() && unbounded.ok());
  EXPECT_FALSE(bounded->timed_out);
  EXPECT_NE(bounded->text.find("Side 1"), std::string::npos);
  EXPECT_EQ(bounded->text, unbounded->text);
  EXPECT_EQ(bounded->mean_confidence, unbounded->mean_confidence);
  EXPECT_EQ(bounded->pdf.size(), unbounded->pdf.size());
}

TEST(OcrDeadlineTest, WithoutAProcessToSpareThePageIsReadHereRatherThanLost) {
  OcrOptions text_only;  // the PDF renderer holds two files at once; text needs none
  text_only.searchable_pdf = false;
  auto engine = OcrEngine::Create(text_only);
  ASSERT_TRUE(engine.ok());
  Image page = ToBitonal(test::TextPage("Legeerklæring", "Side 1", 300));
  // Every descriptor but one in use: too few for the pipe to a forked copy, enough for
  // Tesseract's own files one at a time.
  struct rlimit old;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
  struct rlimit low = old;
  low.rlim_cur = std::min<rlim_t>(old.rlim_cur, 512);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<int> held;
  for (int fd; (fd = open("/dev/null", O_RDONLY)) >= 0;) held.push_back(fd);
  ASSERT_FALSE(held.empty());
  close(held.back());
  held.pop_back();
  auto read = (*engine)->Recognize(page, 60);
  for (int fd : held) close(fd);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_FALSE(read->timed_out);
  EXPECT_NE(read->text.find("Side 1"), std::string::npos);
}

TEST(OcrDeadlineTest, RecognitionIsCancelledAtItsBound) {
  auto engine = OcrEngine::Create({});
  ASSERT_TRUE(engine.ok());
  Image page = ToBitonal(test::TextPage("Legeerklæring", "Side 1", 300));
  auto cut = (*engine)->Recognize(page, 0.01);
  ASSERT_TRUE(cut.ok());
  EXPECT_TRUE(cut->timed_out);
  EXPECT_TRUE(cut->text.empty());
  // Without a bound, the same engine reads the page after a cancelled run.
  auto full = (*engine)->Recognize(page);
  ASSERT_TRUE(full.ok());
  EXPECT_FALSE(full->timed_out);
  EXPECT_NE(full->text.find("Side 1"), std::string::npos);
}

}  // namespace
}  // namespace postmottak

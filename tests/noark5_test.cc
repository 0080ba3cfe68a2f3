// The Noark 5 deposit of a store that took mail in: every XML file validates against
// its official schema in ../shared/noark5, every dokumentobjekt's checksum and size
// match its file, arkivuttrekk.xml's checksums and counts match the files, the change
// log holds what changed and who changed it, a document whose OCR was deferred is
// deposited from its page images, the schemas travel unmodified, a second export is the
// same byte for byte, a case past retention is left out, and only a principal with
// `deposit` may make it (the refusal and each case deposited on the audit trail).
#include "pipeline/archive/noark5.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include <filesystem>
#include <map>
#include <regex>

#include "codecs/pdf_merge.h"
#include "codecs/sha256.h"
#include "codecs/xml_writer.h"
#include "pipeline/intake/intake.h"
#include "pipeline/services/case_service.h"
#include "samples/generator.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

namespace fs = std::filesystem;

const std::string kSchemas = POSTMOTTAK_NOARK5_SCHEMAS;

// Each XML file of the package and the official schema it must validate against.
const std::map<std::string, std::string> kSchemaOf = {
    {"arkivstruktur", "arkivstruktur"},
    {"endringslogg", "endringslogg"},
    {"loependeJournal", "loependeJournal"},
    {"offentligJournal", "offentligJournal"},
    {"arkivuttrekk", "addml"},
};

// XPath `expr` evaluated over the XML file at `path`, as a string ("" when nothing).
std::string XPath(const std::string& path, const std::string& expr) {
  xmlDocPtr doc = xmlReadFile(path.c_str(), nullptr, XML_PARSE_NONET);
  if (!doc) return "<unreadable " + path + ">";
  xmlXPathContextPtr context = xmlXPathNewContext(doc);
  xmlXPathObjectPtr value = xmlXPathEvalExpression(BAD_CAST expr.c_str(), context);
  std::string out = "<bad expression>";
  if (value) {
    xmlChar* text = xmlXPathCastToString(value);
    out = reinterpret_cast<const char*>(text);
    xmlFree(text);
    xmlXPathFreeObject(value);
  }
  xmlXPathFreeContext(context);
  xmlFreeDoc(doc);
  return out;
}

// ADDML's <property name="..."> and <value>, whatever the namespace prefix.
std::string Prop(const std::string& name) {
  return "*[local-name()='property'][@name='" + name + "']";
}
const std::string kValue = "*[local-name()='value']";
const std::string kProps = "*[local-name()='properties']";

// Validates each XML file in the package `out` against its official schema in
// ../shared/noark5; returns how many did.
int ValidatedFiles(const std::string& out) {
  int validated = 0;
  for (const auto& [xml, xsd] : kSchemaOf) {
    Status valid = ValidateXmlFile(out + "/" + xml + ".xml", kSchemas + "/" + xsd + ".xsd");
    EXPECT_TRUE(valid.ok()) << valid.ToString();
    validated += valid.ok();
  }
  return validated;
}

// Checks every dokumentobjekt's sjekksum and filstoerrelse against its file; returns
// how many it checked.
int CheckedDocumentFiles(const std::string& out) {
  const std::string xml = test::ReadFile(out + "/arkivstruktur.xml");
  static const std::regex object(
      R"(<referanseDokumentfil>([^<]+)</referanseDokumentfil>\s*<sjekksum>([0-9a-f]{64})</sjekksum>\s*<sjekksumAlgoritme>SHA-256</sjekksumAlgoritme>\s*<filstoerrelse>(\d+)</filstoerrelse>)");
  int files = 0;
  for (std::sregex_iterator it(xml.begin(), xml.end(), object), end; it != end; ++it, ++files) {
    const std::string bytes = test::ReadFile(out + "/" + (*it)[1].str());
    EXPECT_EQ(Sha256Hex(bytes), (*it)[2].str()) << (*it)[1];
    EXPECT_EQ(std::to_string(bytes.size()), (*it)[3].str()) << (*it)[1];
  }
  return files;
}

// arkivuttrekk.xml's checksums match the files and the official schemas, and its
// counts the elements in each file.
void ExpectArkivuttrekkMatches(const std::string& out) {
  const std::string addml = out + "/arkivuttrekk.xml";
  const std::map<std::string, std::vector<std::string>> counted = {
      {"arkivstruktur", {"mappe", "registrering", "dokumentbeskrivelse", "dokumentobjekt"}},
      {"endringslogg", {"endring"}},
      {"loependeJournal", {"journalregistrering"}},
      {"offentligJournal", {"journalregistrering"}},
  };
  for (const auto& [stem, elements] : counted) {
    SCOPED_TRACE(stem);
    const std::string object =
        "//*[local-name()='dataObject'][@name='" + stem + "']/" + kProps + "/";
    const std::string file = object + Prop("file") + "/" + kProps + "/";
    EXPECT_EQ(XPath(addml, "string(" + file + Prop("name") + "/" + kValue + ")"), stem + ".xml");
    EXPECT_EQ(XPath(addml, "string(" + file + Prop("checksum") + "//" + Prop("value") + "/" +
                               kValue + ")"),
              Sha256Hex(test::ReadFile(out + "/" + stem + ".xml")));
    // Its own schema and the metadata catalogue it imports, each with the checksum of
    // the official file.
    EXPECT_EQ(XPath(addml, "count(" + object + Prop("schema") + ")"), "2");
    for (int i = 1; i <= 2; ++i) {
      const std::string schema = "(" + object + Prop("schema") + ")[" + std::to_string(i) + "]/" +
                                 kProps + "/" + Prop("file") + "/" + kProps + "/";
      const std::string name = XPath(addml, "string(" + schema + Prop("name") + "/" + kValue + ")");
      ASSERT_TRUE(fs::exists(kSchemas + "/" + name)) << name;
      EXPECT_EQ(XPath(addml, "string(" + schema + Prop("checksum") + "//" + Prop("value") + "/" +
                                 kValue + ")"),
                Sha256Hex(test::ReadFile(kSchemas + "/" + name)))
          << name;
    }
    for (const auto& element : elements) {
      const std::string said = XPath(
          addml, "string(" + object + Prop("info") + "//" + Prop("numberOfOccurrences") + "[" +
                     kValue + "='" + element + "']//" + Prop("value") + "/" + kValue + ")");
      const std::string found =
          XPath(out + "/" + stem + ".xml", "count(//*[local-name()='" + element + "'])");
      EXPECT_EQ(said, found) << element;
      EXPECT_NE(found, "0") << element;
    }
  }
  EXPECT_EQ(XPath(addml, "string(//" + Prop("antallDokumentfiler") + "/" + kValue + ")"),
            std::to_string(std::distance(fs::directory_iterator(out + "/DOKUMENT"),
                                         fs::directory_iterator())));
}

// Compares two packages file by file; returns how many files it compared.
int SameFiles(const std::string& a, const std::string& b) {
  int compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(a)) {
    if (!e.is_regular_file()) continue;
    const fs::path rel = fs::relative(e.path(), a);
    EXPECT_EQ(test::ReadFile(e.path()), test::ReadFile(b + "/" + rel.string())) << rel;
    ++compared;
  }
  return compared;
}

// A generated batch (samples/generator.h) in `dir`, taken in whole by the intake service.
Result<IntakeReport> TakeInSamples(Store* store, const std::string& dir, SampleOptions samples,
                                   bool defer_ocr) {
  samples.out_dir = dir;
  auto batch = GenerateSamples(store, test::SampleRules(), samples);
  if (!batch.ok()) return batch.status();
  IntakeOptions intake;
  intake.principal = test::As("service:intake");
  intake.workers = 2;
  intake.defer_covered_ocr = defer_ocr;
  return RunIntake(store, test::SampleRules(), {dir + "/scans"}, intake);
}

struct LoggedChange {
  std::string entity, metadata, at, by, before, after;
};

std::vector<LoggedChange> ChangesIn(const std::string& xml) {
  static const std::regex change(
      R"(<endring>\s*<referanseArkivenhet>([^<]+)</referanseArkivenhet>\s*<referanseMetadata>([^<]+)</referanseMetadata>\s*<endretDato>([^<]+)</endretDato>\s*<endretAv>([^<]+)</endretAv>\s*<tidligereVerdi>([^<]+)</tidligereVerdi>\s*<nyVerdi>([^<]+)</nyVerdi>\s*</endring>)");
  std::vector<LoggedChange> out;
  for (std::sregex_iterator it(xml.begin(), xml.end(), change), end; it != end; ++it)
    out.push_back({(*it)[1], (*it)[2], (*it)[3], (*it)[4], (*it)[5], (*it)[6]});
  return out;
}

// The changes logged about `entity`'s `metadata`.
std::vector<LoggedChange> About(const std::vector<LoggedChange>& all, const std::string& entity,
                                const std::string& metadata) {
  std::vector<LoggedChange> out;
  for (const auto& c : all)
    if (c.entity == entity && c.metadata == metadata) out.push_back(c);
  return out;
}

class Noark5Test : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_ / "store");
    NewCase named = test::MakeNewCase("2026-000701", test::PersonId(701), "AAP", "0301");
    named.person_name = "Kari Nordvik";
    ASSERT_TRUE(test::ServiceFor(store_.get(), test::As("user:kari")).AddCase(named).ok());
    test::AddCase(store_.get(), "2026-000702", test::PersonId(702), "SYK", "4402", "user:ola");
    test::AddCase(store_.get(), "2026-000703", test::PersonId(703), "SYK", "4402", "user:ola");
    // Born-digital letters, each naming its person: linked by their text.
    fs::create_directories(dir_ / "scans");
    int n = 0;
    for (int person : {701, 702, 702, 703}) {
      test::WritePdf(dir_ / ("scans/brev-" + std::to_string(++n) + ".pdf"),
                     {test::BornDigitalPdfPage({person == 701 ? "Legeerkl\\346ring" : "Sykmelding",
                                                "F\\370dselsnummer " + test::PersonId(person),
                                                "Brev " + std::to_string(n)})});
    }
    IntakeOptions o;
    o.principal = test::As("service:intake");
    o.workers = 2;
    auto r = RunIntake(store_.get(), test::SampleRules(), {dir_ / "scans"}, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->documents, 4);
    ASSERT_EQ(r->linked_by_text, 4);
    // Case 703 closed long ago: past its retention (SYK: 1825 days), not deposited.
    Change change = store_->BeginChange(test::As("user:ola"), "test");
    auto c = change.Get<Case>("2026-000703");
    ASSERT_TRUE(c.ok());
    c->status = CaseStatus::kClosed;
    c->closed_at = "2019-01-02T10:00:00Z";
    change.Put(*c);
    ASSERT_TRUE(change.Commit().ok());
  }

  Result<DepositReport> Export(const std::string& out, const std::string& as = "user:arkiv") {
    DepositOptions o;
    o.out_dir = dir_ / out;
    o.schemas_dir = kSchemas;
    o.creator_id = "974760673";
    o.creator_name = "NAV";
    return ExportNoark5(store_.get(), test::SampleRules(), test::SamplePolicy(), test::As(as),
                        "deposit to the national archive", o);
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(Noark5Test, TheDepositValidatesAndEveryChecksumMatchesItsFile) {
  auto r = Export("deposit");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->folders, 2);
  EXPECT_EQ(r->registrations, 3);
  EXPECT_EQ(r->documents, 3);
  EXPECT_EQ(r->past_retention, 1);
  EXPECT_EQ(r->files, 3);
  const std::string out = dir_ / "deposit";
  EXPECT_EQ(ValidatedFiles(out), 5);
  const std::string running = test::ReadFile(out + "/loependeJournal.xml");
  const std::string in_public = test::ReadFile(out + "/offentligJournal.xml");
  EXPECT_NE(running.find("<antallJournalposter>3</antallJournalposter>"), std::string::npos);
  EXPECT_NE(in_public.find("<antallJournalposter>3</antallJournalposter>"), std::string::npos);
  auto kari = store_->Get<Case>("2026-000701");
  ASSERT_TRUE(kari.ok());
  ASSERT_FALSE(kari->person_name.empty());
  EXPECT_NE(running.find(kari->person_name), std::string::npos) << "the running journal names";
  EXPECT_EQ(in_public.find(kari->person_name), std::string::npos) << "the public one does not";
  EXPECT_EQ(in_public.find(test::PersonId(701)), std::string::npos);
  EXPECT_NE(in_public.find("<korrespondansepartNavn>Skjermet</korrespondansepartNavn>"),
            std::string::npos);

  for (const auto& e : fs::directory_iterator(kSchemas)) {
    if (e.path().extension() != ".xsd") continue;
    EXPECT_EQ(test::ReadFile(out + "/" + e.path().filename().string()),
              test::ReadFile(e.path().string()))
        << e.path().filename() << " travels unmodified";
  }

  EXPECT_EQ(CheckedDocumentFiles(out), 3);
  const std::string xml = test::ReadFile(out + "/arkivstruktur.xml");
  EXPECT_EQ(std::distance(fs::directory_iterator(out + "/DOKUMENT"), fs::directory_iterator()), 3);
  EXPECT_NE(xml.find("<journalposttype>Inngående dokument</journalposttype>"), std::string::npos);
  EXPECT_EQ(xml.find("2026-000703"), std::string::npos) << "past retention";
  // The person is the case's party, by id and name; no title names them.
  EXPECT_NE(xml.find("<partID>" + test::PersonId(701) + "</partID>"), std::string::npos);
  EXPECT_EQ(xml.find(test::PersonId(701)), xml.rfind(test::PersonId(701))) << "only there";
}

TEST_F(Noark5Test, ArkivuttrekkChecksumsEveryFileAndCountsWhatItHolds) {
  auto r = Export("deposit");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string out = dir_ / "deposit";
  ExpectArkivuttrekkMatches(out);
  const std::string addml = out + "/arkivuttrekk.xml";
  EXPECT_EQ(
      XPath(addml, "string(//" + Prop("inneholderDokumenterSomSkalKasseres") + "/" + kValue + ")"),
      "true")
      << "SYK has a retention period";
}

TEST_F(Noark5Test, TheChangeLogSaysWhatChangedWhenAndWhoChangedIt) {
  // A letter naming no one waits for manual journaling; the intake unit journals it.
  fs::create_directories(dir_ / "later");
  test::WritePdf(dir_ / "later/brev.pdf",
                 {test::BornDigitalPdfPage({"Sykmelding", "Brev uten f\\370dselsnummer"})});
  IntakeOptions o;
  o.principal = test::As("service:intake");
  ASSERT_TRUE(RunIntake(store_.get(), test::SampleRules(), {dir_ / "later"}, o).ok());
  std::string waiting, moved;
  for (const auto& d : test::All<Document>(*store_)) {
    if (d.case_id.empty()) waiting = d.id;
    if (d.case_id == "2026-000702" && moved.empty()) moved = d.id;
  }
  ASSERT_FALSE(waiting.empty());
  ASSERT_FALSE(moved.empty());
  auto per = test::ServiceFor(store_.get(), test::As("user:per"));
  auto journaled = per.LinkDocument(waiting, "2026-000701");
  ASSERT_TRUE(journaled.ok()) << journaled.status().ToString();
  // A document linked to the wrong case is moved; a case is handed on; one is closed.
  test::AddCase(store_.get(), "2026-000704", test::PersonId(702), "SYK", "4402", "user:ola");
  auto ola = test::ServiceFor(store_.get(), test::As("user:ola"));
  auto relinked = ola.LinkDocument(moved, "2026-000704");
  ASSERT_TRUE(relinked.ok()) << relinked.status().ToString();
  ASSERT_TRUE(ola.TransferCase("2026-000702", "4488", "decide", "klar for vedtak").ok());
  ASSERT_TRUE(test::ServiceFor(store_.get(), test::As("user:kari")).CloseCase("2026-000701").ok());

  auto r = Export("deposit");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string out = dir_ / "deposit";
  Status valid = ValidateXmlFile(out + "/endringslogg.xml", kSchemas + "/endringslogg.xsd");
  ASSERT_TRUE(valid.ok()) << valid.ToString();
  const auto changes = ChangesIn(test::ReadFile(out + "/endringslogg.xml"));
  EXPECT_EQ(static_cast<int>(changes.size()), r->changes);

  const auto journal_status = About(
      changes, StableUuid("journalpost/2026-000701/" + journaled->mail_piece), "journalstatus");
  ASSERT_EQ(journal_status.size(), 1u);
  EXPECT_EQ(journal_status[0].by, "user:per");
  EXPECT_EQ(journal_status[0].before, "Midlertidig registrering av innkommet dokument");
  EXPECT_EQ(journal_status[0].after, "Journalført");
  EXPECT_EQ(journal_status[0].at, journaled->linked_at);

  const auto relink =
      About(changes, StableUuid("dokumentbeskrivelse/" + moved), "referanseTilRegistrering");
  ASSERT_EQ(relink.size(), 1u);
  EXPECT_EQ(relink[0].by, "user:ola");
  EXPECT_EQ(relink[0].before, StableUuid("journalpost/2026-000702/" + relinked->mail_piece));
  EXPECT_EQ(relink[0].after, StableUuid("journalpost/2026-000704/" + relinked->mail_piece));

  const auto unit = About(changes, StableUuid("saksmappe/2026-000702"), "administrativEnhet");
  ASSERT_EQ(unit.size(), 1u);
  EXPECT_EQ(unit[0].by, "user:ola");
  EXPECT_EQ(unit[0].before, "4402");
  EXPECT_EQ(unit[0].after, "4488");

  const std::string kari_folder = StableUuid("saksmappe/2026-000701");
  const auto closed = About(changes, kari_folder, "saksstatus");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].by, "user:kari");
  EXPECT_EQ(closed[0].before, "Under behandling");
  EXPECT_EQ(closed[0].after, "Avsluttet");
  // The processing status's last change is the value the saksmappe carries.
  const auto processing =
      About(changes, kari_folder, "virksomhetsspesifikkeMetadata/behandlingsstatus");
  ASSERT_FALSE(processing.empty());
  EXPECT_EQ(processing.back().after, "Avsluttet");
  for (size_t i = 1; i < processing.size(); ++i)
    EXPECT_EQ(processing[i].before, processing[i - 1].after)
        << "each change starts where the last ended";

  // The period the deposit closes is always there, so the log is never empty.
  ASSERT_EQ(About(changes,
                  XPath(out + "/arkivstruktur.xml",
                        "string(//*[local-name()='arkivdel']/*[local-name()='systemID'])"),
                  "arkivdelstatus")
                .size(),
            1u);
  for (size_t i = 1; i < changes.size(); ++i)
    EXPECT_LE(changes[i - 1].at, changes[i].at) << "oldest first";
  EXPECT_EQ(test::ReadFile(out + "/endringslogg.xml").find(test::PersonId(702)), std::string::npos);
}

TEST(Noark5DeferredOcrTest, ADocumentWithoutAPdfIsDepositedFromItsPageImages) {
  test::TempDir dir;
  auto store = test::OpenStore(dir / "store");
  SampleOptions samples;
  samples.pages = 8;
  samples.seed = 23;
  samples.mix = SampleMix::kCoverSheets;
  ASSERT_TRUE(TakeInSamples(store.get(), dir / "batch", samples, /*defer_ocr=*/true).ok());
  const auto docs = test::All<Document>(*store);
  ASSERT_FALSE(docs.empty());
  for (const auto& d : docs) ASSERT_TRUE(d.pdf_blob.empty() && d.original_blob.empty()) << d.id;

  DepositOptions o;
  o.out_dir = dir / "deposit";
  o.schemas_dir = kSchemas;
  auto r = ExportNoark5(store.get(), test::SampleRules(), test::SamplePolicy(),
                        test::As("user:arkiv"), "deposit", o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->files, r->documents) << "every document has its file";
  int deposited = 0;
  for (const auto& d : docs) {
    const std::string path = o.out_dir + "/DOKUMENT/" + d.id + ".pdf";
    if (!fs::exists(path)) continue;  // a document no case holds is not deposited
    auto pages = PdfPageCount(test::ReadFile(path));
    ASSERT_TRUE(pages.ok()) << pages.status().ToString();
    EXPECT_EQ(*pages, static_cast<int>(d.pages.size())) << d.id;
    ++deposited;
  }
  EXPECT_EQ(deposited, r->documents);
  Status valid = ValidateXmlFile(o.out_dir + "/arkivstruktur.xml", kSchemas + "/arkivstruktur.xsd");
  EXPECT_TRUE(valid.ok()) << valid.ToString();
}

// The demo's store in small: a generated batch of every kind of mail, taken in whole.
TEST(Noark5SampleBatchTest, TheSampleBatchsDepositValidatesAndHoldsWhatArkivuttrekkSays) {
  test::TempDir dir;
  auto store = test::OpenStore(dir / "store");
  SampleOptions samples;
  samples.pages = 24;
  samples.seed = 7;
  samples.ambiguous = true;
  auto taken = TakeInSamples(store.get(), dir / "batch", samples, /*defer_ocr=*/false);
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  DepositOptions o;
  o.schemas_dir = kSchemas;
  auto Export = [&](const std::string& out) {
    o.out_dir = dir / out;
    return ExportNoark5(store.get(), test::SampleRules(), test::SamplePolicy(),
                        test::As("user:arkiv"), "deposit", o);
  };
  auto r = Export("deposit");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->folders, 1);
  EXPECT_EQ(r->documents, taken->documents - taken->manual) << "every journaled document";
  EXPECT_EQ(r->files, r->documents);
  const std::string out = dir / "deposit";
  EXPECT_EQ(ValidatedFiles(out), 5);
  EXPECT_EQ(CheckedDocumentFiles(out), r->files);
  ExpectArkivuttrekkMatches(out);
  ASSERT_TRUE(Export("again").ok());
  EXPECT_EQ(SameFiles(out, dir / "again"), r->files + 5 + 6);
}

TEST_F(Noark5Test, ASecondExportIsTheSameByteForByte) {
  ASSERT_TRUE(Export("first").ok());
  ASSERT_TRUE(Export("second").ok());
  EXPECT_GE(SameFiles(dir_ / "first", dir_ / "second"), 3 + 5 + 6);
}

TEST_F(Noark5Test, OnlyAnArchivistDepositsIntoAnEmptyFolder) {
  auto denied = Export("by-kari", "user:kari");
  EXPECT_TRUE(denied.status().IsPermissionDenied()) << denied.status().ToString();
  EXPECT_FALSE(fs::exists(dir_ / "by-kari"));
  fs::create_directories(dir_ / "busy");
  test::WriteFile(dir_ / "busy/x", "x");
  auto busy = Export("busy");
  EXPECT_EQ(busy.status().code(), Status::Code::kInvalidArgument) << busy.status().ToString();
  ASSERT_TRUE(Export("deposit").ok());
  // Each case deposited is on the trail, under the case.
  int deposited = 0;
  for (const auto& e : store_->ListEvents())
    if (e.action == "deposit_case" && e.principal == "user:arkiv") ++deposited;
  EXPECT_EQ(deposited, 2);
}

}  // namespace
}  // namespace postmottak

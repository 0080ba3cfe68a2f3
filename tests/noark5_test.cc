// The Noark 5 deposit of a store that took mail in: arkivstruktur.xml validates against
// the official schemas in ../shared/noark5, every dokumentobjekt's checksum and size
// match its file, the schemas travel unmodified, a second export is the same byte for
// byte, a case past retention is left out, and only a principal with `deposit` may make
// it (the refusal and each case deposited on the audit trail).
#include "pipeline/archive/noark5.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "codecs/sha256.h"
#include "codecs/xml_writer.h"
#include "pipeline/intake/intake.h"
#include "pipeline/services/case_service.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

namespace fs = std::filesystem;

const std::string kSchemas = POSTMOTTAK_NOARK5_SCHEMAS;

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
  const std::string out = dir_ / "deposit";
  Status valid = ValidateXmlFile(out + "/arkivstruktur.xml", kSchemas + "/arkivstruktur.xsd");
  EXPECT_TRUE(valid.ok()) << valid.ToString();

  for (const char* journal : {"loependeJournal", "offentligJournal"}) {
    Status ok = ValidateXmlFile(out + "/" + journal + ".xml", kSchemas + "/" + journal + ".xsd");
    EXPECT_TRUE(ok.ok()) << ok.ToString();
  }
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

  const std::string xml = test::ReadFile(out + "/arkivstruktur.xml");
  static const std::regex object(
      R"(<referanseDokumentfil>([^<]+)</referanseDokumentfil>\s*<sjekksum>([0-9a-f]{64})</sjekksum>\s*<sjekksumAlgoritme>SHA-256</sjekksumAlgoritme>\s*<filstoerrelse>(\d+)</filstoerrelse>)");
  int files = 0;
  for (std::sregex_iterator it(xml.begin(), xml.end(), object), end; it != end; ++it, ++files) {
    const std::string bytes = test::ReadFile(out + "/" + (*it)[1].str());
    EXPECT_EQ(Sha256Hex(bytes), (*it)[2].str()) << (*it)[1];
    EXPECT_EQ(std::to_string(bytes.size()), (*it)[3].str()) << (*it)[1];
  }
  EXPECT_EQ(files, 3);
  EXPECT_EQ(std::distance(fs::directory_iterator(out + "/DOKUMENT"), fs::directory_iterator()), 3);
  EXPECT_NE(xml.find("<journalposttype>Inngående dokument</journalposttype>"), std::string::npos);
  EXPECT_EQ(xml.find("2026-000703"), std::string::npos) << "past retention";
  EXPECT_EQ(xml.find(test::PersonId(701)), std::string::npos) << "no person id in titles";
}

TEST_F(Noark5Test, ASecondExportIsTheSameByteForByte) {
  ASSERT_TRUE(Export("first").ok());
  ASSERT_TRUE(Export("second").ok());
  int compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "first")) {
    if (!e.is_regular_file()) continue;
    const fs::path rel = fs::relative(e.path(), dir_ / "first");
    EXPECT_EQ(test::ReadFile(e.path()), test::ReadFile(dir_ / ("second/" + rel.string()))) << rel;
    ++compared;
  }
  EXPECT_GE(compared, 3 + 1 + 6);
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

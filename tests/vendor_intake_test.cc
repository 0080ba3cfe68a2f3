// A scanning vendor's deliveries taken in, end to end, with zips this test makes from
// the vendor's field list (plain and encrypted to a key gpg makes here): each pair is
// one mail piece whose metadata go on the journal entry and serve as evidence for
// linking; a bad pair goes to quarantine and the rest of the delivery goes on; the same
// pair delivered again is journaled once; a hostile or undecryptable delivery is
// quarantined whole.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "pipeline/intake/intake.h"
#include "pipeline/services/case_service.h"
#include "pipeline/services/quarantine.h"
#include "storage/index_keys.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

namespace fs = std::filesystem;

// Persons and their open cases: one AAP case; one AAP case issued a cover sheet; one
// AAP and one SYK case (a medical certificate fits both).
const std::string kOne = test::PersonId(601);
const std::string kCovered = test::PersonId(602);
const std::string kTwo = test::PersonId(603);

// One pair's metadata, as the vendor writes skanningmetadata.
struct Meta {
  std::string file;  // filnavn
  int pages = 1;
  std::string reference, user, area, endorser = "E-000123";
  std::string Xml() const {
    std::string jp =
        "<mottakskanal>SKAN_IM</mottakskanal><datoMottatt>2026-11-30</datoMottatt>"
        "<batchnavn>oslo-2026-11-30-1</batchnavn><filnavn>" +
        file + "</filnavn><endorsernr>" + endorser + "</endorsernr><antallSider>" +
        std::to_string(pages) + "</antallSider>";
    if (!reference.empty()) jp += "<referansenummer>" + reference + "</referansenummer>";
    if (!user.empty())
      jp += "<bruker><brukerId>" + user + "</brukerId><brukertype>PERSON</brukertype></bruker>";
    jp += "<tema>" + (area.empty() ? std::string("UKJ") : area) + "</tema>";
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<skanningmetadata><journalpost>" + jp +
           "</journalpost><skanningInfo><fysiskPostboks>1400</fysiskPostboks>"
           "<strekkodePostboks>1400</strekkodePostboks></skanningInfo></skanningmetadata>\n";
  }
};

class VendorIntakeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { keys_ = new test::TestKeyring({"vendor", "stranger"}); }
  static void TearDownTestSuite() { delete keys_; }

  void SetUp() override {
    store_ = test::OpenStore(dir_ / "store");
    test::AddCase(store_.get(), "2026-000601", kOne, "AAP", "0301", "user:kari");
    test::AddCase(store_.get(), "2026-000602", kCovered, "AAP", "0301", "user:kari");
    test::AddCase(store_.get(), "2026-000603", kTwo, "AAP", "0301", "user:kari");
    test::AddCase(store_.get(), "2026-000604", kTwo, "SYK", "4402", "user:ola");
    CaseService kari = test::ServiceFor(store_.get(), test::As("user:kari"));
    CoverSheetRequest req;
    req.case_id = "2026-000602";
    req.expected = {"medical_certificate"};
    auto sheet = kari.IssueCoverSheet(req);
    ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
    cover_id_ = sheet->id;
  }

  // A medical certificate of `pages` born-digital pages naming `person` (or nobody) on
  // its first; the pages after it are its continuation.
  static std::string Certificate(const std::string& person, int pages = 1,
                                 const std::string& tag = "") {
    std::vector<test::PdfPage> all;
    all.push_back(test::BornDigitalPdfPage(
        {"Legeerkl\\346ring",
         person.empty() ? "Pasient: ikke oppgitt" : "F\\370dselsnummer " + person,
         "Side 1" + tag}));
    for (int i = 1; i < pages; ++i)
      all.push_back(test::BornDigitalPdfPage({"Side " + std::to_string(i + 1) + tag}));
    const std::string path = *scratch_ / "certificate.pdf";
    test::WritePdf(path, all);
    return test::ReadFile(path);
  }
  // The entries of a pair: its PDF and XML under `base`.
  static std::vector<test::ZipEntry> Pair(const std::string& base, const Meta& m,
                                          const std::string& pdf) {
    return {{base + ".pdf", pdf}, {base + ".xml", m.Xml()}};
  }
  std::string Zip(const std::string& name, const std::vector<test::ZipEntry>& entries) {
    const std::string path = dir_ / name;
    test::WriteZip(path, entries);
    return path;
  }
  Result<IntakeReport> Take(const std::vector<std::string>& paths, bool with_key = true) {
    IntakeOptions o;
    o.principal = test::As("service:intake");
    o.workers = 2;
    if (with_key) o.vendor_key = {keys_->SecretKeyFile("vendor"), ""};
    return RunIntake(store_.get(), test::SampleRules(), paths, o);
  }
  // The documents journaled from the vendor's file `ref`.
  std::vector<Document> FromVendorFile(const std::string& ref) {
    std::vector<Document> out;
    for (const auto& [id, unused] : store_->ScanIndex(index_keys::ExternalRefDocuments(ref)))
      if (auto d = store_->Get<Document>(id); d.ok()) out.push_back(*d);
    return out;
  }
  // The quarantine entries whose file ends with `name`.
  std::vector<QuarantineEntry> Quarantined(const std::string& name) {
    std::vector<QuarantineEntry> out;
    for (const auto& q : test::All<QuarantineEntry>(*store_))
      if (q.file.size() >= name.size() &&
          q.file.compare(q.file.size() - name.size(), name.size(), name) == 0)
        out.push_back(q);
    return out;
  }

  static test::TestKeyring* keys_;
  static test::TempDir* scratch_;
  test::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::string cover_id_;
};

test::TestKeyring* VendorIntakeTest::keys_ = nullptr;
test::TempDir* VendorIntakeTest::scratch_ = new test::TempDir();

TEST_F(VendorIntakeTest, ACompleteDeliveryIsJournaledWithItsMetadataAsEvidence) {
  Meta by_person{"skan-0001.pdf", 2, "", kOne, "AAP"};
  Meta by_reference{"skan-0002.pdf", 1, "00" + cover_id_, "", ""};
  Meta two_cases{"skan-0003.pdf", 1, "", kTwo, ""};
  auto entries = Pair("2026/skan-0001", by_person, Certificate(kOne, 2));
  entries.push_back({"2026/skan-0001.ocr", "Legeerklæring (leverandørens tekst)"});
  for (auto& e : Pair("2026/skan-0002", by_reference, Certificate(""))) entries.push_back(e);
  for (auto& e : Pair("2026/skan-0003", two_cases, Certificate(kTwo))) entries.push_back(e);
  const std::string zip = Zip("levering-1.zip", entries);

  auto r = Take({zip});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->files, 3) << "one batch file per mail piece; the XML and .ocr go with it";
  EXPECT_EQ(r->pages, 4);
  EXPECT_EQ(r->documents, 3);
  EXPECT_EQ(r->linked_by_metadata, 1);
  EXPECT_EQ(r->linked_by_cover, 1);
  EXPECT_EQ(r->manual, 1);
  EXPECT_TRUE(r->quarantined.empty());

  // brukerId + tema name the one open case, and the text names the same person.
  auto one = FromVendorFile("skan-0001.pdf");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].case_id, "2026-000601");
  EXPECT_EQ(one[0].linked_by, LinkMethod::kScanMetadata);
  EXPECT_EQ(one[0].source_file, zip + "/2026/skan-0001.pdf");
  const VendorReceipt& v = one[0].vendor;
  EXPECT_EQ(v.delivery, zip);
  EXPECT_EQ(v.external_ref, "skan-0001.pdf");
  EXPECT_EQ(v.metadata.channel, "SKAN_IM");
  EXPECT_EQ(v.metadata.received, "2026-11-30");
  EXPECT_EQ(v.metadata.endorser, "E-000123");
  EXPECT_EQ(v.metadata.post_box, "1400");
  EXPECT_EQ(v.metadata.batch_name, "oslo-2026-11-30-1");
  EXPECT_EQ(v.metadata.user_id, kOne);
  // Nothing delivered is lost: the XML as sent and the vendor's text are kept.
  auto xml = store_->GetBlob(v.metadata_blob);
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(*xml, by_person.Xml());
  auto text = store_->GetBlob(v.text_blob);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "Legeerklæring (leverandørens tekst)");
  EXPECT_EQ(one[0].link_evidence.find(kOne), std::string::npos) << "no unmasked person id";

  // The reference number names the cover sheet the vendor took off: exactly its case.
  auto covered = FromVendorFile("skan-0002.pdf");
  ASSERT_EQ(covered.size(), 1u);
  EXPECT_EQ(covered[0].case_id, "2026-000602");
  EXPECT_EQ(covered[0].linked_by, LinkMethod::kCoverSheet);
  EXPECT_NE(covered[0].link_evidence.find("reference number 00" + cover_id_), std::string::npos)
      << covered[0].link_evidence;

  // A person with two open cases that fit: a person decides, never a guess.
  auto two = FromVendorFile("skan-0003.pdf");
  ASSERT_EQ(two.size(), 1u);
  EXPECT_TRUE(two[0].case_id.empty());
  EXPECT_NE(two[0].link_evidence.find("match 2 open cases"), std::string::npos)
      << two[0].link_evidence;
}

TEST_F(VendorIntakeTest, MetadataThatDisagreeWithThePagesLeaveThePieceToAPerson) {
  Meta other_person{"skan-0101.pdf", 1, "", kOne, "AAP"};
  Meta unknown_reference{"skan-0102.pdf", 1, "00" + std::string("000000000000"), "", ""};
  auto entries = Pair("skan-0101", other_person, Certificate(kTwo));
  for (auto& e : Pair("skan-0102", unknown_reference, Certificate(kOne))) entries.push_back(e);
  auto r = Take({Zip("levering-2.zip", entries)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->manual, 2);
  auto a = FromVendorFile("skan-0101.pdf");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_TRUE(a[0].case_id.empty());
  EXPECT_NE(a[0].link_evidence.find("the text name different persons"), std::string::npos)
      << a[0].link_evidence;
  auto b = FromVendorFile("skan-0102.pdf");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_TRUE(b[0].case_id.empty()) << "not linked by the text's person id either";
  EXPECT_NE(b[0].link_evidence.find("names no cover sheet"), std::string::npos)
      << b[0].link_evidence;
}

TEST_F(VendorIntakeTest, BadPairsGoToQuarantineAndTheRestOfTheDeliveryIsJournaled) {
  Meta good{"skan-0201.pdf", 1, "", kOne, "AAP"};
  Meta wrong_count{"skan-0203.pdf", 3, "", kOne, "AAP"};
  Meta unreadable{"skan-0204.pdf", 1, "", kOne, "AAP"};
  auto entries = Pair("skan-0201", good, Certificate(kOne));
  entries.push_back({"skan-0202.pdf", Certificate(kOne, 1, " (uten XML)")});  // half pair
  for (auto& e : Pair("skan-0203", wrong_count, Certificate(kOne, 2, " (feil antall)")))
    entries.push_back(e);
  entries.push_back({"skan-0204.pdf", "%PDF-1.4\nnot a PDF after all"});
  entries.push_back({"skan-0204.xml", unreadable.Xml()});
  entries.push_back({"skan-0205.pdf", Certificate(kOne, 1, " (ødelagt XML)")});
  entries.push_back({"skan-0205.xml", "<skanningmetadata><journalpost>"});
  const std::string zip = Zip("levering-3.zip", entries);

  auto r = Take({zip});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->documents, 1);
  ASSERT_EQ(FromVendorFile("skan-0201.pdf").size(), 1u);
  EXPECT_EQ(FromVendorFile("skan-0201.pdf")[0].case_id, "2026-000601");

  auto reason_of = [&](const std::string& name) {
    auto q = Quarantined(name);
    EXPECT_EQ(q.size(), 1u) << name;
    if (q.empty()) return std::string();
    EXPECT_EQ(q[0].page, 0) << "the whole file";
    EXPECT_FALSE(q[0].blob_key.empty()) << name << ": its bytes are kept";
    return q[0].reason;
  };
  EXPECT_NE(reason_of("skan-0202.pdf").find("half pair"), std::string::npos);
  EXPECT_NE(reason_of("skan-0203.pdf").find("antallSider says 3"), std::string::npos);
  EXPECT_NE(reason_of("skan-0203.xml").find("antallSider says 3"), std::string::npos);
  EXPECT_NE(reason_of("skan-0204.pdf").find("skan-0204.pdf"), std::string::npos);
  EXPECT_NE(reason_of("skan-0205.xml").find("skan-0205.xml"), std::string::npos);
  EXPECT_NE(reason_of("skan-0205.pdf").find("file " + zip + "/skan-0205.pdf: "), std::string::npos);
  EXPECT_EQ(r->quarantined.size(), 7u) << "every file of a bad pair, nothing lost";

  // Every file is accounted for in the batch's ledger.
  auto batch = store_->Get<Batch>(r->batch);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->files.size(), 8u);
  for (size_t i = 0; i < batch->files.size(); ++i)
    EXPECT_FALSE(
        store_->List<LedgerEntry>(LedgerFilePrefix(r->batch, static_cast<int>(i)))->empty())
        << batch->files[i].name;
}

TEST_F(VendorIntakeTest, ThePairDeliveredAgainIsJournaledOnce) {
  Meta m{"skan-0301.pdf", 1, "", kOne, "AAP"};
  const std::string pdf = Certificate(kOne);
  auto first = Take({Zip("levering-4.zip", Pair("skan-0301", m, pdf))});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(FromVendorFile("skan-0301.pdf").size(), 1u);

  // Again, in another delivery with a new pair beside it.
  Meta fresh{"skan-0302.pdf", 1, "", kOne, "AAP"};
  auto entries = Pair("skan-0301", m, pdf);
  for (auto& e : Pair("skan-0302", fresh, Certificate(kOne, 1, " (ny)"))) entries.push_back(e);
  auto again = Take({Zip("levering-5.zip", entries)});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->duplicate_files, 1);
  EXPECT_EQ(again->documents, 1) << "only the new pair";
  EXPECT_EQ(FromVendorFile("skan-0301.pdf").size(), 1u);
  EXPECT_EQ(FromVendorFile("skan-0302.pdf").size(), 1u);

  // The same name with other content is recognised too: a person looks, nothing is
  // journaled twice.
  auto changed = Take({Zip("levering-6.zip", Pair("skan-0301", m, Certificate(kOne, 1, " v2")))});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->documents, 0);
  ASSERT_EQ(changed->quarantined.size(), 1u);
  EXPECT_NE(changed->quarantined[0].reason.find("not journaled twice"), std::string::npos)
      << changed->quarantined[0].reason;
  EXPECT_EQ(FromVendorFile("skan-0301.pdf").size(), 1u);
}

TEST_F(VendorIntakeTest, AnEncryptedDeliveryIsDecryptedWithTheConfiguredKey) {
  Meta m{"skan-0401.pdf", 1, "", kOne, "AAP"};
  const std::string zip = Zip("plain.zip", Pair("skan-0401", m, Certificate(kOne)));
  const std::string encrypted = dir_ / "levering-7.zip.pgp";
  ASSERT_TRUE(keys_->Encrypt(test::ReadFile(zip), "vendor", encrypted));
  fs::remove(zip);
  auto r = Take({encrypted});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->linked_by_metadata, 1);
  auto docs = FromVendorFile("skan-0401.pdf");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].vendor.delivery, encrypted);
  EXPECT_EQ(docs[0].source_file, encrypted + "/skan-0401.pdf");
}

TEST_F(VendorIntakeTest, HostileAndUndecryptableDeliveriesAreQuarantinedWholeAndTheRestGoesOn) {
  Meta m{"skan-0501.pdf", 1, "", kOne, "AAP"};
  const std::string traversal =
      Zip("levering-8.zip", {{"../../etc/skan-0501.pdf", Certificate(kOne)}});
  const std::string bomb = Zip("levering-9.zip", {{"bomb.pdf", std::string(64 << 20, '\0')}});
  const std::string stranger = dir_ / "levering-10.zip.pgp";
  ASSERT_TRUE(keys_->Encrypt(test::ReadFile(Zip("s.zip", Pair("skan-0501", m, Certificate(kOne)))),
                             "stranger", stranger));
  const std::string good = Zip("levering-11.zip", Pair("skan-0501", m, Certificate(kOne)));
  const std::string empty = dir_ / "levering-13.zip";
  test::WriteZip(empty, {});

  auto r = Take({traversal, bomb, stranger, empty, good});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->documents, 1) << "the good delivery still goes in";
  ASSERT_EQ(r->quarantined.size(), 4u);
  auto whole = [&](const std::string& file, const std::string& why) {
    auto q = Quarantined(file);
    ASSERT_EQ(q.size(), 1u) << file;
    EXPECT_EQ(q[0].file, file) << "the delivery itself";
    EXPECT_NE(q[0].reason.find(why), std::string::npos) << q[0].reason;
    EXPECT_FALSE(q[0].blob_key.empty()) << "its bytes are kept";
  };
  whole(traversal, "../../etc/skan-0501.pdf");
  whole(bomb, "bomb.pdf");
  whole(stranger, "cannot be decrypted");
  whole(empty, "levering-13.zip");  // an empty delivery is seen, not lost
  EXPECT_FALSE(fs::exists(dir_.path() + "/../etc/skan-0501.pdf"));

  // Without a configured key an encrypted delivery is quarantined, with that reason.
  const std::string unkeyed = dir_ / "levering-12.zip.pgp";
  ASSERT_TRUE(keys_->Encrypt(test::ReadFile(good), "vendor", unkeyed));
  auto no_key = Take({unkeyed}, /*with_key=*/false);
  ASSERT_TRUE(no_key.ok()) << no_key.status().ToString();
  ASSERT_EQ(no_key->quarantined.size(), 1u);
  EXPECT_NE(no_key->quarantined[0].reason.find("no vendor key is configured"), std::string::npos)
      << no_key->quarantined[0].reason;
}

TEST_F(VendorIntakeTest, ADeliveryQuarantinedWholeIsTakenInByARetryOnceItCanBeOpened) {
  Meta m{"skan-0601.pdf", 1, "", kOne, "AAP"};
  const std::string zip = Zip("plain-6.zip", Pair("skan-0601", m, Certificate(kOne)));
  const std::string encrypted = dir_ / "levering-14.zip.pgp";
  ASSERT_TRUE(keys_->Encrypt(test::ReadFile(zip), "vendor", encrypted));
  fs::remove(zip);
  auto first = Take({encrypted}, /*with_key=*/false);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto held = Quarantined("levering-14.zip.pgp");
  ASSERT_EQ(held.size(), 1u);
  const std::string id = held[0].id;

  // Retried while the key is still missing: refused again, on the entry's history, and
  // the reason names the delivery, not the temporary copy read.
  IntakeOptions o;
  o.principal = test::Tester();
  o.workers = 2;
  auto again = RetryQuarantined(store_.get(), test::SampleRules(), id, "", o);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->resolved);
  EXPECT_EQ(again->entry.history.size(), 1u);
  EXPECT_NE(again->entry.reason.find("no vendor key is configured"), std::string::npos)
      << again->entry.reason;
  EXPECT_NE(again->entry.reason.find(encrypted), std::string::npos) << again->entry.reason;
  EXPECT_TRUE(FromVendorFile("skan-0601.pdf").empty());

  // With the key configured, the kept delivery is taken in as a batch of its own, its
  // files named after the original.
  o.vendor_key = {keys_->SecretKeyFile("vendor"), ""};
  auto retried = RetryQuarantined(store_.get(), test::SampleRules(), id, "", o);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_TRUE(retried->resolved) << retried->entry.reason;
  EXPECT_EQ(retried->entry.status, QuarantineStatus::kRetried);
  EXPECT_EQ(retried->report.batch, "retry-" + id);
  EXPECT_NE(retried->entry.resolution.find("1 documents"), std::string::npos)
      << retried->entry.resolution;
  auto docs = FromVendorFile("skan-0601.pdf");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].source_file, encrypted + "/skan-0601.pdf");
  EXPECT_EQ(docs[0].vendor.delivery, encrypted);
  EXPECT_FALSE(docs[0].case_id.empty());
  EXPECT_FALSE(RetryQuarantined(store_.get(), test::SampleRules(), id, "", o).ok())
      << "a resolved entry is not retried again";

  // Taken in once more, the same delivery finds its first batch: nothing twice.
  auto repeat = Take({encrypted});
  ASSERT_TRUE(repeat.ok()) << repeat.status().ToString();
  EXPECT_EQ(repeat->documents, 0);
  EXPECT_EQ(FromVendorFile("skan-0601.pdf").size(), 1u);
}

}  // namespace
}  // namespace postmottak

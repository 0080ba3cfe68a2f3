// Information that matters to several benefits reaches all of them. A change notice (a
// marriage certificate) journaled on one case raises a notice on every other open case
// of the same person in an area the rules name, in that case's unit, and on nobody
// else's; across the state/municipal divide the notice carries no document. A document
// linked to two cases counts on both checklists, and need to know follows each link.
#include "pipeline/stages/notices.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "pipeline/intake/intake.h"
#include "pipeline/services/case_service.h"
#include "pipeline/services/retention.h"
#include "pipeline/stages/completeness.h"
#include "pipeline/stages/cover_sheet.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class NoticesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_ / "store");
    std::filesystem::create_directories(dir_ / "in");
  }
  // "user:tester" holds every role and sees every unit of the state domain.
  CaseService As(const std::string& principal) {
    return test::ServiceFor(store_.get(),
                            principal == "user:tester" ? test::Tester() : test::As(principal));
  }
  void AddCase(const std::string& principal, const std::string& id, int person,
               const std::string& area, const std::string& unit,
               std::vector<std::string> required = {}) {
    NewCase nc = test::MakeNewCase(id, test::PersonId(person), area, unit);
    nc.required = std::move(required);
    auto c = As(principal).AddCase(nc);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }
  // The pages go through the whole intake, behind the case's printed cover sheet.
  IntakeReport TakeIn(const std::string& case_id, const std::string& title) {
    CaseService s = test::ServiceFor(store_.get(), test::Tester());
    CoverSheetRequest req;
    req.case_id = case_id;
    auto sheet = s.IssueCoverSheet(req);
    EXPECT_TRUE(sheet.ok()) << sheet.status().ToString();
    std::vector<Image> pages;
    auto cover = DrawCoverSheet(*sheet, test::SampleRules(), 300);
    EXPECT_TRUE(cover.ok());
    pages.push_back(std::move(cover).value());
    pages.push_back(test::TextPage(title, "Gjelder ekteskap inngått 12.10.2026", 300));
    test::WriteTiff(dir_ / "in/scan.tif", pages);
    IntakeOptions options;
    options.principal = test::As("service:intake");
    options.workers = 2;
    options.same_domain = test::SamplePolicy().SameDomain();
    auto report = RunIntake(store_.get(), test::SampleRules(), {dir_ / "in"}, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? std::move(report).value() : IntakeReport{};
  }
  std::vector<Task> NoticesOn(const std::string& case_id) {
    std::vector<Task> out;
    for (auto& t : test::All<Task>(*store_))
      if (t.case_id == case_id && t.kind == TaskKind::kNotice) out.push_back(t);
    return out;
  }
  // An unlinked document of a type, as intake would leave it for manual journaling.
  std::string Arrive(const std::string& id, const std::string& type) {
    Change change = store_->BeginChange(test::Tester(), "test");
    Document d;
    d.id = id;
    d.type = type;
    d.text = "Sykmelding for arbeidstaker";
    d.received_at = NowUtc();
    change.Put(d);
    EXPECT_TRUE(change.Commit().ok());
    return id;
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(NoticesTest, AMarriageCertificateReachesThePersonsOtherCasesAndNoOneElses) {
  // Person 800: a child-support advance in the back office (where the certificate is
  // sent), single-parent benefit there too, child benefit in the local office, work
  // assessment (not affected), a closed pension case, and municipal social assistance.
  // Person 801: child benefit.
  AddCase("user:tester", "2026-000801", 800, "BID", "4402");
  AddCase("user:tester", "2026-000807", 800, "ENF", "4402");
  AddCase("user:tester", "2026-000802", 800, "BAR", "0301");
  AddCase("user:tester", "2026-000803", 800, "AAP", "0301");
  AddCase("user:tester", "2026-000804", 800, "PEN", "1103");
  ASSERT_TRUE(As("user:sigrid").CloseCase("2026-000804").ok());
  AddCase("user:mari", "2026-000805", 800, "SOS", "0301");
  AddCase("user:tester", "2026-000806", 801, "BAR", "0301");

  const IntakeReport report = TakeIn("2026-000801", "Vigselsattest");
  ASSERT_EQ(report.linked_by_cover, 1);
  EXPECT_EQ(report.notices, 3) << "child benefit, single-parent benefit, social assistance";
  Document doc;
  for (auto& d : test::All<Document>(*store_))
    if (d.case_id == "2026-000801") doc = d;
  ASSERT_EQ(doc.type, "marriage_certificate");

  // Single-parent benefit, in the same unit's queue.
  auto enf = NoticesOn("2026-000807");
  ASSERT_EQ(enf.size(), 1u);
  EXPECT_EQ(enf[0].unit, "4402");
  EXPECT_EQ(enf[0].document_id, doc.id);
  // Child benefit, in its own unit's queue, naming the document but not its content.
  auto bar = NoticesOn("2026-000802");
  ASSERT_EQ(bar.size(), 1u);
  EXPECT_EQ(bar[0].unit, "0301");
  EXPECT_EQ(bar[0].status, TaskStatus::kOpen);
  EXPECT_EQ(bar[0].document_id, doc.id);
  EXPECT_EQ(bar[0].document_type, "marriage_certificate");
  EXPECT_NE(bar[0].reason.find("Vigselsattest"), std::string::npos) << bar[0].reason;
  EXPECT_EQ(bar[0].reason.find("ekteskap"), std::string::npos) << "no content";
  // Across the divide: that something arrived and where to ask, nothing more.
  auto sos = NoticesOn("2026-000805");
  ASSERT_EQ(sos.size(), 1u);
  EXPECT_TRUE(sos[0].document_id.empty());
  EXPECT_TRUE(sos[0].document_type.empty());
  for (const std::string& secret :
       {doc.id, std::string("Vigselsattest"), std::string("marriage"), std::string("2026-000801")})
    EXPECT_EQ((sos[0].id + sos[0].reason).find(secret), std::string::npos) << secret;
  EXPECT_NE(sos[0].reason.find("4402"), std::string::npos) << "where to ask";
  // Not affected, closed, or another person's: nothing.
  EXPECT_TRUE(NoticesOn("2026-000803").empty());
  EXPECT_TRUE(NoticesOn("2026-000804").empty());
  EXPECT_TRUE(NoticesOn("2026-000806").empty());
  EXPECT_TRUE(NoticesOn("2026-000801").empty()) << "the case it arrived on";

  // Need to know follows a notice within the domain, not across it.
  CaseService kari = As("user:kari");  // 0301: the child-benefit case, not the BID case
  auto read = kari.ReadDocument(doc.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  CaseService mari = As("user:mari");
  EXPECT_TRUE(mari.ReadDocument(doc.id).status().IsPermissionDenied());
  CaseService sigrid = As("user:sigrid");  // 1103: the closed pension case, no notice
  EXPECT_TRUE(sigrid.ReadDocument(doc.id).status().IsPermissionDenied());

  // Linking the document to the child-benefit case as well closes its notice, and
  // raises nothing twice.
  ASSERT_TRUE(kari.LinkAlso(doc.id, "2026-000802").ok());
  EXPECT_EQ(NoticesOn("2026-000802")[0].status, TaskStatus::kClosed);
  int notices = 0;
  for (auto& t : test::All<Task>(*store_)) notices += t.kind == TaskKind::kNotice;
  EXPECT_EQ(notices, 3);
}

TEST_F(NoticesTest, ADocumentOnTwoCasesCompletesBothChecklistsAndNeedToKnowFollowsEachLink) {
  // The sick-pay case (sick note and income statement) in 4488, and the employer's
  // refund case, which needs the same sick note, in 4402.
  AddCase("user:tester", "2026-000811", 810, "SYK", "4488");
  AddCase("user:tester", "2026-000812", 810, "SYK", "4402", {"sick_note"});
  CaseService nils = As("user:nils");  // 4488
  CaseService ola = As("user:ola");    // 4402
  const std::string note = Arrive("doc-sick-810", "sick_note");
  CaseService both = test::ServiceFor(store_.get(), test::Tester());  // sees both units
  ASSERT_TRUE(both.LinkDocument(note, "2026-000811").ok());
  EXPECT_TRUE(ola.ReadDocument(note).status().IsPermissionDenied()) << "not linked to 4402 yet";
  // Linking it as well takes need to know of the document and the case: the refund
  // unit cannot pull in a document it may not see; the sick-pay unit (which sees sick
  // pay in every unit) can link it to the refund case.
  EXPECT_TRUE(ola.LinkAlso(note, "2026-000812").status().IsPermissionDenied());
  auto linked = nils.LinkAlso(note, "2026-000812");
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  EXPECT_EQ(linked->case_id, "2026-000811");
  EXPECT_EQ(linked->also_cases, std::vector<std::string>{"2026-000812"});

  // Both checklists count it: the refund case is complete, the sick-pay case waits
  // only for the income statement.
  EXPECT_EQ(store_->Get<Case>("2026-000812")->status, CaseStatus::kReadyForDecision);
  EXPECT_EQ(store_->Get<Task>(MissingTaskId("2026-000812", "sick_note"))->status,
            TaskStatus::kClosed);
  EXPECT_EQ(store_->Get<Task>(MissingTaskId("2026-000811", "sick_note"))->status,
            TaskStatus::kClosed);
  EXPECT_EQ(store_->Get<Case>("2026-000811")->status, CaseStatus::kAwaitingDocumentation);
  auto refund = ola.ReadCase("2026-000812");
  ASSERT_TRUE(refund.ok());
  ASSERT_EQ(refund->documents.size(), 1u);
  EXPECT_EQ(refund->documents[0].id, note);
  EXPECT_TRUE(refund->checklist.complete());

  // Need to know follows each link; nobody else's.
  auto seen = ola.ReadDocument(note);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_TRUE(As("user:sigrid").ReadDocument(note).status().IsPermissionDenied());

  // The refusals: the same link again, an unjournaled document, a closed case.
  EXPECT_EQ(both.LinkAlso(note, "2026-000812").status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(both.LinkAlso(note, "2026-000811").status().code(), Status::Code::kAlreadyExists);
  const std::string loose = Arrive("doc-loose-810", "sick_note");
  EXPECT_TRUE(both.LinkAlso(loose, "2026-000812").status().IsFailedPrecondition());
  AddCase("user:tester", "2026-000813", 810, "SYK", "4488", {"sick_note"});
  ASSERT_TRUE(both.CloseCase("2026-000813").ok());
  EXPECT_TRUE(both.LinkAlso(note, "2026-000813").status().IsFailedPrecondition());
  EXPECT_TRUE(both.LinkAlso(note, "2026-999999").status().IsNotFound());

  // The link is on the trail, concerning the case it was made to.
  int links = 0;
  for (const auto& e : store_->ListEvents())
    links += e.action == "link_also" && e.case_id == "2026-000812";
  EXPECT_EQ(links, 1);
}

TEST_F(NoticesTest, ADocumentOnTwoCasesOutlivesTheRetentionOfOne) {
  AddCase("user:tester", "2026-000821", 820, "SYK", "4488", {"sick_note"});
  AddCase("user:tester", "2026-000822", 820, "SYK", "4402", {"sick_note"});
  CaseService tester = As("user:tester");
  const std::string note = Arrive("doc-sick-820", "sick_note");
  ASSERT_TRUE(tester.LinkDocument(note, "2026-000821").ok());
  ASSERT_TRUE(tester.LinkAlso(note, "2026-000822").ok());
  // The first case was closed long ago: its retention period has run out.
  ASSERT_TRUE(tester.CloseCase("2026-000821").ok());
  {
    Case old = *store_->Get<Case>("2026-000821");
    old.closed_at = "2015-01-01T00:00:00Z";
    Change change = store_->BeginChange(test::Tester(), "test");
    change.Put(old);
    ASSERT_TRUE(change.Commit().ok());
  }
  RetentionOptions options;
  options.principal = test::Tester();
  auto report = RunRetention(store_.get(), test::SamplePolicy(), options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->deleted.size(), 1u);
  EXPECT_EQ(report->documents, 0) << "the note is the other case's too";
  auto kept = store_->Get<Document>(note);
  ASSERT_TRUE(kept.ok()) << "kept for the case that still has it";
  EXPECT_EQ(kept->case_id, "2026-000822");
  EXPECT_TRUE(kept->also_cases.empty());
  EXPECT_TRUE(store_->Get<Case>("2026-000821").status().IsNotFound());
  auto refund = As("user:ola").ReadCase("2026-000822");
  ASSERT_TRUE(refund.ok());
  ASSERT_EQ(refund->documents.size(), 1u);
  EXPECT_TRUE(refund->checklist.complete());
}

}  // namespace
}  // namespace postmottak

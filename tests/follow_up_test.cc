// Follow-up that chases. The completeness check's request is a printable letter in
// bokmål that names what is missing and by when, with the case's cover sheet as its
// last page; when the answer-by date passes, a reminder goes out, and when the
// reminder's passes too, the case's unit gets a task to decide on the case as it
// stands. The clock is injected, so the deadlines pass in the test and not in real time.
#include <gtest/gtest.h>

#include <filesystem>

#include "codecs/page_source.h"
#include "pipeline/services/case_service.h"
#include "pipeline/stages/completeness.h"
#include "pipeline/stages/letters.h"
#include "pipeline/stages/ocr.h"
#include "pipeline/stages/page_analysis.h"
#include "postmottak/office.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

constexpr const char* kCase = "2026-000900";

TEST(LetterTest, ARequestLetterNamesWhatIsMissingAndEndsWithTheCasesCoverSheet) {
  test::TempDir dir;
  auto office = Office::Open(test::SampleOfficeOptions(dir / "store"));
  ASSERT_TRUE(office.ok()) << office.status().ToString();
  auto kari = (*office)->Begin("user:kari", "case handling");
  ASSERT_TRUE(kari.ok());
  NewCase nc = test::MakeNewCase(kCase, test::PersonId(900), "AAP", "0301");
  nc.person_name = "Kari Testesen";
  auto c = kari->RegisterCase(nc);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  // The application from the citizen, the medical certificate from the doctor.
  ASSERT_EQ(c->letters.size(), 2u);
  const LetterRecord* to_doctor = nullptr;
  for (const auto& l : c->letters)
    if (l.recipient == "doctor") to_doctor = &l;
  ASSERT_NE(to_doctor, nullptr);
  EXPECT_EQ(to_doctor->documents, std::vector<std::string>{"medical_certificate"});

  auto pdf = kari->LetterPdf(to_doctor->id);
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  auto again = kari->LetterPdf(to_doctor->id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *pdf) << "the stored letter prints the same every time";
  test::WriteFile(dir / "letter.pdf", *pdf);
  auto source = PageSource::Open(dir / "letter.pdf");
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  ASSERT_EQ((*source)->page_count(), 2) << "the letter, then its cover sheet";

  // Page 1, read as a recipient would: what is missing, by when, for whom.
  auto letter_page = (*source)->ReadPage(0);
  ASSERT_TRUE(letter_page.ok());
  auto ocr = OcrEngine::Create({});
  ASSERT_TRUE(ocr.ok());
  auto text = (*ocr)->Recognize(*letter_page);
  ASSERT_TRUE(text.ok());
  for (const std::string& expected :
       {std::string("Legeerklæring"), std::string("Kari Testesen"),
        std::string("Saksnummer: ") + kCase, BokmalDate(to_doctor->answer_by),
        std::string("om arbeidsavklaringspenger")})
    EXPECT_NE(text->text.find(expected), std::string::npos) << expected << " in\n" << text->text;
  EXPECT_EQ(text->text.find("Søknad"), std::string::npos) << "the citizen's letter asks for that";
  EXPECT_EQ(text->text.find(test::PersonId(900)), std::string::npos) << "masked person id";

  // Page 2: a cover sheet whose barcode leads to this case.
  auto cover_page = (*source)->ReadPage(1);
  ASSERT_TRUE(cover_page.ok());
  const PageAnalysis analysis = AnalyzePage(*cover_page);
  ASSERT_EQ(analysis.kind, PageKind::kCoverSheet) << analysis.barcode_error;
  EXPECT_EQ(analysis.cover_id, to_doctor->cover_id);
  auto sheet = kari->ReprintCoverSheet(analysis.cover_id);
  ASSERT_TRUE(sheet.ok());
  EXPECT_EQ(sheet->case_id, kCase);
  EXPECT_EQ(sheet->expected, std::vector<std::string>{"medical_certificate"});

  // Need to know, and an unknown letter.
  auto ola = (*office)->Begin("user:ola", "case handling");
  EXPECT_TRUE(ola->LetterPdf(to_doctor->id).status().IsPermissionDenied());
  EXPECT_TRUE(kari->LetterPdf(std::string(kCase) + "-L9").status().IsNotFound());
  EXPECT_EQ(kari->LetterPdf("no-letter").status().code(), Status::Code::kInvalidArgument);
}

class FollowUpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_.path());
    CaseService s = test::ServiceFor(store_.get(), test::Tester());
    ASSERT_TRUE(s.AddCase(test::MakeNewCase(kCase, test::PersonId(900), "AAP", "0301")).ok());
    registered_ = store_->Get<Case>(kCase)->created_at;
  }
  // The follow-up job as the scheduled intake service runs it, `days` after registering.
  FollowUpReport RunAt(int days) {
    CaseService job = test::ServiceFor(store_.get(), test::As("service:intake"));
    const std::string now = AddDays(registered_, days);
    job.SetClock([now] { return now; });
    auto report = job.FollowUp();
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : FollowUpReport{};
  }
  Task TaskOf(const std::string& id) { return *store_->Get<Task>(id); }
  // A document of `type` arrives and is linked by hand.
  void Arrives(const std::string& id, const std::string& type) {
    {
      Change change = store_->BeginChange(test::Tester(), "test");
      Document d;
      d.id = id;
      d.type = type;
      d.received_at = NowUtc();
      change.Put(d);
      ASSERT_TRUE(change.Commit().ok());
    }
    CaseService s = test::ServiceFor(store_.get(), test::Tester());
    ASSERT_TRUE(s.LinkDocument(id, kCase).ok());
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::string registered_;
};

TEST_F(FollowUpTest, AnUnansweredRequestIsRemindedThenEscalatedAndAnswersCloseIt) {
  // The citizen answers at once; the doctor does not.
  Arrives("doc-application", "application");
  const std::string missing = MissingTaskId(kCase, "medical_certificate");
  const std::string request = TaskOf(missing).letter_id;
  ASSERT_FALSE(request.empty());

  // Within the 14 days of the rules: nothing.
  FollowUpReport r = RunAt(14);
  EXPECT_TRUE(r.reminders.empty());
  EXPECT_TRUE(r.escalated.empty());
  EXPECT_EQ(r.cases, 1);

  // Day 15: a reminder to the doctor alone, behind the same cover sheet.
  r = RunAt(15);
  ASSERT_EQ(r.reminders.size(), 1u);
  EXPECT_TRUE(r.escalated.empty());
  Case c = *store_->Get<Case>(kCase);
  const Letter& reminder = c.letters.back();
  EXPECT_EQ(reminder.id, r.reminders[0]);
  EXPECT_EQ(reminder.kind, "reminder");
  EXPECT_EQ(reminder.recipient, "doctor");
  EXPECT_EQ(reminder.documents, std::vector<std::string>{"medical_certificate"});
  EXPECT_EQ(reminder.answer_by, AddDays(registered_, 15 + 14).substr(0, 10));
  EXPECT_EQ(reminder.cover_id, TaskOf(missing).cover_id);
  EXPECT_EQ(TaskOf(missing).letter_id, reminder.id);
  EXPECT_NE(reminder.id, request);

  // Running it again the same day, or before the reminder's date, changes nothing.
  EXPECT_TRUE(RunAt(15).reminders.empty());
  r = RunAt(29);
  EXPECT_TRUE(r.reminders.empty());
  EXPECT_TRUE(r.escalated.empty());

  // Past the reminder's date: the unit decides on what the case holds.
  r = RunAt(30);
  ASSERT_EQ(r.escalated.size(), 1u);
  const Task as_is = TaskOf(AsItStandsTaskId(kCase));
  EXPECT_EQ(as_is.kind, TaskKind::kDecideAsItStands);
  EXPECT_EQ(as_is.status, TaskStatus::kOpen);
  EXPECT_EQ(as_is.unit, "0301");
  EXPECT_NE(as_is.reason.find("Legeerklæring"), std::string::npos) << as_is.reason;
  EXPECT_TRUE(RunAt(31).escalated.empty()) << "escalated once";
  EXPECT_EQ(store_->Get<Case>(kCase)->letters.size(), 3u) << "two requests and one reminder";

  // Every step on the trail: the letters written and the escalation.
  int letters = 0, escalations = 0;
  for (const auto& e : store_->ListEvents()) {
    letters += e.action == "write_letter";
    escalations += e.action == "escalate";
  }
  EXPECT_EQ(letters, 3);
  EXPECT_EQ(escalations, 1);

  // The certificate comes after all: the case is complete, the escalation closes.
  Arrives("doc-certificate", "medical_certificate");
  EXPECT_EQ(store_->Get<Case>(kCase)->status, CaseStatus::kReadyForDecision);
  EXPECT_EQ(TaskOf(AsItStandsTaskId(kCase)).status, TaskStatus::kClosed);
  EXPECT_EQ(RunAt(60).cases, 0) << "nothing waits any more";
}

TEST_F(FollowUpTest, OnlyTheFollowUpServiceRunsIt) {
  CaseService kari = test::ServiceFor(store_.get(), test::As("user:kari"));
  EXPECT_TRUE(kari.FollowUp().status().IsPermissionDenied());
}

}  // namespace
}  // namespace postmottak

#include "pipeline/stages/completeness.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "pipeline/services/case_service.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class CompletenessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_.path());
    service_ = std::make_unique<CaseService>(test::ServiceFor(store_.get(), test::Tester()));
    ASSERT_TRUE(
        service_->AddCase(test::MakeNewCase("2026-000001", test::PersonId(1), "SYK", "4402")).ok());
  }
  // An unlinked document of a type, as intake would leave it.
  std::string Arrive(const std::string& id, const std::string& type) {
    Change change = store_->BeginChange(test::Tester(), "test");
    Document d;
    d.id = id;
    d.type = type;
    change.Put(d);
    EXPECT_TRUE(change.Commit().ok());
    return id;
  }
  Task TaskOf(const std::string& id) { return *store_->Get<Task>(id); }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CaseService> service_;
};

TEST_F(CompletenessTest, NewCaseAwaitsEverythingWithALetterToEachSender) {
  auto c = store_->Get<Case>("2026-000001");
  EXPECT_EQ(c->status, CaseStatus::kAwaitingDocumentation);
  Task sick = TaskOf(MissingTaskId(c->id, "sick_note"));
  Task income = TaskOf(MissingTaskId(c->id, "income_statement"));
  EXPECT_EQ(sick.status, TaskStatus::kOpen);
  EXPECT_EQ(sick.awaited_from, "doctor");
  EXPECT_EQ(income.awaited_from, "employer");
  EXPECT_EQ(sick.unit, "4402");
  // The doctor and the employer each get a letter, each with a cover sheet of its own.
  ASSERT_EQ(c->letters.size(), 2u);
  EXPECT_NE(sick.cover_id, income.cover_id);
  EXPECT_NE(sick.letter_id, income.letter_id);
  for (const Task& t : {sick, income}) {
    const auto letter = std::find_if(c->letters.begin(), c->letters.end(),
                                     [&](const Letter& l) { return l.id == t.letter_id; });
    ASSERT_NE(letter, c->letters.end());
    EXPECT_EQ(letter->kind, "request");
    EXPECT_EQ(letter->recipient, t.awaited_from);
    EXPECT_EQ(letter->documents, std::vector<std::string>{t.document_type});
    EXPECT_EQ(letter->cover_id, t.cover_id);
    EXPECT_EQ(letter->answer_by, AddDays(c->created_at, 14).substr(0, 10));
    auto sheet = store_->Get<CoverSheet>(t.cover_id);
    ASSERT_TRUE(sheet.ok());
    EXPECT_EQ(sheet->kind, CoverSheetKind::kFollowUp);
    EXPECT_EQ(sheet->case_id, c->id);
    EXPECT_EQ(sheet->expected, std::vector<std::string>{t.document_type});
  }
  EXPECT_TRUE(store_->Get<Task>(DecisionTaskId(c->id)).status().IsNotFound());
}

TEST_F(CompletenessTest, ArrivalsCloseTasksAndCompleteTheCase) {
  ASSERT_TRUE(service_->LinkDocument(Arrive("doc-a", "sick_note"), "2026-000001").ok());
  EXPECT_EQ(TaskOf(MissingTaskId("2026-000001", "sick_note")).status, TaskStatus::kClosed);
  EXPECT_EQ(TaskOf(MissingTaskId("2026-000001", "income_statement")).status, TaskStatus::kOpen);
  EXPECT_EQ(store_->Get<Case>("2026-000001")->status, CaseStatus::kAwaitingDocumentation);

  ASSERT_TRUE(service_->LinkDocument(Arrive("doc-b", "income_statement"), "2026-000001").ok());
  EXPECT_EQ(store_->Get<Case>("2026-000001")->status, CaseStatus::kReadyForDecision);
  EXPECT_FALSE(store_->Get<Case>("2026-000001")->ready_at.empty()) << "statistics need it";
  Task decide = TaskOf(DecisionTaskId("2026-000001"));
  EXPECT_EQ(decide.status, TaskStatus::kOpen);
  EXPECT_EQ(decide.kind, TaskKind::kReadyForDecision);
  EXPECT_EQ(decide.unit, "4402");
}

TEST_F(CompletenessTest, EvaluatingTwiceChangesNothing) {
  const auto tasks_before = test::All<Task>(*store_).size();
  const auto sheets_before = test::All<CoverSheet>(*store_).size();
  Change change = store_->BeginChange(test::Tester(), "test");
  auto outcome = EvaluateCase(change, test::SampleRules(), "2026-000001");
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->tasks_raised, 0);
  EXPECT_EQ(outcome->tasks_closed, 0);
  EXPECT_TRUE(outcome->letters.empty());
  ASSERT_TRUE(change.Commit().ok());
  EXPECT_EQ(test::All<Task>(*store_).size(), tasks_before);
  EXPECT_EQ(test::All<CoverSheet>(*store_).size(), sheets_before);
}

TEST_F(CompletenessTest, MovingADocumentAwayReopensWhatItHadClosed) {
  ASSERT_TRUE(
      service_->AddCase(test::MakeNewCase("2026-000002", test::PersonId(1), "AAP", "4402")).ok());
  const std::string doc = Arrive("doc-c", "sick_note");
  ASSERT_TRUE(service_->LinkDocument(doc, "2026-000001").ok());
  ASSERT_TRUE(service_->LinkDocument(doc, "2026-000002").ok());
  EXPECT_EQ(TaskOf(MissingTaskId("2026-000001", "sick_note")).status, TaskStatus::kOpen);
}

TEST_F(CompletenessTest, BadCaseRequestsAreRefused) {
  NewCase nc;
  nc.id = "2026-000009";
  nc.person_id = "12345678901";
  nc.area = "AAP";
  nc.unit = "0301";
  auto r = service_->AddCase(nc);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.status().message().find("12345678901"), std::string::npos)
      << "person ids are masked in errors";
  nc.person_id = test::PersonId(9);
  nc.area = "XXX";
  EXPECT_EQ(service_->AddCase(nc).status().code(), Status::Code::kInvalidArgument);
  nc.area = "AAP";
  nc.id = "bad/id";
  EXPECT_EQ(service_->AddCase(nc).status().code(), Status::Code::kInvalidArgument);
  nc.id = "2026-000001";
  EXPECT_EQ(service_->AddCase(nc).status().code(), Status::Code::kAlreadyExists);
  EXPECT_TRUE(service_->LinkDocument("doc-none", "2026-000001").status().IsNotFound());
}

TEST_F(CompletenessTest, TheSameRegistrationAgainAnswersTheExistingCase) {
  const auto tasks_before = test::All<Task>(*store_).size();
  bool again = false;
  NewCase same = test::MakeNewCase("2026-000001", test::PersonId(1), "SYK", "4402");
  same.required = {"sick_note", "income_statement"};
  auto retried = service_->AddCase(same, &again);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_TRUE(again);
  EXPECT_EQ(retried->id, "2026-000001");
  EXPECT_EQ(test::All<Task>(*store_).size(), tasks_before) << "nothing raised twice";
  NewCase other = same;
  other.unit = "0301";
  EXPECT_EQ(service_->AddCase(other, &again).status().code(), Status::Code::kAlreadyExists);
}

}  // namespace
}  // namespace postmottak

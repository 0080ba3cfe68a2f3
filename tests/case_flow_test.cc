// The case flow through the public face. Handover and return: a case moves between
// units with a category the rules allow, its open tasks go with it, the receiving unit
// gets its task, need to know follows the case, and every step is on the audit trail.
// Holding: a caseworker takes a task from the unit's queue, oldest first, and nobody
// else can take it until it is released or finished.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "postmottak/office.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class CaseFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The shipped policy and a second caseworker of the back office 4402.
    auto policy = nlohmann::json::parse(test::ReadFile(POSTMOTTAK_DEFAULT_POLICY));
    policy["principals"].push_back({{"id", "user:ole"},
                                    {"unit", "4402"},
                                    {"domain", "state"},
                                    {"roles", nlohmann::json::array({"caseworker"})}});
    test::WriteFile(dir_ / "policy.json", policy.dump());
    auto office = Office::Open(test::SampleOfficeOptions(dir_ / "store", dir_ / "policy.json"));
    ASSERT_TRUE(office.ok()) << office.status().ToString();
    office_ = std::move(office).value();
    kari_ = Begin("user:kari");  // local office 0301
    ola_ = Begin("user:ola");    // back office 4402
    auto c = kari_->RegisterCase(test::MakeNewCase(kCase, test::PersonId(700), "AAP", "0301"));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_EQ(c->tasks.size(), 2u) << "application and medical certificate missing";
  }
  std::optional<Session> Begin(const std::string& principal) {
    auto s = office_->Begin(principal, "case handling");
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return std::nullopt;
    return std::move(s).value();
  }
  std::vector<TaskRecord> Tasks(Session& s, const std::string& unit) {
    TaskFilter filter;
    filter.unit = unit;
    filter.case_id = kCase;
    auto tasks = s.Tasks(filter);
    EXPECT_TRUE(tasks.ok()) << tasks.status().ToString();
    return tasks.ok() ? *tasks : std::vector<TaskRecord>{};
  }

  static constexpr const char* kCase = "2026-000700";
  test::TempDir dir_;
  std::unique_ptr<Office> office_;
  std::optional<Session> kari_, ola_;
};

TEST_F(CaseFlowTest, ATransferMovesTheCaseItsTasksAndItsNeedToKnow) {
  EXPECT_TRUE(ola_->ReadCase(kCase).status().IsPermissionDenied()) << "not 4402's yet";
  auto moved = kari_->TransferCase(kCase, "4402", "decide", "ready for a decision on AAP");
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->unit, "4402");
  ASSERT_EQ(moved->handovers.size(), 1u);
  const HandoverRecord& h = moved->handovers[0];
  EXPECT_EQ(h.kind, "transfer");
  EXPECT_EQ(h.from, "0301");
  EXPECT_EQ(h.to, "4402");
  EXPECT_EQ(h.category, "decide");
  EXPECT_EQ(h.by, "user:kari");
  // The receiving unit sees the case now, with its unit history, and has the tasks:
  // the two missing-documentation tasks that moved and one of the category.
  auto seen = ola_->ReadCase(kCase);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(seen->handovers.size(), 1u);
  auto tasks = Tasks(*ola_, "4402");
  ASSERT_EQ(tasks.size(), 3u);
  int handover = 0, missing = 0;
  for (const auto& t : tasks) {
    handover += t.kind == "handover" && t.category == "decide" && t.id == h.task_id;
    missing += t.kind == "missing_documentation";
  }
  EXPECT_EQ(handover, 1);
  EXPECT_EQ(missing, 2);
  // The sending unit keeps only what its policy gives it: nothing here.
  EXPECT_TRUE(kari_->ReadCase(kCase).status().IsPermissionDenied());
  auto case_system = Begin("service:case-system");
  EXPECT_TRUE(Tasks(*case_system, "0301").empty()) << "no task left behind";
}

TEST_F(CaseFlowTest, AWrongCategoryOrUnitIsRefusedWithTheValidOnesNamed) {
  auto wrong_area = kari_->TransferCase(kCase, "4402", "no_such_category", "x");
  ASSERT_EQ(wrong_area.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(wrong_area.status().message().find("assess_work_ability"), std::string::npos)
      << wrong_area.status().ToString();
  // "decide" is for deciding units, not a local office: the message names those.
  auto wrong_unit = kari_->TransferCase(kCase, "1103", "decide", "x");
  ASSERT_EQ(wrong_unit.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(wrong_unit.status().message().find("4402"), std::string::npos)
      << wrong_unit.status().ToString();
  EXPECT_EQ(kari_->TransferCase(kCase, "9999", "decide", "x").status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(kari_->TransferCase(kCase, "4402", "decide", " ").status().code(),
            Status::Code::kInvalidArgument)
      << "a reason is required";
  EXPECT_EQ(kari_->ReturnCase(kCase, "contact_citizen", "x").status().code(),
            Status::Code::kFailedPrecondition)
      << "nobody handed it to 0301";
  auto still = kari_->ReadCase(kCase);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->unit, "0301");
  EXPECT_TRUE(still->handovers.empty()) << "a refused handover changes nothing";
}

TEST_F(CaseFlowTest, AReturnGoesBackToTheSenderAndClosesTheSendersHandoverTask) {
  ASSERT_TRUE(kari_->TransferCase(kCase, "4402", "decide", "ready").ok());
  auto back = ola_->ReturnCase(kCase, "gather_documentation", "the medical certificate is missing");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->unit, "0301");
  ASSERT_EQ(back->handovers.size(), 2u);
  EXPECT_EQ(back->handovers[1].kind, "return");
  EXPECT_EQ(back->handovers[1].from, "4402");
  EXPECT_EQ(back->handovers[1].to, "0301");
  auto tasks = Tasks(*kari_, "0301");
  int gather = 0, decide = 0;
  for (const auto& t : tasks) {
    gather += t.category == "gather_documentation";
    decide += t.category == "decide";
  }
  EXPECT_EQ(gather, 1);
  EXPECT_EQ(decide, 0) << "the decide task was 4402's, closed when it handed the case back";
  EXPECT_TRUE(ola_->ReadCase(kCase).status().IsPermissionDenied());
  // A person id typed into a reason is kept masked.
  auto again = kari_->TransferCase(kCase, "4402", "decide", "see " + test::PersonId(700));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->handovers.back().reason.find(test::PersonId(700)), std::string::npos);
}

TEST_F(CaseFlowTest, EveryHandoverIsOnTheAuditTrail) {
  ASSERT_TRUE(kari_->TransferCase(kCase, "4402", "decide", "ready").ok());
  ASSERT_TRUE(ola_->ReturnCase(kCase, "gather_documentation", "more").ok());
  auto auditor = Begin("user:revisor");
  AuditQuery query;
  query.case_id = kCase;
  auto trail = auditor->AuditTrail(query);
  ASSERT_TRUE(trail.ok()) << trail.status().ToString();
  int transfer = 0, back = 0, moved = 0;
  for (const auto& e : *trail) {
    transfer += e.action == "transfer_case" && e.principal == "user:kari";
    back += e.action == "return_case" && e.principal == "user:ola";
    moved += e.action == "move_task";
  }
  EXPECT_EQ(transfer, 1);
  EXPECT_EQ(back, 1);
  EXPECT_EQ(moved, 4) << "two missing-documentation tasks, there and back";
}

TEST_F(CaseFlowTest, ATaskIsTakenOldestFirstHeldByOneAndReleasedOrFinished) {
  ASSERT_TRUE(kari_->TransferCase(kCase, "4402", "decide", "ready").ok());
  // 4402's queue: the two moved missing-documentation tasks and the handover task.
  const auto queue = Tasks(*ola_, "4402");
  ASSERT_EQ(queue.size(), 3u);
  auto first = ola_->TakeNextTask();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  for (const auto& t : queue) EXPECT_LE(first->created_at, t.created_at) << "the oldest first";
  EXPECT_EQ(first->holder, "user:ola");
  EXPECT_FALSE(first->held_since.empty());
  // Another caseworker of 4402 cannot take what ola holds, and is told who holds it.
  auto ole = Begin("user:ole");
  auto clash = ole->TakeTask(first->id);
  ASSERT_TRUE(clash.status().IsFailedPrecondition()) << clash.status().ToString();
  EXPECT_NE(clash.status().message().find("held by user:ola"), std::string::npos);
  auto next = ole->TakeNextTask();
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_NE(next->id, first->id) << "the next one nobody holds";
  TaskFilter mine;
  mine.holder = "user:ola";
  auto own = ola_->Tasks(mine);
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->size(), 1u) << "ola's own list";
  EXPECT_EQ((*own)[0].id, first->id);
  ASSERT_TRUE(ole->ReleaseTask(next->id).ok());
  ASSERT_TRUE(ola_->ReleaseTask(first->id).ok());
  EXPECT_TRUE(ola_->ReleaseTask(first->id).status().IsFailedPrecondition()) << "not held now";
  // A missing-documentation task closes when the document comes, not by hand.
  const std::string missing = "missing-" + std::string(kCase) + "-application";
  ASSERT_TRUE(ola_->TakeTask(missing).ok());
  EXPECT_TRUE(ola_->FinishTask(missing).status().IsFailedPrecondition());
  // The handover task: finishing needs holding it; then it is closed for good.
  const std::string handover = "handover-" + std::string(kCase) + "-1";
  EXPECT_TRUE(ola_->FinishTask(handover).status().IsFailedPrecondition()) << "take it first";
  ASSERT_TRUE(ola_->TakeTask(handover).ok());
  auto done = ola_->FinishTask(handover);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->status, "closed");
  EXPECT_TRUE(ola_->TakeTask(handover).status().IsFailedPrecondition()) << "closed";
  // The sending unit lost need to know with the case: it cannot even take the task.
  EXPECT_TRUE(kari_->TakeTask(missing).status().IsPermissionDenied());
}

TEST_F(CaseFlowTest, TheTimelineShowsIntakeHandoverHoldingAndClosingInOrder) {
  // A medical certificate naming the person arrives by post and is linked by its text.
  std::vector<Image> pages;
  pages.push_back(test::TextPage("Legeerklæring", "Fødselsnummer: " + test::PersonId(700), 300));
  std::filesystem::create_directories(dir_ / "in");
  test::WriteTiff(dir_ / "in/scan.tif", pages);
  auto intake = Begin("service:intake");
  auto summary = intake->Intake({std::string(dir_ / "in")});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->linked_by_text, 1);
  ASSERT_TRUE(kari_->TransferCase(kCase, "4402", "decide", "ready").ok());
  ASSERT_TRUE(ola_->TakeTask("handover-" + std::string(kCase) + "-1").ok());
  ASSERT_TRUE(ola_->CloseCase(kCase).ok());
  auto timeline = ola_->CaseTimeline(kCase);
  ASSERT_TRUE(timeline.ok()) << timeline.status().ToString();
  std::vector<std::string> steps;
  for (const auto& e : *timeline) {
    if (steps.empty() || steps.back() != e.what) steps.push_back(e.what);
    EXPECT_FALSE(e.at.empty());
    EXPECT_EQ(e.detail.find(test::PersonId(700)), std::string::npos) << "no unmasked id";
  }
  // In order, each once at least, with the units that acted.
  const std::vector<std::string> expected = {"registered", "document_journaled", "transferred",
                                             "task_taken", "closed"};
  size_t at = 0;
  for (const auto& step : steps)
    if (at < expected.size() && step == expected[at]) ++at;
  EXPECT_EQ(at, expected.size()) << "steps out of order or missing";
  for (const auto& e : *timeline) {
    if (e.what == "registered") {
      EXPECT_EQ(e.unit, "0301");
    } else if (e.what == "document_journaled") {
      EXPECT_EQ(e.by, "service:intake");
    } else if (e.what == "task_taken") {
      EXPECT_EQ(e.by, "user:ola");
    }
    EXPECT_NE(e.what, "read") << "reads are not steps";
  }
  EXPECT_TRUE(kari_->CaseTimeline(kCase).status().IsPermissionDenied()) << "need to know";
}

TEST_F(CaseFlowTest, TheStatusViewSaysWhereACaseIsWithoutItsContent) {
  ASSERT_TRUE(kari_->TransferCase(kCase, "4402", "decide", "ready for a decision").ok());
  ASSERT_TRUE(ola_->TakeTask("handover-" + std::string(kCase) + "-1").ok());
  auto contact = Begin("user:kontakt");  // the contact centre: status only
  EXPECT_TRUE(contact->ReadCase(kCase).status().IsPermissionDenied()) << "no content for it";
  auto status = contact->CaseStatus(test::PersonId(700));
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  ASSERT_EQ(status->size(), 1u);
  const CaseStatusRecord& r = (*status)[0];
  EXPECT_EQ(r.case_id, kCase);
  EXPECT_EQ(r.unit, "4402");
  EXPECT_EQ(r.unit_name, "Ytelsesenhet Sør");
  EXPECT_EQ(r.holders, std::vector<std::string>{"user:ola"});
  EXPECT_EQ(r.awaiting_from.at("citizen"), 1);
  EXPECT_EQ(r.awaiting_from.at("doctor"), 1);
  EXPECT_FALSE(r.awaiting_since.empty());
  EXPECT_FALSE(r.since.empty());
  // Nothing of the content: no document type, title, text, name or person id.
  std::string shown =
      r.case_id + r.area + r.unit + r.unit_name + r.status + r.since + r.awaiting_since + r.due;
  for (const auto& h : r.holders) shown += h;
  for (const auto& [party, n] : r.awaiting_from) shown += party;
  for (const char* secret :
       {"application", "medical_certificate", "Søknad", "Legeerklæring", "ready for a decision"})
    EXPECT_EQ(shown.find(secret), std::string::npos) << secret;
  EXPECT_EQ(shown.find(test::PersonId(700)), std::string::npos);
  // The same by case id; and audited, concerning the person.
  ASSERT_TRUE(contact->CaseStatus(kCase).ok());
  auto auditor = Begin("user:revisor");
  AuditQuery query;
  query.principal = "user:kontakt";
  auto trail = auditor->AuditTrail(query);
  ASSERT_TRUE(trail.ok());
  int reads = 0;
  for (const auto& e : *trail) reads += e.action == "read_status" && e.case_id == kCase;
  EXPECT_EQ(reads, 2);
  // The state/municipal divide holds: a municipal caseworker is told nothing.
  auto mari = Begin("user:mari");
  auto municipal = mari->CaseStatus(test::PersonId(700));
  ASSERT_TRUE(municipal.ok());
  EXPECT_TRUE(municipal->empty());
  EXPECT_TRUE(mari->CaseStatus(kCase).status().IsPermissionDenied());
}

TEST_F(CaseFlowTest, AnIssuedCoverSheetIsPrintedAgainTheSame) {
  auto issued = kari_->IssueCoverSheet(kCase);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  auto again = kari_->ReprintCoverSheet(issued->id);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->id, issued->id);
  EXPECT_EQ(again->case_id, kCase);
  EXPECT_EQ(again->expected, issued->expected);
  EXPECT_EQ(again->pdf, issued->pdf) << "the same sheet, the same barcode";
  EXPECT_TRUE(ola_->ReprintCoverSheet(issued->id).status().IsPermissionDenied()) << "need to know";
  EXPECT_TRUE(kari_->ReprintCoverSheet("000000000999").status().IsNotFound());
}

}  // namespace
}  // namespace postmottak

// Manual journaling: the candidate cases of a document intake left for a person, with
// their evidence; the journaling basis that lets the intake unit place mail on a case it
// may not read; handing a document on to another unit; the queues read in windows.
#include <gtest/gtest.h>

#include <algorithm>

#include "pipeline/services/case_service.h"
#include "pipeline/stages/completeness.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class JournalingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_.path());
    // Person 1 has an AAP case in 0301 and a DAG case in 4402; person 2 a municipal case.
    Add("case-kari", test::PersonId(1), "AAP", "0301", "user:kari");
    Add("case-ola", test::PersonId(1), "DAG", "4402", "user:ola");
    Add("case-sos", test::PersonId(2), "SOS", "0301", "user:mari");
    // A medical certificate naming person 1 and, in passing, the DAG case's number,
    // waiting in the intake unit's journaling queue.
    Change change = store_->BeginChange(test::Tester(), "test");
    Document d;
    d.id = "doc-loose";
    d.type = "medical_certificate";
    d.text = "Legeerklæring for " + test::PersonId(1) + ", jf. sak case-ola";
    d.person_ids = {test::PersonId(1)};
    d.case_numbers = {"case-ola"};
    d.link_evidence = "person id and document type match 2 open cases";
    test::PutAwaitingJournaling(change, d, "4817", "2026-11-30T08:00:00Z");
    ASSERT_TRUE(change.Commit().ok());
  }

  void Add(const std::string& id, const std::string& person, const std::string& area,
           const std::string& unit, const std::string& as) {
    test::AddCase(store_.get(), id, person, area, unit, as);
  }

  CaseService As(const std::string& principal) {
    return test::ServiceFor(store_.get(), test::As(principal));
  }

  int Count(const std::string& principal, const std::string& action) {
    int n = 0;
    for (const auto& e : store_->ListEvents()) n += e.principal == principal && e.action == action;
    return n;
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

using Words = std::vector<std::string>;

TEST_F(JournalingTest, TheCandidatesComeWithTheirEvidenceStrongestFirstAndEachIsAudited) {
  CaseService per = As("user:per");
  auto found = per.SuggestLinks("doc-loose", "");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->document_type, "medical_certificate");
  EXPECT_EQ(found->person_ids, Words({MaskPersonId(test::PersonId(1))}));
  EXPECT_EQ(found->case_numbers, Words({"case-ola"}));
  EXPECT_EQ(found->reason, "person id and document type match 2 open cases");
  ASSERT_EQ(found->candidates.size(), 2u);
  // A case number named in the text outweighs the area's fit.
  const CaseCandidate& first = found->candidates[0];
  EXPECT_EQ(first.case_id, "case-ola");
  EXPECT_EQ(first.evidence, Words({"case_number", "person"}));
  EXPECT_EQ(first.unit, "4402");
  const CaseCandidate& second = found->candidates[1];
  EXPECT_EQ(second.case_id, "case-kari");
  EXPECT_EQ(second.evidence, Words({"person", "awaits_type", "type_fits_area"}));
  EXPECT_EQ(second.person_id, MaskPersonId(test::PersonId(1)));
  EXPECT_NE(std::find(second.awaits.begin(), second.awaits.end(), "medical_certificate"),
            second.awaits.end());
  EXPECT_EQ(Count("user:per", "list_candidate"), 2);
  // Yet the intake unit reads neither case.
  EXPECT_TRUE(per.ReadCase("case-kari").status().IsPermissionDenied());
}

TEST_F(JournalingTest, APersonLookedUpAddsTheirCasesOfTheDomainOnlyAndIsAudited) {
  CaseService per = As("user:per");
  // Person 2's only case is municipal: the state intake unit is shown nothing of it.
  auto found = per.SuggestLinks("doc-loose", test::PersonId(2));
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  for (const auto& c : found->candidates) EXPECT_NE(c.case_id, "case-sos");
  const std::string pseudonym = store_->PersonPseudonym(test::PersonId(2));
  int lookups = 0;
  for (const auto& e : store_->ListEvents())
    lookups += e.action == "search_person" && e.person == pseudonym && e.principal == "user:per";
  EXPECT_EQ(lookups, 1);
  // Person 1 typed: both cases carry it.
  found = per.SuggestLinks("doc-loose", test::PersonId(1));
  ASSERT_TRUE(found.ok());
  for (const auto& c : found->candidates)
    EXPECT_NE(std::find(c.evidence.begin(), c.evidence.end(), "person_typed"), c.evidence.end());
  auto bad = per.SuggestLinks("doc-loose", "12345678901");
  EXPECT_TRUE(bad.status().code() == Status::Code::kInvalidArgument) << bad.status().ToString();
  EXPECT_EQ(bad.status().message().find("12345678901"), std::string::npos) << "masked";
}

TEST_F(JournalingTest, OnlyTheUnitWhoseQueueHoldsTheDocumentSeesItsCandidates) {
  auto kari = As("user:kari").SuggestLinks("doc-loose", "");
  EXPECT_TRUE(kari.status().IsPermissionDenied()) << kari.status().ToString();
  // An auditor lacks link_documents.
  EXPECT_TRUE(As("user:revisor").SuggestLinks("doc-loose", "").status().IsPermissionDenied());
  EXPECT_TRUE(As("user:per").SuggestLinks("no-such", "").status().IsNotFound());
}

TEST_F(JournalingTest, TheJournalingBasisLinksToAnOpenCaseOfTheDomainAndTheChecklistCounts) {
  CaseService per = As("user:per");
  EXPECT_TRUE(per.LinkDocument("doc-loose", "case-sos").status().IsPermissionDenied());
  auto linked = per.LinkDocument("doc-loose", "case-kari");
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  EXPECT_EQ(linked->linked_by, LinkMethod::kManual);
  bool basis_audited = false;
  for (const auto& e : store_->ListEvents())
    basis_audited |= e.action == "link_document" &&
                     e.detail.find("journaling document doc-loose") != std::string::npos;
  EXPECT_TRUE(basis_audited);
  // The case's checklist counts it, and its journaling task is closed.
  auto c = As("user:kari").ReadCase("case-kari");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(
      std::count(c->checklist.missing.begin(), c->checklist.missing.end(), "medical_certificate"),
      0);
  auto t = store_->Get<Task>(JournalingTaskId("doc-loose"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->status, TaskStatus::kClosed);
  // Placed, the document is the case's: the intake unit no longer sees it, and the
  // basis does not reach a document already journaled.
  EXPECT_TRUE(per.ReadDocument("doc-loose").status().IsPermissionDenied());
  EXPECT_TRUE(per.LinkDocument("doc-loose", "case-ola").status().IsPermissionDenied());
}

TEST_F(JournalingTest, ADocumentHandedOnWaitsInTheOtherUnitsQueue) {
  CaseService per = As("user:per");
  EXPECT_TRUE(per.HandOnDocument("doc-loose", "9999", "unknown unit").status().code() ==
              Status::Code::kInvalidArgument);
  EXPECT_TRUE(per.HandOnDocument("doc-loose", "4402", "").status().code() ==
              Status::Code::kInvalidArgument);
  EXPECT_TRUE(per.HandOnDocument("doc-loose", "4817", "here").status().IsFailedPrecondition());
  auto moved = per.HandOnDocument("doc-loose", "4402", "a DAG matter: the case number is theirs");
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->unit, "4402");
  EXPECT_NE(moved->reason.find("handed on from unit 4817 by user:per"), std::string::npos);
  EXPECT_EQ(Count("user:per", "hand_on_document"), 1);
  EXPECT_TRUE(per.ReadDocument("doc-loose").status().IsPermissionDenied());
  CaseService ola = As("user:ola");
  auto queue = ola.ListDocuments(true);
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].id, "doc-loose");
  auto linked = ola.LinkDocument("doc-loose", "case-ola");
  EXPECT_TRUE(linked.ok()) << linked.status().ToString();
}

TEST_F(JournalingTest, QueuesAreReadInWindowsAndOnlyTheWindowIsAuditedAsRead) {
  {
    Change change = store_->BeginChange(test::Tester(), "test");
    for (int i = 0; i < 30; ++i) {
      Document d;
      d.id = "doc-q" + std::to_string(100 + i);
      d.type = "unknown";
      test::PutAwaitingJournaling(change, d, "4817",
                                  "2026-11-30T09:" + std::to_string(10 + i) + ":00Z");
    }
    ASSERT_TRUE(change.Commit().ok());
  }
  CaseService per = As("user:per");
  const int audited_before = Count("user:per", "list_task");
  int total = 0;
  TaskFilter filter;
  filter.unit = "4817";
  filter.kind = "manual_journaling";
  auto window = per.ListTasks(filter, {10, 5}, &total);
  ASSERT_TRUE(window.ok());
  EXPECT_EQ(total, 31);
  ASSERT_EQ(window->size(), 5u);
  // Oldest first: doc-loose (08:00), then doc-q100 (09:10) ...
  EXPECT_EQ((*window)[0].document_id, "doc-q109");
  EXPECT_EQ(Count("user:per", "list_task") - audited_before, 5);
  filter.kind = "handover";
  EXPECT_TRUE(per.ListTasks(filter, {}, &total)->empty());
  EXPECT_EQ(total, 0);
  auto docs = per.ListDocuments(true, {30, 50}, &total);
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(total, 31);
  EXPECT_EQ(docs->size(), 1u);
}

TEST_F(JournalingTest, TheQueueIsWorkedOldestFirstWhateverTheIds) {
  {
    Change change = store_->BeginChange(test::Tester(), "test");
    Document newer, older;
    newer.id = "doc-a-newer";
    newer.received_at = "2026-11-30T12:00:00Z";
    older.id = "doc-z-older";
    older.received_at = "2026-11-29T12:00:00Z";
    test::PutAwaitingJournaling(change, newer, "4817");
    test::PutAwaitingJournaling(change, older, "4817");
    ASSERT_TRUE(change.Commit().ok());
  }
  auto queue = As("user:per").ListDocuments(true);
  ASSERT_TRUE(queue.ok());
  std::vector<std::string> ids;
  for (const auto& d : *queue) ids.push_back(d.id);
  // doc-loose has no time of receipt (made by the test): it sorts first.
  EXPECT_EQ(ids, Words({"doc-loose", "doc-z-older", "doc-a-newer"}));
}

}  // namespace
}  // namespace postmottak

// Statistics over time, as a unit's leader reads them: received per day, the backlog
// apart from what waits for documentation, overdue cases, and the days from a case's
// first document to ready for decision, each case with the unit that had it then.
#include "pipeline/services/statistics.h"

#include <gtest/gtest.h>

#include "storage/store.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class StatisticsTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = test::OpenStore(dir_.path()); }
  // Records as the case flow leaves them, with the times set by the test.
  void Put(const Case& c) {
    Change change = store_->BeginChange(test::Tester(), "test");
    change.Put(c);
    ASSERT_TRUE(change.Commit().ok());
  }
  void Received(const std::string& id, const std::string& case_id, const std::string& at) {
    Change change = store_->BeginChange(test::Tester(), "test");
    Document d;
    d.id = id;
    d.type = "application";
    d.case_id = case_id;
    d.received_at = at;
    d.text = "Søknad om arbeidsavklaringspenger";
    change.Put(d);
    ASSERT_TRUE(change.Commit().ok());
  }
  void Awaiting(const std::string& case_id, const std::string& unit, const std::string& from,
                const std::string& opened, const std::string& closed = "") {
    Change change = store_->BeginChange(test::Tester(), "test");
    Task t;
    t.id = "missing-" + case_id + "-" + from;
    t.kind = TaskKind::kMissingDocumentation;
    t.status = closed.empty() ? TaskStatus::kOpen : TaskStatus::kClosed;
    t.case_id = case_id;
    t.unit = unit;
    t.awaited_from = from;
    t.created_at = opened;
    t.closed_at = closed;
    change.Put(t);
    ASSERT_TRUE(change.Commit().ok());
  }
  static Case MakeCase(const std::string& id, const std::string& area, const std::string& unit,
                       const std::string& created) {
    Case c;
    c.id = id;
    c.person_id = test::PersonId(1);
    c.area = area;
    c.unit = unit;
    c.created_at = created;
    return c;
  }
  StatisticsReport Report(const std::string& since, const std::string& until) {
    auto r = StatisticsOf(store_.get(), test::SampleRules(), test::Tester(), "test", {since, until},
                          "2026-12-01T12:00:00Z");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : StatisticsReport{};
  }
  static const FlowStatistics* Row(const StatisticsReport& r, const std::string& unit,
                                   const std::string& area) {
    for (const auto& row : r.flow)
      if (row.unit == unit && row.area == area) return &row;
    return nullptr;
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StatisticsTest, APeriodCountsWhatArrivedWhatIsReadyAndHowLongItTook) {
  // Three AAP cases of 0301. A: first document Nov 2, ready Nov 4 (2 days). B: first
  // document Nov 3, ready Nov 13 (10 days), closed Nov 20. C: waits for the doctor.
  Case a = MakeCase("A", "AAP", "0301", "2026-11-01T08:00:00Z");
  a.status = CaseStatus::kReadyForDecision;
  a.ready_at = "2026-11-04T08:00:00Z";
  Put(a);
  Case b = MakeCase("B", "AAP", "0301", "2026-11-01T08:00:00Z");
  b.status = CaseStatus::kClosed;
  b.ready_at = "2026-11-13T08:00:00Z";
  b.closed_at = "2026-11-20T08:00:00Z";
  Put(b);
  Case c = MakeCase("C", "AAP", "0301", "2026-11-01T08:00:00Z");
  c.due = "2026-11-15";
  Put(c);
  Awaiting("C", "0301", "doctor", "2026-11-01T08:00:00Z");
  Received("d1", "A", "2026-11-02T08:00:00Z");
  Received("d2", "B", "2026-11-03T08:00:00Z");
  Received("d3", "A", "2026-11-03T09:00:00Z");
  Received("d4", "", "2026-11-03T10:00:00Z");  // waits for manual journaling

  const StatisticsReport r = Report("2026-11-01", "2026-11-30");
  EXPECT_EQ(r.since, "2026-11-01");
  const FlowStatistics* aap = Row(r, "0301", "AAP");
  ASSERT_NE(aap, nullptr);
  EXPECT_EQ(aap->received, 3);
  EXPECT_EQ(aap->received_per_day.at("2026-11-02"), 1);
  EXPECT_EQ(aap->received_per_day.at("2026-11-03"), 2);
  EXPECT_EQ(aap->ready_for_decision, 1) << "A; B was decided and closed";
  EXPECT_EQ(aap->awaiting_documentation, 1);
  EXPECT_EQ(aap->awaiting_from.at("doctor"), 1);
  EXPECT_EQ(aap->overdue, 1) << "C was due Nov 15";
  EXPECT_EQ(aap->became_ready, 2);
  EXPECT_DOUBLE_EQ(aap->median_days_to_ready, 6.0);  // of 2 and 10
  EXPECT_DOUBLE_EQ(aap->p90_days_to_ready, 9.2);
  EXPECT_EQ(aap->closed, 1);
  const FlowStatistics* unlinked = Row(r, "4817", "");
  ASSERT_NE(unlinked, nullptr) << "what waits for journaling counts with the intake unit";
  EXPECT_EQ(unlinked->received, 1);

  // Nov 5 to Nov 10: nothing arrived, nothing became ready; at its end A is the
  // backlog, B was still ready (not yet closed), C waited and was not due yet.
  const StatisticsReport week = Report("2026-11-05", "2026-11-10");
  const FlowStatistics* then = Row(week, "0301", "AAP");
  ASSERT_NE(then, nullptr);
  EXPECT_EQ(then->received, 0);
  EXPECT_EQ(then->became_ready, 0);
  EXPECT_EQ(then->median_days_to_ready, -1);
  EXPECT_EQ(then->ready_for_decision, 1) << "only A: B became ready on Nov 13";
  EXPECT_EQ(then->awaiting_documentation, 2);
  EXPECT_EQ(then->overdue, 0);
  EXPECT_EQ(then->closed, 0);
}

TEST_F(StatisticsTest, ACaseCountsWithTheUnitThatHadItThen) {
  Case c = MakeCase("H", "AAP", "4402", "2026-11-01T08:00:00Z");
  c.status = CaseStatus::kReadyForDecision;
  c.ready_at = "2026-11-10T08:00:00Z";
  HandoverRecord h;
  h.kind = "transfer";
  h.from = "0301";
  h.to = "4402";
  h.at = "2026-11-08T08:00:00Z";
  c.handovers.push_back(h);
  Put(c);
  Received("h1", "H", "2026-11-02T08:00:00Z");  // while the local office had it
  EXPECT_EQ(UnitAt(c, "2026-11-02T08:00:00Z"), "0301");
  EXPECT_EQ(UnitAt(c, "2026-11-09T08:00:00Z"), "4402");
  const StatisticsReport early = Report("2026-11-01", "2026-11-05");
  ASSERT_NE(Row(early, "0301", "AAP"), nullptr);
  EXPECT_EQ(Row(early, "0301", "AAP")->received, 1);
  EXPECT_EQ(Row(early, "0301", "AAP")->awaiting_documentation, 1);
  EXPECT_EQ(Row(early, "4402", "AAP"), nullptr);
  const StatisticsReport late = Report("2026-11-06", "2026-11-30");
  ASSERT_NE(Row(late, "4402", "AAP"), nullptr);
  EXPECT_EQ(Row(late, "4402", "AAP")->ready_for_decision, 1);
  EXPECT_EQ(Row(late, "4402", "AAP")->became_ready, 1);
  EXPECT_DOUBLE_EQ(Row(late, "4402", "AAP")->median_days_to_ready, 8.0);
}

TEST_F(StatisticsTest, BadPeriodsAreRefusedAndTheDefaultIsFourWeeks) {
  for (const auto& [since, until] :
       std::vector<std::pair<std::string, std::string>>{{"2026-11-30", "2026-11-01"},
                                                        {"2026-13-01", ""},
                                                        {"", "yesterday"},
                                                        {"2020-01-01", "2026-01-01"}})
    EXPECT_EQ(StatisticsOf(store_.get(), test::SampleRules(), test::Tester(), "test",
                           {since, until}, "2026-12-01T12:00:00Z")
                  .status()
                  .code(),
              Status::Code::kInvalidArgument)
        << since << " " << until;
  const StatisticsReport r = Report("", "");
  EXPECT_EQ(r.until, "2026-12-01");
  EXPECT_EQ(r.since, "2026-11-04");
}

TEST(QuantileTest, InterpolatesBetweenRanks) {
  std::vector<double> v = {10, 1, 4, 2, 3};
  EXPECT_DOUBLE_EQ(Quantile(v, 0.5), 3);
  EXPECT_DOUBLE_EQ(Quantile(v, 0.9), 7.6);
  std::vector<double> none;
  EXPECT_EQ(Quantile(none, 0.5), -1);
}

}  // namespace
}  // namespace postmottak

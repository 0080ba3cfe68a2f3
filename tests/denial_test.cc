// Every entry point that checks a role refuses a principal without it, and the refusal
// is an audit entry: "denied", by that principal, naming what it lacked. A refusal that
// leaves no trace would let someone probe the system unseen.
#include <gtest/gtest.h>

#include <ctime>
#include <functional>

#include "pipeline/intake/intake.h"
#include "pipeline/services/case_service.h"
#include "pipeline/services/quarantine.h"
#include "pipeline/services/reconcile.h"
#include "pipeline/services/reindex.h"
#include "pipeline/services/retention.h"
#include "pipeline/services/statistics.h"
#include "storage/audit.h"
#include "storage/verify.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class DenialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_ / "store");
    auto c = test::ServiceFor(store_.get(), test::Tester())
                 .AddCase(test::MakeNewCase("2026-000501", test::PersonId(501), "AAP", "0301"));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    auto nobody = test::SamplePolicy().MakePrincipal("user:nobody", "4817", Domain::kState, {});
    ASSERT_TRUE(nobody.ok());
    nobody_ = *nobody;
  }
  // The denied entries by user:nobody so far.
  std::vector<Event> Denials() {
    AuditQuery query;
    query.principal = nobody_.id;
    auto trail = ReadAuditTrail(store_.get(), test::Tester(), "test", query);
    EXPECT_TRUE(trail.ok()) << trail.status().ToString();
    std::vector<Event> out;
    if (trail.ok())
      for (const auto& e : *trail)
        if (e.action == "denied") out.push_back(e);
    return out;
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
  Principal nobody_;
};

TEST_F(DenialTest, EveryEntryPointRefusesWithoutTheRoleAndTheRefusalIsAudited) {
  CaseService nobody = test::ServiceFor(store_.get(), nobody_);
  IntakeOptions intake;
  intake.principal = nobody_;
  ReindexOptions reindex;
  reindex.principal = nobody_;
  RetentionOptions retention;
  retention.principal = nobody_;
  const std::vector<std::pair<std::string, std::function<Status()>>> calls = {
      {"AddCase",
       [&] {
         return nobody.AddCase(test::MakeNewCase("2026-000502", test::PersonId(502), "AAP", "0301"))
             .status();
       }},
      {"IssueCoverSheet",
       [&] {
         CoverSheetRequest r;
         r.case_id = "2026-000501";
         return nobody.IssueCoverSheet(r).status();
       }},
      {"LinkDocument", [&] { return nobody.LinkDocument("doc-x", "2026-000501").status(); }},
      {"CloseCase", [&] { return nobody.CloseCase("2026-000501").status(); }},
      {"GrantAccess",
       [&] {
         return nobody.GrantAccess("2026-000501", "user:kari", "test", "2026-12-31").status();
       }},
      {"RevokeGrant", [&] { return nobody.RevokeGrant("grant-x").status(); }},
      {"ListGrants", [&] { return nobody.ListGrants("").status(); }},
      {"ReadCase", [&] { return nobody.ReadCase("2026-000501").status(); }},
      {"ListDocuments", [&] { return nobody.ListDocuments(false).status(); }},
      {"ListTasks", [&] { return nobody.ListTasks({}).status(); }},
      {"SearchCases", [&] { return nobody.SearchCases(test::PersonId(501)).status(); }},
      {"SearchDocuments", [&] { return nobody.SearchDocuments("legeerklæring").status(); }},
      {"Unmask", [&] { return nobody.Unmask(); }},
      {"RunIntake",
       [&] {
         return RunIntake(store_.get(), test::SampleRules(), {dir_ / "in"}, intake).status();
       }},
      {"Reindex", [&] { return Reindex(store_.get(), test::SampleRules(), reindex).status(); }},
      {"RunRetention",
       [&] { return RunRetention(store_.get(), test::SamplePolicy(), retention).status(); }},
      {"RetryQuarantined",
       [&] {
         return RetryQuarantined(store_.get(), test::SampleRules(), "q-x", "", intake).status();
       }},
      {"ReleaseQuarantined",
       [&] {
         return ReleaseQuarantined(store_.get(), test::SampleRules(), "q-x", "gone", nobody_)
             .status();
       }},
      {"Reconcile",
       [&] { return Reconcile(store_.get(), nobody_, "test", "no-such-batch").status(); }},
      {"VerifyStore", [&] { return VerifyStore(store_.get(), false, nobody_).status(); }},
      {"CheckAuditTrail", [&] { return CheckAuditTrail(store_.get(), nobody_, {}).status(); }},
      {"ReadAuditTrail",
       [&] { return ReadAuditTrail(store_.get(), nobody_, "test", {}).status(); }},
      {"StatisticsOf",
       [&] {
         return StatisticsOf(store_.get(), test::SampleRules(), nobody_, "test", {}, NowUtc())
             .status();
       }},
  };
  size_t before = Denials().size();
  for (const auto& [name, call] : calls) {
    const Status refused = call();
    EXPECT_TRUE(refused.IsPermissionDenied()) << name << ": " << refused.ToString();
    const auto denials = Denials();
    ASSERT_EQ(denials.size(), before + 1) << name << " left no denied entry";
    EXPECT_EQ(denials.back().principal, nobody_.id) << name;
    EXPECT_FALSE(denials.back().detail.empty()) << name << ": the entry says why";
    before = denials.size();
  }
}

TEST_F(DenialTest, APrincipalThatCannotActAtAllIsRefusedWithoutAnEntryInItsName) {
  Principal none;  // no id, no unit: there is no one to record
  RetentionOptions retention;
  retention.principal = none;
  const Status refused = RunRetention(store_.get(), test::SamplePolicy(), retention).status();
  EXPECT_TRUE(refused.IsPermissionDenied()) << refused.ToString();
  EXPECT_NE(refused.message().find("no valid principal"), std::string::npos);
}

}  // namespace
}  // namespace postmottak

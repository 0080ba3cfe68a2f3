// Every call of the public face (postmottak/office.h) refuses a principal without the
// permission it needs, and the refusal is in the audit trail, found as an auditor finds
// it: through a session of its own. The list of calls is checked against the header, so
// a call added to Session without a denial case here fails this test.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "postmottak/office.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

using Call = std::function<Status(Session&)>;

// The calls Session declares in the installed header, by name.
std::set<std::string> DeclaredCalls() {
  std::ifstream in(POSTMOTTAK_PUBLIC_INCLUDE "/postmottak/office.h");
  std::stringstream text;
  text << in.rdbuf();
  const std::string header = text.str();
  const size_t begin = header.find("class Session {");
  const size_t end = header.find(" private:", begin);
  const std::string body = header.substr(begin, end - begin);
  std::set<std::string> names;
  static const std::regex declaration(R"((?:Result<.*>|Status)\s+([A-Z]\w*)\()");
  for (std::sregex_iterator it(body.begin(), body.end(), declaration), last; it != last; ++it)
    names.insert((*it)[1]);
  return names;
}

class SessionDenialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The shipped policy and one principal more, of the intake unit, with no role.
    auto policy = nlohmann::json::parse(test::ReadFile(POSTMOTTAK_DEFAULT_POLICY));
    policy["principals"].push_back({{"id", "user:nobody"},
                                    {"unit", "4817"},
                                    {"domain", "state"},
                                    {"roles", nlohmann::json::array()}});
    test::WriteFile(dir_ / "policy.json", policy.dump());
    auto office = Office::Open(test::SampleOfficeOptions(dir_ / "store", dir_ / "policy.json"));
    ASSERT_TRUE(office.ok()) << office.status().ToString();
    office_ = std::move(office).value();
    auto kari = office_->Begin("user:kari", "case handling");
    ASSERT_TRUE(kari.ok());
    ASSERT_TRUE(
        kari->RegisterCase(test::MakeNewCase("2026-000901", test::PersonId(901), "AAP", "0301"))
            .ok());
  }

  // The denied entries by user:nobody, as the auditor reads them.
  std::vector<AuditEntryRecord> Denials() {
    auto auditor = office_->Begin("user:revisor", "audit of refusals");
    EXPECT_TRUE(auditor.ok());
    AuditQuery query;
    query.principal = "user:nobody";
    auto trail = auditor->AuditTrail(query);
    EXPECT_TRUE(trail.ok()) << trail.status().ToString();
    std::vector<AuditEntryRecord> out;
    if (trail.ok())
      for (const auto& e : *trail)
        if (e.action == "denied") out.push_back(e);
    return out;
  }

  test::TempDir dir_;
  std::unique_ptr<Office> office_;
};

TEST_F(SessionDenialTest, EveryCallRefusesWithoutThePermissionAndTheRefusalIsAudited) {
  const std::string case_id = "2026-000901";
  const std::vector<std::pair<std::string, Call>> calls = {
      {"Unmask", [](Session& s) { return s.Unmask(); }},
      {"RegisterCase",
       [](Session& s) {
         return s.RegisterCase(test::MakeNewCase("2026-000902", test::PersonId(902), "AAP", "4817"))
             .status();
       }},
      {"ReadCase", [&](Session& s) { return s.ReadCase(case_id).status(); }},
      {"CloseCase", [&](Session& s) { return s.CloseCase(case_id).status(); }},
      {"TransferCase",
       [&](Session& s) { return s.TransferCase(case_id, "4402", "decide", "ready").status(); }},
      {"ReturnCase",
       [&](Session& s) { return s.ReturnCase(case_id, "gather_documentation", "more").status(); }},
      {"CaseTimeline", [&](Session& s) { return s.CaseTimeline(case_id).status(); }},
      {"CaseStatus", [](Session& s) { return s.CaseStatus(test::PersonId(901)).status(); }},
      {"CasesOfPerson", [](Session& s) { return s.CasesOfPerson(test::PersonId(901)).status(); }},
      {"IssueCoverSheet", [&](Session& s) { return s.IssueCoverSheet(case_id).status(); }},
      {"IssueCoverSheet",
       [](Session& s) {
         CoverSheetOrder order;
         order.kind = "application";
         order.person_id = test::PersonId(903);
         order.area = "AAP";
         return s.IssueCoverSheet(order).status();
       }},
      {"ReprintCoverSheet",
       [](Session& s) { return s.ReprintCoverSheet("000000000013").status(); }},
      {"LetterPdf", [&](Session& s) { return s.LetterPdf(case_id + "-L1").status(); }},
      {"FollowUp", [](Session& s) { return s.FollowUp().status(); }},
      {"Intake", [&](Session& s) { return s.Intake({dir_ / "no-scans"}).status(); }},
      {"Documents", [](Session& s) { return s.Documents().status(); }},
      {"ManualQueue", [](Session& s) { return s.ManualQueue().status(); }},
      {"SearchDocuments", [](Session& s) { return s.SearchDocuments("legeerklæring").status(); }},
      {"ReadDocument", [](Session& s) { return s.ReadDocument("doc-x").status(); }},
      {"DocumentPdf", [](Session& s) { return s.DocumentPdf("doc-x").status(); }},
      {"PageImage", [](Session& s) { return s.PageImage("doc-x", 1).status(); }},
      {"Link", [&](Session& s) { return s.Link("doc-x", case_id).status(); }},
      {"LinkAlso", [&](Session& s) { return s.LinkAlso("doc-x", case_id).status(); }},
      {"SuggestLinks", [](Session& s) { return s.SuggestLinks("doc-x").status(); }},
      {"HandOnDocument",
       [](Session& s) { return s.HandOnDocument("doc-x", "4402", "not ours").status(); }},
      {"Tasks", [](Session& s) { return s.Tasks({}).status(); }},
      {"OpenTasks", [](Session& s) { return s.OpenTasks("0301").status(); }},
      {"TakeTask",
       [](Session& s) { return s.TakeTask("missing-2026-000901-application").status(); }},
      {"TakeNextTask", [](Session& s) { return s.TakeNextTask().status(); }},
      {"ReleaseTask",
       [](Session& s) { return s.ReleaseTask("missing-2026-000901-application").status(); }},
      {"FinishTask",
       [](Session& s) { return s.FinishTask("missing-2026-000901-application").status(); }},
      {"Statistics", [](Session& s) { return s.Statistics().status(); }},
      {"Batches", [](Session& s) { return s.Batches().status(); }},
      {"Reconcile", [](Session& s) { return s.Reconcile("no-such-batch").status(); }},
      {"ReconcileVendor",
       [this](Session& s) {
         test::WriteFile(dir_ / "vendor-list.txt", "skan-0001.pdf\n");
         return s.ReconcileVendor(dir_ / "vendor-list.txt").status();
       }},
      {"DepositNoark5",
       [this](Session& s) {
         DepositOptions o;
         o.out_dir = dir_ / "deposit";
         o.schemas_dir = dir_.path();
         return s.DepositNoark5(o).status();
       }},
      {"ReconcileVendorDay",
       [this](Session& s) { return s.ReconcileVendorDay("2026-11-30", dir_.path()).status(); }},
      {"Quarantine", [](Session& s) { return s.Quarantine().status(); }},
      {"ReadQuarantined", [](Session& s) { return s.ReadQuarantined("q-x").status(); }},
      {"QuarantinedBytes", [](Session& s) { return s.QuarantinedBytes("q-x").status(); }},
      {"RetryQuarantined", [](Session& s) { return s.RetryQuarantined("q-x").status(); }},
      {"ReleaseQuarantined",
       [](Session& s) { return s.ReleaseQuarantined("q-x", "by hand").status(); }},
      {"Verify", [](Session& s) { return s.Verify().status(); }},
      {"Reindex", [](Session& s) { return s.Reindex().status(); }},
      {"Retention", [](Session& s) { return s.Retention(true).status(); }},
      {"AuditTrail", [](Session& s) { return s.AuditTrail({}).status(); }},
      {"VerifyAuditTrail", [](Session& s) { return s.VerifyAuditTrail().status(); }},
      {"GrantAccess",
       [&](Session& s) {
         return s.GrantAccess(case_id, "user:ola", "second opinion", "2026-12-31").status();
       }},
      {"RevokeGrant", [](Session& s) { return s.RevokeGrant("grant-1").status(); }},
      {"Grants", [](Session& s) { return s.Grants().status(); }},
  };
  std::set<std::string> covered;
  for (const auto& [name, call] : calls) covered.insert(name);
  for (const auto& name : DeclaredCalls())
    EXPECT_TRUE(covered.count(name)) << "Session::" << name << " has no denial case here";

  auto nobody = office_->Begin("user:nobody", "probing");
  ASSERT_TRUE(nobody.ok()) << nobody.status().ToString();
  size_t before = Denials().size();
  for (const auto& [name, call] : calls) {
    const Status refused = call(*nobody);
    EXPECT_TRUE(refused.IsPermissionDenied()) << name << ": " << refused.ToString();
    const auto denials = Denials();
    ASSERT_EQ(denials.size(), before + 1) << name << " left no denied entry";
    EXPECT_EQ(denials.back().purpose, "probing") << name;
    EXPECT_FALSE(denials.back().detail.empty()) << name << ": the entry says why";
    before = denials.size();
  }
}

}  // namespace
}  // namespace postmottak

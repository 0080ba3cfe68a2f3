// The access model: each rule of need to know, the state/municipal divide, grants and
// their expiry, the intake service that writes but cannot browse, lists and searches
// that hold nothing beyond what the principal may see, denials and unmasking audited.
#include "pipeline/services/access.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "pipeline/services/case_service.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

Case MakeCase(const std::string& id, const std::string& area, const std::string& unit) {
  Case c;
  c.id = id;
  c.area = area;
  c.unit = unit;
  c.person_id = test::PersonId(1);
  return c;
}

Grant MakeGrant(const std::string& case_id, const std::string& principal,
                const std::string& expires) {
  Grant g;
  g.id = "grant-1";
  g.case_id = case_id;
  g.principal = principal;
  g.purpose = "child welfare cooperation";
  g.expires = expires;
  return g;
}

const char kNow[] = "2026-11-23T12:00:00Z";

// ---- the policy's rules, one by one ------------------------------------------------

TEST(PolicyTest, OwnUnitSeesItsCasesAndNoOtherUnits) {
  const Policy& p = test::SamplePolicy();
  EXPECT_TRUE(p.SeeCase(test::As("user:kari"), MakeCase("c1", "AAP", "0301"), {}, kNow).allowed);
  AccessDecision other = p.SeeCase(test::As("user:kari"), MakeCase("c2", "AAP", "4402"), {}, kNow);
  EXPECT_FALSE(other.allowed);
  EXPECT_NE(other.basis.find("no need to know"), std::string::npos) << other.basis;
}

TEST(PolicyTest, AnOpenTaskInTheUnitGivesNeedToKnowAClosedOneDoesNot) {
  const Policy& p = test::SamplePolicy();
  const Case c = MakeCase("c1", "AAP", "4402");
  CaseFacts facts;
  facts.open_task_units = {"0301"};
  AccessDecision d = p.SeeCase(test::As("user:kari"), c, facts, kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.basis, "open task in unit 0301");
  EXPECT_FALSE(p.SeeCase(test::As("user:kari"), c, {}, kNow).allowed);
}

TEST(PolicyTest, AnAreaRuleGivesItsRoleTheAreaInItsUnitsOnly) {
  const Policy& p = test::SamplePolicy();  // caseworkers of 4488 handle SYK and FOR
  EXPECT_TRUE(p.SeeCase(test::As("user:nils"), MakeCase("c", "SYK", "0301"), {}, kNow).allowed);
  EXPECT_FALSE(p.SeeCase(test::As("user:nils"), MakeCase("c", "AAP", "0301"), {}, kNow).allowed);
  EXPECT_FALSE(p.SeeCase(test::As("user:kari"), MakeCase("c", "SYK", "4402"), {}, kNow).allowed);
}

TEST(PolicyTest, MunicipalCasesAreForTheMunicipalDomainOnly) {
  const Policy& p = test::SamplePolicy();
  const Case sos = MakeCase("s", "SOS", "0301");
  // Same unit, same role: the domain still divides them.
  AccessDecision state = p.SeeCase(test::As("user:kari"), sos, {}, kNow);
  EXPECT_FALSE(state.allowed);
  EXPECT_NE(state.basis.find("municipal domain"), std::string::npos) << state.basis;
  EXPECT_TRUE(p.SeeCase(test::As("user:mari"), sos, {}, kNow).allowed);
  // Nor does an open task or seeing every unit cross it.
  CaseFacts facts;
  facts.open_task_units = {"0301"};
  EXPECT_FALSE(p.SeeCase(test::As("user:kari"), sos, facts, kNow).allowed);
  EXPECT_FALSE(p.SeeCase(test::As("service:case-system"), sos, {}, kNow).allowed);
  // And the other way: municipal staff do not see state cases of their unit.
  EXPECT_FALSE(p.SeeCase(test::As("user:mari"), MakeCase("a", "AAP", "0301"), {}, kNow).allowed);
}

TEST(PolicyTest, AGrantCrossesTheDivideForItsPrincipalUntilItExpires) {
  const Policy& p = test::SamplePolicy();
  const Case sos = MakeCase("s", "SOS", "0301");
  CaseFacts facts;
  facts.grants = {MakeGrant("s", "user:kari", "2026-11-30T23:59:59Z")};
  AccessDecision d = p.SeeCase(test::As("user:kari"), sos, facts, kNow);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.grant_id, "grant-1");
  EXPECT_FALSE(p.SeeCase(test::As("user:kari"), sos, facts, "2026-12-01T00:00:00Z").allowed)
      << "expired";
  EXPECT_FALSE(p.SeeCase(test::As("user:ola"), sos, facts, kNow).allowed) << "someone else";
  facts.grants[0].revoked_at = "2026-11-22T10:00:00Z";
  EXPECT_FALSE(p.SeeCase(test::As("user:kari"), sos, facts, kNow).allowed) << "revoked";
  facts.grants = {MakeGrant("other-case", "user:kari", "2026-11-30T23:59:59Z")};
  EXPECT_FALSE(p.SeeCase(test::As("user:kari"), sos, facts, kNow).allowed) << "another case";
}

TEST(PolicyTest, RolesWithoutReadCasesSeeNothingWhateverTheUnit) {
  const Policy& p = test::SamplePolicy();
  for (const char* id : {"service:intake", "user:arkiv", "user:revisor", "user:leder"}) {
    const Principal who = test::As(id);
    EXPECT_FALSE(p.SeeCase(who, MakeCase("c", "AAP", who.unit), {}, kNow).allowed) << id;
    EXPECT_FALSE(p.SeeUncased(who, {who.unit}).allowed) << id;
  }
  EXPECT_FALSE(p.SeeCase(Principal{}, MakeCase("c", "AAP", "0301"), {}, kNow).allowed);
}

TEST(PolicyTest, WhatHasNoCaseIsSeenByTheUnitHoldingItsTask) {
  const Policy& p = test::SamplePolicy();
  EXPECT_TRUE(p.SeeUncased(test::As("user:per"), {"4817"}).allowed);
  EXPECT_FALSE(p.SeeUncased(test::As("user:kari"), {"4817"}).allowed);
  EXPECT_FALSE(p.SeeUncased(test::As("user:per"), {}).allowed);
}

TEST(PolicyTest, TheJournalingBasisNeedsLinkDocumentsAndStaysInTheDomain) {
  const Policy& p = test::SamplePolicy();
  const AccessDecision per = p.JournalCase(test::As("user:per"), MakeCase("c", "AAP", "0301"), "d");
  EXPECT_TRUE(per.allowed);
  EXPECT_EQ(per.basis, "journaling document d from a queue it works");
  EXPECT_FALSE(p.JournalCase(test::As("user:per"), MakeCase("s", "SOS", "0301"), "d").allowed);
  EXPECT_FALSE(p.JournalCase(test::As("user:revisor"), MakeCase("c", "AAP", "0301"), "d").allowed);
}

TEST(PolicyTest, BadConfigurationIsRefusedWithTheFieldNamed) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"roles": {"x": ["fly"]}})", "unknown permission 'fly'"},
      {R"({"principals": [{"id": "u:a", "unit": "0301", "domain": "state", "roles": ["nope"]}]})",
       "unknown role 'nope'"},
      {R"({"principals": [{"id": "u:a", "unit": "31", "domain": "state", "roles": []}]})",
       "must be 4 digits"},
      {R"({"principals": [{"id": "u:a", "unit": "0301", "domain": "county", "roles": []}]})",
       "domain must be state or municipal"},
      {R"({"principals": [{"id": "u:a", "unit": "0301", "domain": "state", "roles": []},
                          {"id": "u:a", "unit": "0302", "domain": "state", "roles": []}]})",
       "listed twice"},
      {R"({"principals": [{"id": "no spaces", "unit": "0301", "domain": "state"}]})",
       "principal id"},
      {R"({"retention_days": {"SYK": -1}})", "retention_days.SYK"},
      {R"({"area_rules": [{"role": "ghost", "areas": ["SYK"]}]})", "unknown role 'ghost'"},
      {R"({"municipal_areas": "SOS"})", "municipal_areas"},
      {R"([1, 2])", "JSON object"},
      {R"({"roles": )", "not valid JSON"},
  };
  for (const auto& [text, expected] : cases) {
    auto p = Policy::Parse(text, "policy.json");
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_NE(p.status().message().find(expected), std::string::npos)
        << text << " -> " << p.status().message();
    EXPECT_NE(p.status().message().find("policy.json"), std::string::npos);
  }
  EXPECT_FALSE(test::SamplePolicy().Resolve("user:nobody").ok());
}

// ---- the case service with a real store ---------------------------------------------

class CaseAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_.path());
    // Cases of two state units and one municipal case, two of them one person's.
    Add("case-kari", test::PersonId(1), "AAP", "0301", "user:kari");
    Add("case-ola", test::PersonId(1), "DAG", "4402", "user:ola");
    Add("case-sos", test::PersonId(2), "SOS", "0301", "user:mari");
    // A document on each, and one waiting for manual journaling in the intake unit.
    Change change = store_->BeginChange(test::Tester(), "test");
    for (const char* c : {"case-kari", "case-ola", "case-sos"})
      change.Put(MakeDocument(std::string("doc-") + c, c, "legeerklæring for " + std::string(c)));
    test::PutAwaitingJournaling(change, MakeDocument("doc-loose", "", "legeerklæring uten sak"),
                                "4817");
    ASSERT_TRUE(change.Commit().ok());
  }

  void Add(const std::string& id, const std::string& person, const std::string& area,
           const std::string& unit, const std::string& as) {
    test::AddCase(store_.get(), id, person, area, unit, as);
  }

  static Document MakeDocument(const std::string& id, const std::string& case_id,
                               const std::string& text) {
    Document d;
    d.id = id;
    d.type = "medical_certificate";
    d.case_id = case_id;
    d.text = text + " " + test::PersonId(1);
    d.person_ids = {test::PersonId(1)};
    return d;
  }

  // Audit entries by `principal` with `action`.
  int Count(const std::string& principal, const std::string& action) {
    int n = 0;
    for (const auto& e : store_->ListEvents()) n += e.principal == principal && e.action == action;
    return n;
  }

  template <typename T>
  static std::vector<std::string> Ids(const std::vector<T>& v) {
    std::vector<std::string> ids;
    for (const auto& x : v) ids.push_back(x.id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(CaseAccessTest, ADenialIsAClearErrorAndIsItselfAudited) {
  CaseService kari = test::ServiceFor(store_.get(), test::As("user:kari"));
  auto own = kari.ReadCase("case-kari");
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->basis, "own unit 0301");
  auto other = kari.ReadCase("case-ola");
  ASSERT_FALSE(other.ok());
  EXPECT_TRUE(other.status().IsPermissionDenied());
  EXPECT_NE(other.status().message().find("user:kari may not see case/case-ola"), std::string::npos)
      << other.status().message();
  EXPECT_EQ(Count("user:kari", "read_case"), 1);
  EXPECT_EQ(Count("user:kari", "denied"), 1);
  EXPECT_FALSE(kari.ReadDocument("doc-case-ola").ok());
  EXPECT_FALSE(kari.ReadDocumentPdf("doc-case-sos").ok());
  EXPECT_EQ(Count("user:kari", "denied"), 3);
}

TEST_F(CaseAccessTest, TheIntakeServiceWritesButCannotBrowse) {
  CaseService intake = test::ServiceFor(store_.get(), test::As("service:intake"));
  EXPECT_TRUE(intake.ReadCase("case-kari").status().IsPermissionDenied());
  EXPECT_TRUE(intake.ReadDocument("doc-loose").status().IsPermissionDenied());
  EXPECT_TRUE(intake.ListDocuments(false).status().IsPermissionDenied());
  EXPECT_TRUE(intake.ListTasks({}).status().IsPermissionDenied());
  EXPECT_TRUE(intake.SearchCases(test::PersonId(1)).status().IsPermissionDenied());
  EXPECT_TRUE(intake.SearchDocuments("legeerklæring").status().IsPermissionDenied());
  EXPECT_TRUE(intake.AddCase(test::MakeNewCase("x", test::PersonId(3), "AAP", "0301"))
                  .status()
                  .IsPermissionDenied());
}

TEST_F(CaseAccessTest, ListsAndSearchesHoldOnlyWhatThePrincipalMaySee) {
  CaseService kari = test::ServiceFor(store_.get(), test::As("user:kari"));
  CaseService mari = test::ServiceFor(store_.get(), test::As("user:mari"));
  CaseService per = test::ServiceFor(store_.get(), test::As("user:per"));
  CaseService system = test::ServiceFor(store_.get(), test::As("service:case-system"));
  using V = std::vector<std::string>;

  EXPECT_EQ(Ids(*kari.ListDocuments(false)), V({"doc-case-kari"}));
  EXPECT_EQ(Ids(*mari.ListDocuments(false)), V({"doc-case-sos"}));
  EXPECT_EQ(Ids(*per.ListDocuments(false)), V({"doc-loose"}));
  EXPECT_EQ(Ids(*per.ListDocuments(true)), V({"doc-loose"}));
  EXPECT_TRUE(kari.ListDocuments(true)->empty());
  EXPECT_EQ(Ids(*system.ListDocuments(false)), V({"doc-case-kari", "doc-case-ola", "doc-loose"}))
      << "every unit, but not across the domain";

  // Every document matches the words; each sees only their own.
  EXPECT_EQ(Ids(*kari.SearchDocuments("LEGEERKLÆRING for")), V({"doc-case-kari"}));
  EXPECT_EQ(Ids(*mari.SearchDocuments("legeerklæring")), V({"doc-case-sos"}));
  EXPECT_TRUE(kari.SearchDocuments("case-ola")->empty()) << "no probing by content";

  // Person 1 has cases in 0301 and 4402.
  EXPECT_EQ(Ids(*kari.SearchCases(test::PersonId(1))), V({"case-kari"}));
  EXPECT_EQ(
      Ids(*test::ServiceFor(store_.get(), test::As("user:ola")).SearchCases(test::PersonId(1))),
      V({"case-ola"}));
  EXPECT_TRUE(kari.SearchCases(test::PersonId(2))->empty()) << "the municipal case";
  EXPECT_EQ(Ids(*mari.SearchCases(test::PersonId(2))), V({"case-sos"}));

  // Tasks: missing documentation of each case, and the journaling task in 4817.
  auto kari_tasks = kari.ListTasks({});
  ASSERT_TRUE(kari_tasks.ok());
  EXPECT_FALSE(kari_tasks->empty());
  for (const auto& t : *kari_tasks) EXPECT_EQ(t.case_id, "case-kari") << t.id;
  auto mari_tasks = mari.ListTasks({});
  ASSERT_TRUE(mari_tasks.ok());
  for (const auto& t : *mari_tasks) EXPECT_EQ(t.case_id, "case-sos") << t.id;
  EXPECT_TRUE(kari.ListTasks({"4402", "", "", "", false, false})->empty())
      << "another unit's queue";
  EXPECT_EQ(Ids(*per.ListTasks({})), V({JournalingTaskId("doc-loose")}));

  // Person ids come back masked.
  auto kari_docs = kari.ListDocuments(false);
  ASSERT_TRUE(kari_docs.ok());
  for (const auto& d : *kari_docs) {
    EXPECT_EQ(d.text.find(test::PersonId(1)), std::string::npos);
    EXPECT_EQ(d.person_ids, V({MaskPersonId(test::PersonId(1))}));
  }
  // Each search concerns the person searched for, found or not.
  const std::string pseudonym = store_->PersonPseudonym(test::PersonId(2));
  int searches = 0;
  for (const auto& e : store_->ListEvents())
    searches += e.action == "search_person" && e.person == pseudonym;
  EXPECT_EQ(searches, 2);
}

TEST_F(CaseAccessTest, WritesNeedToKnowAndTheirDomainToo) {
  CaseService kari = test::ServiceFor(store_.get(), test::As("user:kari"));
  // A state caseworker registers no municipal case, links nothing to one, closes none.
  auto sos = kari.AddCase(test::MakeNewCase("case-sos-2", test::PersonId(3), "SOS", "0301"));
  EXPECT_TRUE(sos.status().IsPermissionDenied()) << sos.status().ToString();
  EXPECT_TRUE(kari.CloseCase("case-sos").status().IsPermissionDenied());
  EXPECT_TRUE(kari.CloseCase("case-ola").status().IsPermissionDenied());
  CoverSheetRequest req;
  req.case_id = "case-ola";
  EXPECT_TRUE(kari.IssueCoverSheet(req).status().IsPermissionDenied());
  // The journaling unit sees the loose document but not kari's case; it links it by the
  // journaling basis (journaling_test.cc), never across the divide.
  CaseService per = test::ServiceFor(store_.get(), test::As("user:per"));
  EXPECT_TRUE(per.ReadCase("case-kari").status().IsPermissionDenied());
  EXPECT_TRUE(per.LinkDocument("doc-loose", "case-sos").status().IsPermissionDenied());
  auto linked = per.LinkDocument("doc-loose", "case-kari");
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  EXPECT_EQ(linked->linked_actor, "user:per");
  auto closed = kari.CloseCase("case-kari");
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, CaseStatus::kClosed);
  EXPECT_FALSE(closed->closed_at.empty());
  for (const auto& t : test::All<Task>(*store_)) {
    if (t.case_id == "case-kari") {
      EXPECT_EQ(t.status, TaskStatus::kClosed) << t.id;
    }
  }
}

TEST_F(CaseAccessTest, GrantsAreAuditedExpireAndCanBeRevoked) {
  CaseService leder = test::ServiceFor(store_.get(), test::As("user:leder"));
  leder.SetClock([] { return std::string(kNow); });
  CaseService kari = test::ServiceFor(store_.get(), test::As("user:kari"));
  kari.SetClock([] { return std::string(kNow); });
  ASSERT_FALSE(kari.ReadCase("case-sos").ok());

  // What a grant must name.
  EXPECT_FALSE(leder.GrantAccess("case-sos", "user:kari", " ", "2026-11-30").ok()) << "purpose";
  EXPECT_FALSE(leder.GrantAccess("case-sos", "user:kari", "x", "2026-11-01").ok()) << "past";
  EXPECT_FALSE(leder.GrantAccess("case-sos", "user:kari", "x", "2028-01-01").ok()) << "> 1 year";
  EXPECT_FALSE(leder.GrantAccess("case-sos", "user:ghost", "x", "2026-11-30").ok()) << "who";
  EXPECT_TRUE(leder.GrantAccess("case-none", "user:kari", "x", "2026-11-30").status().IsNotFound());
  EXPECT_TRUE(
      kari.GrantAccess("case-sos", "user:kari", "x", "2026-11-30").status().IsPermissionDenied())
      << "no one grants themself";

  auto g = leder.GrantAccess("case-sos", "user:kari", "child welfare cooperation", "2026-11-30");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(Count("user:leder", "grant_access"), 1);
  auto seen = kari.ReadCase("case-sos");
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_NE(seen->basis.find(g->id), std::string::npos);
  bool read_via_grant = false;
  for (const auto& e : store_->ListEvents())
    read_via_grant |= e.action == "read_case" && e.principal == "user:kari" &&
                      e.case_id == "case-sos" && e.detail.find(g->id) != std::string::npos;
  EXPECT_TRUE(read_via_grant);
  EXPECT_FALSE(test::ServiceFor(store_.get(), test::As("user:ola")).ReadCase("case-sos").ok());

  kari.SetClock([] { return std::string("2026-12-01T00:00:00Z"); });
  EXPECT_TRUE(kari.ReadCase("case-sos").status().IsPermissionDenied()) << "expired";
  kari.SetClock([] { return std::string(kNow); });
  ASSERT_TRUE(leder.RevokeGrant(g->id).ok());
  EXPECT_TRUE(kari.ReadCase("case-sos").status().IsPermissionDenied()) << "revoked";
  EXPECT_EQ(Count("user:leder", "revoke_grant"), 1);
  EXPECT_EQ(leder.ListGrants("case-sos")->size(), 1u) << "grants are kept";
}

TEST_F(CaseAccessTest, UnmaskingNeedsItsPermissionAndIsAudited) {
  CaseService kari = test::ServiceFor(store_.get(), test::As("user:kari"));
  EXPECT_EQ(kari.ReadCase("case-kari")->c.person_id, MaskPersonId(test::PersonId(1)));
  ASSERT_TRUE(kari.Unmask().ok());
  EXPECT_EQ(kari.ReadCase("case-kari")->c.person_id, test::PersonId(1));
  EXPECT_EQ(kari.ReadDocument("doc-case-kari")->person_ids[0], test::PersonId(1));
  EXPECT_EQ(Count("user:kari", "unmask_requested"), 1);
  bool noted = false;
  for (const auto& e : store_->ListEvents())
    noted |= e.principal == "user:kari" && e.action == "read_case" &&
             e.detail.find("unmasked") != std::string::npos;
  EXPECT_TRUE(noted);

  CaseService system = test::ServiceFor(store_.get(), test::As("service:case-system"));
  EXPECT_TRUE(system.Unmask().IsPermissionDenied());
  EXPECT_EQ(Count("service:case-system", "denied"), 1);
  EXPECT_EQ(system.ReadCase("case-kari")->c.person_id, MaskPersonId(test::PersonId(1)));
}

TEST_F(CaseAccessTest, NoAuditEntryHoldsAnUnmaskedPersonId) {
  CaseService kari = test::ServiceFor(store_.get(), test::As("user:kari"));
  ASSERT_TRUE(kari.Unmask().ok());
  EXPECT_TRUE(kari.SearchCases(test::PersonId(1)).ok());
  EXPECT_TRUE(kari.SearchDocuments(test::PersonId(1)).ok());
  EXPECT_TRUE(kari.ReadCase("case-kari").ok());
  std::string all;
  ASSERT_TRUE(store_
                  ->ForEach(Family::kEvents, "",
                            [&all](const std::string&, const std::string& v) {
                              all += v;
                              return true;
                            })
                  .ok());
  ASSERT_FALSE(all.empty());
  for (int n : {1, 2}) EXPECT_EQ(all.find(test::PersonId(n)), std::string::npos);
}

}  // namespace
}  // namespace postmottak

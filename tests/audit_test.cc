// The audit trail cannot be rewritten unnoticed; `audit show` answers by case, person and
// principal; retention deletes what passed its period and keeps the trail and a
// tombstone.
#include "storage/audit.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "codecs/sha256.h"
#include "pipeline/services/retention.h"
#include "storage/verify.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

using nlohmann::json;

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_ / "store");
    CaseService system = test::ServiceFor(store_.get(), test::As("service:case-system"));
    ASSERT_TRUE(system.AddCase(test::MakeNewCase("case-a", test::PersonId(1), "SYK", "0301")).ok());
    ASSERT_TRUE(system.AddCase(test::MakeNewCase("case-b", test::PersonId(2), "AAP", "4402")).ok());
    CaseService kari = test::ServiceFor(store_.get(), test::As("user:kari"));
    ASSERT_TRUE(kari.ReadCase("case-a").ok());
    ASSERT_FALSE(kari.ReadCase("case-b").ok());
    ASSERT_TRUE(test::ServiceFor(store_.get(), test::As("user:ola")).ReadCase("case-b").ok());
  }

  AuditCheck Check(const std::vector<AuditAnchor>& anchors = {}) {
    if (!store_) store_ = test::OpenStore(dir_ / "store");
    auto check = VerifyAuditTrail(*store_, anchors);
    EXPECT_TRUE(check.ok());
    return *check;
  }
  // Closes the store and changes one key of it from outside the library.
  void Tamper(Family family, const std::string& key, const std::optional<std::string>& value) {
    store_.reset();
    test::RawWrite(dir_ / "store", family, key, value);
  }
  std::string Raw(uint64_t seq) {
    std::string out;
    EXPECT_TRUE(store_
                    ->ForEach(Family::kEvents, EventKey(seq),
                              [&out](const std::string&, const std::string& v) {
                                out = v;
                                return false;
                              })
                    .ok());
    return out;
  }
  // All problems, for a failure message: none is "(no problems)", never an index past the end.
  static std::string Problems(const AuditCheck& c) {
    std::string out;
    for (const auto& p : c.problems) out += "\n  " + p;
    return out.empty() ? "(no problems)" : out;
  }
  static bool Mentions(const AuditCheck& c, const std::string& text) {
    for (const auto& p : c.problems)
      if (p.find(text) != std::string::npos) return true;
    return false;
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(AuditTest, AnUntouchedTrailIsIntactAndChained) {
  AuditCheck c = Check();
  EXPECT_TRUE(c.ok()) << Problems(c);
  EXPECT_GT(c.entries, 5u);
  EXPECT_EQ(c.head_seq, c.entries);
  auto events = store_->ListEvents();
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].hash, EventHash(events[i]));
    EXPECT_EQ(events[i].prev, i ? events[i - 1].hash : std::string(kAuditGenesis));
    EXPECT_FALSE(events[i].principal.empty());
    EXPECT_FALSE(events[i].purpose.empty());
  }
  auto through = CheckAuditTrail(store_.get(), test::As("user:revisor"), {});
  ASSERT_TRUE(through.ok());
  EXPECT_TRUE(through->ok());
  EXPECT_TRUE(
      CheckAuditTrail(store_.get(), test::As("user:kari"), {}).status().IsPermissionDenied());
}

TEST_F(AuditTest, AnAlteredEntryIsFound) {
  json e = json::parse(Raw(3));
  e["principal"] = "user:someone-else";
  Tamper(Family::kEvents, EventKey(3), e.dump());
  AuditCheck c = Check();
  EXPECT_FALSE(c.ok());
  EXPECT_TRUE(Mentions(c, "entry 3 does not match its hash")) << Problems(c);
}

TEST_F(AuditTest, AnAlteredEntryWithAFreshHashBreaksTheNextLink) {
  Event e = json::parse(Raw(4)).get<Event>();
  e.detail = "nothing to see";
  e.hash = EventHash(e);
  Tamper(Family::kEvents, EventKey(4), json(e).dump());
  AuditCheck c = Check();
  EXPECT_TRUE(Mentions(c, "entry 5 does not follow the entry before it")) << Problems(c);
}

TEST_F(AuditTest, ARemovedEntryIsFound) {
  Tamper(Family::kEvents, EventKey(2), std::nullopt);
  AuditCheck c = Check();
  EXPECT_TRUE(Mentions(c, "entry 2 is missing")) << Problems(c);
}

TEST_F(AuditTest, EntriesRemovedFromTheEndAreFound) {
  const uint64_t last = Check().head_seq;
  Tamper(Family::kEvents, EventKey(last), std::nullopt);
  AuditCheck c = Check();
  EXPECT_TRUE(Mentions(c, "entries at the end were removed")) << Problems(c);
}

TEST_F(AuditTest, AWholeRewrittenChainIsFoundByAnAnchor) {
  const AuditCheck before = Check();
  const AuditAnchor anchor{before.head_seq, before.head_hash};
  // Someone with write access removes kari's denial and re-chains everything after it.
  auto events = store_->ListEvents();
  store_.reset();
  std::vector<Event> kept;
  for (const auto& e : events)
    if (!(e.principal == "user:kari" && e.action == "denied")) kept.push_back(e);
  ASSERT_EQ(kept.size() + 1, events.size());
  std::string prev = kAuditGenesis;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i < kept.size()) {
      Event e = kept[i];
      e.seq = i + 1;
      e.prev = prev;
      e.hash = EventHash(e);
      prev = e.hash;
      test::RawWrite(dir_ / "store", Family::kEvents, EventKey(e.seq), json(e).dump());
    } else {
      test::RawWrite(dir_ / "store", Family::kEvents, EventKey(i + 1), std::nullopt);
    }
  }
  test::RawWrite(dir_ / "store", Family::kMeta, "audit/head",
                 json{{"seq", kept.size()}, {"hash", prev}}.dump());
  EXPECT_TRUE(Check().ok()) << "a consistent rewrite passes the chain alone";
  AuditCheck c = Check({anchor});
  EXPECT_FALSE(c.ok());
  EXPECT_TRUE(Mentions(c, "anchored")) << Problems(c);
  EXPECT_TRUE(ParseAuditAnchor(std::to_string(anchor.seq) + ":" + anchor.hash).ok());
  EXPECT_FALSE(ParseAuditAnchor("12:xyz").ok());
}

TEST_F(AuditTest, TheCommandLineFindsTheTamperingToo) {
  json e = json::parse(Raw(3));
  e["action"] = "nothing";
  Tamper(Family::kEvents, EventKey(3), e.dump());
  std::string out;
  EXPECT_EQ(test::Run(std::string(POSTMOTTAK_CLI) + " --db " + dir_ / "store" +
                          " --principal user:revisor audit verify",
                      &out),
            5);
  EXPECT_NE(out.find("entry 3 does not match its hash"), std::string::npos) << out;
  EXPECT_NE(out.find("tampered"), std::string::npos);
}

TEST_F(AuditTest, ShowAnswersByPersonCaseAndPrincipalAndIsAuditedItself) {
  const Principal revisor = test::As("user:revisor");
  auto about_person =
      ReadAuditTrail(store_.get(), revisor, "citizen request", {"", test::PersonId(1), ""});
  ASSERT_TRUE(about_person.ok());
  bool kari_read = false;
  for (const auto& e : *about_person) {
    EXPECT_EQ(e.case_id, "case-a") << e.action;  // person 1 has only case-a
    kari_read |= e.principal == "user:kari" && e.action == "read_case";
  }
  EXPECT_TRUE(kari_read) << "the citizen learns that user:kari looked";
  auto by_kari = ReadAuditTrail(store_.get(), revisor, "review", {"", "", "user:kari"});
  ASSERT_TRUE(by_kari.ok());
  ASSERT_FALSE(by_kari->empty());
  bool denial = false;
  for (const auto& e : *by_kari) {
    EXPECT_EQ(e.principal, "user:kari");
    denial |= e.action == "denied" && e.case_id == "case-b";
  }
  EXPECT_TRUE(denial);
  auto on_b = ReadAuditTrail(store_.get(), revisor, "review", {"case-b", "", ""});
  ASSERT_TRUE(on_b.ok());
  for (const auto& e : *on_b) EXPECT_EQ(e.case_id, "case-b");
  // The auditor's own reading is on the trail, concerning the person asked about.
  auto again = ReadAuditTrail(store_.get(), revisor, "check", {"", test::PersonId(1), ""});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->back().action, "audit_read");
  EXPECT_EQ(again->back().principal, "user:revisor");
  EXPECT_TRUE(
      ReadAuditTrail(store_.get(), test::As("user:kari"), "x", {}).status().IsPermissionDenied());
}

TEST_F(AuditTest, RetentionDeletesWhatPassedItsPeriodAndKeepsTrailAndTombstone) {
  // Documents and tasks on case-a, via a generated page stored as intake would.
  {
    Change change = store_->BeginChange(test::Tester(), "test");
    Document d;
    d.id = "doc-a";
    d.type = "sick_note";
    d.case_id = "case-a";
    StoredPage page;
    page.blob_key = "doc/doc-a/page/1";
    page.format = "jpeg";
    page.sha256 = Sha256Hex("page one");
    page.source_page = 1;
    d.pages = {page};
    d.content_hash = "abc";
    change.PutBlob("doc/doc-a/page/1", "page one");
    change.Put(d);
    ASSERT_TRUE(change.Commit().ok());
  }
  auto policy = Policy::Parse(R"({"retention_days": {"SYK": 0, "AAP": 3650}})", "test policy");
  ASSERT_TRUE(policy.ok());
  CaseService kari = test::ServiceFor(store_.get(), test::As("user:kari"));
  CaseService ola = test::ServiceFor(store_.get(), test::As("user:ola"));
  ASSERT_TRUE(kari.CloseCase("case-a").ok());
  ASSERT_TRUE(ola.CloseCase("case-b").ok());  // closed, but AAP keeps ten years

  RetentionOptions options;
  options.principal = test::As("user:kari");
  EXPECT_TRUE(RunRetention(store_.get(), *policy, options).status().IsPermissionDenied());
  options.principal = test::As("user:arkiv");
  options.dry_run = true;
  auto dry = RunRetention(store_.get(), *policy, options);
  ASSERT_TRUE(dry.ok());
  EXPECT_EQ(dry->deleted.size(), 1u);
  EXPECT_TRUE(store_->Get<Document>("doc-a").ok()) << "a dry run deletes nothing";

  const size_t entries_before = store_->ListEvents().size();
  options.dry_run = false;
  auto r = RunRetention(store_.get(), *policy, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->cases_examined, 2);
  EXPECT_EQ(r->cases_kept, 1);
  ASSERT_EQ(r->deleted.size(), 1u);
  EXPECT_EQ(r->documents, 1);
  EXPECT_EQ(r->bytes, 8);
  EXPECT_FALSE(store_->Get<Case>("case-a").ok());
  EXPECT_FALSE(store_->Get<Document>("doc-a").ok());
  EXPECT_FALSE(store_->GetBlob("doc/doc-a/page/1").ok());
  EXPECT_TRUE(store_->ScanIndex("case_task/case-a/").empty());
  EXPECT_TRUE(store_->Get<Case>("case-b").ok());
  auto tomb = store_->Get<Tombstone>("case-a");
  ASSERT_TRUE(tomb.ok());
  EXPECT_EQ(tomb->documents.size(), 1u);
  EXPECT_EQ(tomb->person, store_->PersonPseudonym(test::PersonId(1)));
  EXPECT_EQ(tomb->deleted_by, "user:arkiv");
  EXPECT_FALSE(tomb->tasks.empty());
  EXPECT_FALSE(tomb->cover_sheets.empty()) << "the request letter's cover sheet";
  EXPECT_NE(json(*tomb).dump().find("case-a"), std::string::npos);
  EXPECT_EQ(json(*tomb).dump().find(test::PersonId(1)), std::string::npos);

  // The trail stays whole and still answers the citizen, after their case is gone.
  EXPECT_GT(store_->ListEvents().size(), entries_before);
  EXPECT_TRUE(Check().ok());
  auto about = ReadAuditTrail(store_.get(), test::As("user:revisor"), "citizen request",
                              {"", test::PersonId(1), ""});
  ASSERT_TRUE(about.ok());
  bool read = false, deleted = false;
  for (const auto& e : *about) {
    read |= e.principal == "user:kari" && e.action == "read_case";
    deleted |= e.action == "retention_delete" && e.object == "document/doc-a";
  }
  EXPECT_TRUE(read);
  EXPECT_TRUE(deleted);
  auto verified = VerifyStore(store_.get(), false, test::As("user:arkiv"));
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok()) << verified->problems[0].kind << " " << verified->problems[0].object
                              << ": " << verified->problems[0].detail;
  // Nothing more to do a second time.
  auto again = RunRetention(store_.get(), *policy, options);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->deleted.empty());
}

}  // namespace
}  // namespace postmottak

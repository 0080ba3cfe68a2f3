#include <gtest/gtest.h>

#include "storage/audit.h"
#include "storage/store.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

Case MakeCase(const std::string& id, const std::string& person) {
  Case c;
  c.id = id;
  c.person_id = person;
  c.area = "AAP";
  c.unit = "0301";
  c.required = {"application"};
  return c;
}

TEST(StoreTest, CommittedRecordsAreReadBackAfterReopen) {
  test::TempDir dir;
  {
    auto store = test::OpenStore(dir.path());
    Change change = store->BeginChange(test::Tester(), "test");
    change.Put(MakeCase("2026-000001", test::PersonId(1)));
    change.PutBlob("doc/x/page/1", std::string("\0\1\2", 3));
    ASSERT_TRUE(change.Commit().ok());
  }
  auto store = test::OpenStore(dir.path());
  auto c = store->Get<Case>("2026-000001");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->person_id, test::PersonId(1));
  EXPECT_EQ(*store->GetBlob("doc/x/page/1"), std::string("\0\1\2", 3));
  EXPECT_EQ(store->GetMeta("schema_version"), std::to_string(kSchemaVersion));
}

TEST(StoreTest, UncommittedChangeLeavesNoTrace) {
  test::TempDir dir;
  auto store = test::OpenStore(dir.path());
  {
    Change change = store->BeginChange(test::Tester(), "test");
    change.Put(MakeCase("2026-000002", test::PersonId(2)));
    change.Log("add_case", "case/2026-000002");
  }
  EXPECT_TRUE(store->Get<Case>("2026-000002").status().IsNotFound());
  EXPECT_TRUE(store->ScanIndex("person/").empty());
  EXPECT_TRUE(store->ListEvents().empty());
}

TEST(StoreTest, ChangeReadsItsOwnWrites) {
  test::TempDir dir;
  auto store = test::OpenStore(dir.path());
  Change change = store->BeginChange(test::Tester(), "test");
  change.Put(MakeCase("2026-000003", test::PersonId(3)));
  EXPECT_TRUE(change.Get<Case>("2026-000003").ok());
  EXPECT_EQ(change.ScanIndex("person/" + test::PersonId(3) + "/").count("2026-000003"), 1u);
  EXPECT_TRUE(store->Get<Case>("2026-000003").status().IsNotFound());
}

TEST(StoreTest, IndexFollowsTheRecordWhenItChanges) {
  test::TempDir dir;
  auto store = test::OpenStore(dir.path());
  Document d;
  d.id = "doc-1";
  d.content_hash = "abc";
  {
    Change change = store->BeginChange(test::Tester(), "test");
    change.Put(d);
    ASSERT_TRUE(change.Commit().ok());
  }
  EXPECT_EQ(store->ScanIndex("unlinked/").count("doc-1"), 1u);
  EXPECT_EQ(store->ScanIndex("hash/abc/").count("doc-1"), 1u);
  d.case_id = "2026-000004";
  {
    Change change = store->BeginChange(test::Tester(), "test");
    change.Put(d);
    ASSERT_TRUE(change.Commit().ok());
  }
  EXPECT_TRUE(store->ScanIndex("unlinked/").empty());
  EXPECT_EQ(store->ScanIndex("case_doc/2026-000004/").count("doc-1"), 1u);
}

TEST(StoreTest, RebuiltIndexesEqualTheMaintainedOnes) {
  test::TempDir dir;
  auto store = test::OpenStore(dir.path());
  {
    Change change = store->BeginChange(test::Tester(), "test");
    for (int i = 0; i < 5; ++i)
      change.Put(MakeCase("2026-00001" + std::to_string(i), test::PersonId(i)));
    Task t;
    t.id = "task-1";
    t.case_id = "2026-000010";
    t.unit = "0301";
    change.Put(t);
    change.Log("add_case", "case/2026-000010", "", {"2026-000010", test::PersonId(0)});
    ASSERT_TRUE(change.Commit().ok());
  }
  auto before = store->ScanIndex("");
  EXPECT_EQ(before.count("audit_case/2026-000010/" + EventKey(1)), 1u);
  ASSERT_TRUE(store->RebuildIndexes(test::Tester(), "test").ok());
  // The rebuild is an audit entry of its own, indexed by its principal.
  before["audit_principal/user:tester/" + EventKey(2)] = "";
  EXPECT_EQ(store->ScanIndex(""), before);
}

TEST(StoreTest, SequencesAndEventsAreOrderedAndCarryPrincipalAndPurpose) {
  test::TempDir dir;
  auto store = test::OpenStore(dir.path());
  for (int i = 0; i < 3; ++i) {
    Change change = store->BeginChange(test::Tester(), "purpose-" + std::to_string(i));
    EXPECT_EQ(change.NextSequence("cover"), static_cast<uint64_t>(i + 1));
    change.Log("did", "thing");
    ASSERT_TRUE(change.Commit().ok());
  }
  auto events = store->ListEvents();
  ASSERT_EQ(events.size(), 3u);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, i + 1);
    EXPECT_EQ(events[i].principal, "user:tester");
    EXPECT_EQ(events[i].unit, "4817");
    EXPECT_EQ(events[i].purpose, "purpose-" + std::to_string(i));
    EXPECT_EQ(events[i].prev, i == 0 ? std::string(kAuditGenesis) : events[i - 1].hash);
  }
}

TEST(StoreTest, NoChangeCommitsWithoutAPrincipal) {
  test::TempDir dir;
  auto store = test::OpenStore(dir.path());
  Change change = store->BeginChange(Principal{}, "anonymous");
  change.PutBlob("x", "y");
  change.Log("did", "thing");
  Status st = change.Commit();
  EXPECT_TRUE(st.IsPermissionDenied()) << st.ToString();
  EXPECT_FALSE(store->GetBlob("x").ok());
  EXPECT_TRUE(store->ListEvents().empty());
}

TEST(StoreTest, PersonPseudonymsAreStablePerStoreAndDifferAcrossStores) {
  test::TempDir a, b;
  const std::string person = test::PersonId(1);
  std::string first;
  {
    auto store = test::OpenStore(a.path());
    first = store->PersonPseudonym(person);
    EXPECT_EQ(first.size(), 32u);
    EXPECT_EQ(first.find(person), std::string::npos);
    EXPECT_NE(store->PersonPseudonym(test::PersonId(2)), first);
  }
  EXPECT_EQ(test::OpenStore(a.path())->PersonPseudonym(person), first) << "salt is kept";
  EXPECT_NE(test::OpenStore(b.path())->PersonPseudonym(person), first) << "salt is per store";
}

TEST(StoreTest, CorruptRecordIsReportedNotThrown) {
  test::TempDir dir;
  auto store = test::OpenStore(dir.path());
  Change change = store->BeginChange(test::Tester(), "test");
  change.PutBlob("x", "y");
  ASSERT_TRUE(change.Commit().ok());
  EXPECT_TRUE(store->Get<Case>("missing").status().IsNotFound());
}

TEST(StoreTest, OpeningAFileInsteadOfAFolderFails) {
  test::TempDir dir;
  test::WriteFile(dir / "file", "not a database");
  auto store = Store::Open(dir / "file");
  EXPECT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find(dir / "file"), std::string::npos);
}

TEST(StatusTest, AResultCannotBeMadeOfAnOkStatus) {
  Result<int> none = Status::OK();
  EXPECT_FALSE(none.ok()) << "an OK result with no value would be read as a value";
  EXPECT_EQ(none.status().code(), Status::Code::kCorruption);
  Result<int> value = 7;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
  Result<int> failed = Status::TimedOut("page 3 ran past its bound");
  EXPECT_TRUE(failed.status().IsTimedOut());
  EXPECT_EQ(failed.status().ToString(), "TimedOut: page 3 ran past its bound");
}

}  // namespace
}  // namespace postmottak

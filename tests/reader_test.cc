// Readers beside the writer. While one process holds the store (a server, an intake),
// another opens it as a reader: it sees what was committed, catches up on request,
// cannot write, and every read it makes is still audited: its entries go to the audit
// spool, and the writer chains them in with its next commit, once each, keeping who
// read what and when.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "storage/audit.h"
#include "storage/audit_spool.h"
#include "storage/store.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class ReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.sync_commits = false;
    options.spool_interval = std::chrono::milliseconds(0);  // look at every commit
    auto writer = Store::Open(dir_.path(), options);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    writer_ = std::move(writer).value();
    PutCase("2026-000001");
  }
  void PutCase(const std::string& id) {
    Change change = writer_->BeginChange(test::Tester(), "test");
    Case c;
    c.id = id;
    c.person_id = test::PersonId(1);
    c.area = "AAP";
    c.unit = "0301";
    change.Put(c);
    change.Log("add_case", "case/" + id, "", {id, c.person_id});
    ASSERT_TRUE(change.Commit().ok());
  }
  std::unique_ptr<Store> OpenReader() {
    StoreOptions options;
    options.reader = true;
    auto reader = Store::Open(dir_.path(), options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    return reader.ok() ? std::move(reader).value() : nullptr;
  }
  int Count(const std::string& action, const std::string& principal) {
    int n = 0;
    for (const auto& e : writer_->ListEvents()) n += e.action == action && e.principal == principal;
    return n;
  }

  test::TempDir dir_;
  std::unique_ptr<Store> writer_;
};

TEST_F(ReaderTest, AReaderReadsBesideTheWriterAndTheWriterChainsItsReads) {
  // A second writer is told who has the store; a reader is let in.
  auto second = Store::Open(dir_.path());
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(IsHeldByAnotherProcess(second.status())) << second.status().ToString();
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(reader->reader());
  ASSERT_TRUE(reader->Get<Case>("2026-000001").ok());

  // What the writer commits later is seen after catching up.
  PutCase("2026-000002");
  EXPECT_TRUE(reader->Get<Case>("2026-000002").status().IsNotFound());
  ASSERT_TRUE(reader->CatchUp().ok());
  EXPECT_TRUE(reader->Get<Case>("2026-000002").ok());

  // A read is audited into the spool; a write is refused, saying why.
  const Principal kari = test::As("user:kari");
  {
    Change read = reader->BeginChange(kari, "answering the citizen");
    read.Log("read_case", "case/2026-000001", "own unit 0301", {"2026-000001", test::PersonId(1)});
    ASSERT_TRUE(read.Commit().ok());
  }
  {
    Change write = reader->BeginChange(kari, "case handling");
    Case c = *reader->Get<Case>("2026-000001");
    c.unit = "4402";
    write.Put(c);
    const Status refused = write.Commit();
    EXPECT_TRUE(IsHeldByAnotherProcess(refused)) << refused.ToString();
  }
  EXPECT_EQ(writer_->Get<Case>("2026-000001")->unit, "0301");
  ASSERT_EQ(SpoolFileNames(dir_.path()).size(), 1u);
  EXPECT_EQ(Count("read_case", "user:kari"), 0) << "not chained while the reader runs";

  // The reader ends; the writer's next commit chains its read in, once.
  reader.reset();
  PutCase("2026-000003");
  EXPECT_EQ(Count("read_case", "user:kari"), 1);
  EXPECT_TRUE(SpoolFileNames(dir_.path()).empty());
  PutCase("2026-000004");
  EXPECT_EQ(Count("read_case", "user:kari"), 1) << "chained once";
  for (const auto& e : writer_->ListEvents())
    if (e.action == "read_case") {
      EXPECT_EQ(e.purpose, "answering the citizen");
      EXPECT_EQ(e.case_id, "2026-000001");
      EXPECT_EQ(e.person, writer_->PersonPseudonym(test::PersonId(1)));
    }
  auto check = VerifyAuditTrail(*writer_, {});
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << check->problems.front();
}

TEST_F(ReaderTest, ASpoolLeftByAKilledReaderIsChainedAndItsTornLineCounted) {
  // A reader process that died mid-write: its file is still ".part".
  const pid_t gone = fork();
  if (gone == 0) _exit(0);
  int status = 0;
  ASSERT_EQ(waitpid(gone, &status, 0), gone);
  Event e;
  e.time = "2026-12-01T08:00:00Z";
  e.principal = "user:ola";
  e.unit = "4402";
  e.domain = "state";
  e.action = "read_document";
  e.object = "document/doc-1";
  e.purpose = "case handling";
  std::filesystem::create_directories(AuditSpoolDir(dir_.path()));
  {
    std::ofstream part(std::filesystem::path(AuditSpoolDir(dir_.path())) /
                       (std::to_string(gone) + "-1.part"));
    part << nlohmann::json(e).dump() << "\n"
         << R"({"time": "2026-12-01T08:00:01Z", "princ)";
  }
  PutCase("2026-000005");
  EXPECT_EQ(Count("read_document", "user:ola"), 1);
  EXPECT_EQ(Count("audit_spool_damaged", "user:tester"), 1);
  EXPECT_TRUE(SpoolFileNames(dir_.path()).empty());
  // A file of a reader that still runs (this process) waits.
  AuditSpoolWriter running(dir_.path());
  e.principal = "user:kari";
  ASSERT_TRUE(running.Append({e}).ok());
  PutCase("2026-000006");
  EXPECT_EQ(Count("read_document", "user:kari"), 0);
  EXPECT_EQ(SpoolFileNames(dir_.path()).size(), 1u);
}

}  // namespace
}  // namespace postmottak

// The public face (postmottak/office.h) as a case system uses it: configuration errors
// name the file, sessions need a known principal and a purpose, and a session's calls
// go through the same access policy and audit trail as the command line's.
#include "postmottak/office.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "storage/audit.h"
#include "storage/store.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class OfficeTest : public ::testing::Test {
 protected:
  OfficeOptions Options() { return test::SampleOfficeOptions(dir_ / "store"); }
  test::TempDir dir_;
};

TEST_F(OfficeTest, BadConfigurationIsRefusedWithTheFileNamed) {
  OfficeOptions o = Options();
  o.rules_file = dir_ / "missing-rules.json";
  auto office = Office::Open(o);
  ASSERT_FALSE(office.ok());
  EXPECT_NE(office.status().message().find("missing-rules.json"), std::string::npos)
      << office.status().ToString();
  o = Options();
  test::WriteFile(dir_ / "policy.json", "{ not json");
  o.policy_file = dir_ / "policy.json";
  office = Office::Open(o);
  ASSERT_FALSE(office.ok());
  EXPECT_NE(office.status().message().find("policy.json"), std::string::npos);
  o = Options();
  o.store_dir.clear();
  EXPECT_EQ(Office::Open(o).status().code(), Status::Code::kInvalidArgument);
  o = Options();
  o.font_bold = dir_ / "no-such-font.ttf";
  office = Office::Open(o);
  ASSERT_FALSE(office.ok());
  EXPECT_NE(office.status().message().find("no-such-font.ttf"), std::string::npos);
}

TEST_F(OfficeTest, ASessionNeedsAKnownPrincipalAndAPurpose) {
  auto office = Office::Open(Options());
  ASSERT_TRUE(office.ok()) << office.status().ToString();
  EXPECT_TRUE((*office)->Begin("user:nobody-here", "case handling").status().IsPermissionDenied());
  EXPECT_EQ((*office)->Begin("user:kari", " ").status().code(), Status::Code::kInvalidArgument);
  auto kari = (*office)->Begin("user:kari", "case handling");
  ASSERT_TRUE(kari.ok());
  EXPECT_EQ(kari->principal(), "user:kari");
}

TEST_F(OfficeTest, ACaseRegisteredReadAndCoveredThroughTheFaceIsMaskedCheckedAndAudited) {
  auto office = Office::Open(Options());
  ASSERT_TRUE(office.ok()) << office.status().ToString();
  auto kari = (*office)->Begin("user:kari", "case handling");
  ASSERT_TRUE(kari.ok());
  CaseRegistration r;
  r.id = "2026-000801";
  r.person_id = test::PersonId(801);
  r.area = "AAP";
  r.unit = "0301";
  auto c = kari->RegisterCase(r);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->status, "awaiting_documentation");
  EXPECT_EQ(c->person_id, r.person_id.substr(0, 6) + "*****") << "masked by default";
  EXPECT_FALSE(c->missing.empty());
  EXPECT_EQ(c->tasks.size(), c->missing.size()) << "one missing-documentation task per type";
  auto sheet = kari->IssueCoverSheet(r.id);
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  EXPECT_EQ(sheet->expected, c->missing) << "the letter asks for what is missing";
  EXPECT_EQ(sheet->pdf.rfind("%PDF-", 0), 0u);
  // Need to know: a caseworker of another unit is refused, and the refusal is audited.
  auto ola = (*office)->Begin("user:ola", "curiosity");
  ASSERT_TRUE(ola.ok());
  EXPECT_TRUE(ola->ReadCase(r.id).status().IsPermissionDenied());
  auto intake = (*office)->Begin("service:intake", "curiosity");
  ASSERT_TRUE(intake.ok());
  EXPECT_TRUE(intake->Statistics().status().IsPermissionDenied()) << "a role it lacks";
  auto counts = kari->Statistics();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->units.at("0301").awaiting_documentation, 1);
  office->reset();  // the store is held by one owner at a time
  auto store = test::OpenStore(dir_ / "store");
  auto trail = ReadAuditTrail(store.get(), test::Tester(), "test", {});
  ASSERT_TRUE(trail.ok());
  int denied = 0;
  for (const auto& e : *trail)
    denied += e.action == "denied" && e.purpose == "curiosity" &&
              (e.principal == "user:ola" || e.principal == "service:intake");
  EXPECT_EQ(denied, 2);
}

// A stop seen between files (IntakeControl::stop set from a signal) is an interruption:
// the batch is not marked complete, and the same call again takes the rest.
TEST_F(OfficeTest, AnIntakeStoppedBetweenFilesIsInterruptedAndTheSameCallGoesOn) {
  auto office = Office::Open(Options());
  ASSERT_TRUE(office.ok());
  std::filesystem::create_directories(dir_ / "in");
  for (const char* name : {"a.tif", "b.tif"}) {
    std::vector<Image> pages;
    pages.push_back(test::TextPage("Legeerklæring", std::string("Fil ") + name, 200));
    test::WriteTiff(dir_ / ("in/" + std::string(name)), pages);
  }
  auto intake = (*office)->Begin("service:intake", "test");
  ASSERT_TRUE(intake.ok());
  std::atomic<bool> stop{true};
  IntakeControl control;
  control.stop = &stop;
  auto stopped = intake->Intake({std::string(dir_ / "in")}, control);
  ASSERT_TRUE(stopped.ok()) << stopped.status().ToString();
  EXPECT_TRUE(stopped->interrupted);
  auto arkiv = (*office)->Begin("user:arkiv", "test");
  ASSERT_TRUE(arkiv.ok());
  auto batches = arkiv->Batches();
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_FALSE((*batches)[0].complete);
  auto again = intake->Intake({std::string(dir_ / "in")});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->interrupted);
  EXPECT_EQ(again->pages, 2);
  auto balance = arkiv->Reconcile((*batches)[0].id);
  ASSERT_TRUE(balance.ok());
  EXPECT_TRUE(balance->balanced());
}

}  // namespace
}  // namespace postmottak

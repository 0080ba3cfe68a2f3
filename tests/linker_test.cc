#include "pipeline/stages/linker.h"

#include <gtest/gtest.h>

#include "pipeline/services/case_service.h"
#include "tests/test_util.h"

namespace postmottak {
namespace {

class LinkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::OpenStore(dir_.path());
    CaseService service = test::ServiceFor(store_.get(), test::Tester());
    Add(service, "2026-000001", test::PersonId(1), "AAP");
    Add(service, "2026-000002", test::PersonId(2), "AAP");
    Add(service, "2026-000003", test::PersonId(2), "DAG");
  }
  void Add(CaseService& service, const std::string& id, const std::string& person,
           const std::string& area) {
    ASSERT_TRUE(service.AddCase(test::MakeNewCase(id, person, area, "0301")).ok());
  }
  LinkDecision ByText(std::vector<std::string> persons, std::vector<std::string> cases,
                      const std::string& type) {
    Change view = store_->BeginChange(test::Tester(), "test");
    return LinkByText(view, test::SampleRules(), persons, cases, type);
  }
  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(LinkerTest, OnePersonOnePlausibleCaseLinks) {
  LinkDecision d = ByText({test::PersonId(1)}, {}, "medical_certificate");
  EXPECT_EQ(d.case_id, "2026-000001");
  EXPECT_EQ(d.method, LinkMethod::kText);
  EXPECT_EQ(d.evidence.find(test::PersonId(1)), std::string::npos) << "evidence must mask the id";
}

TEST_F(LinkerTest, ImplausibleTypeIsNotLinked) {
  EXPECT_TRUE(ByText({test::PersonId(1)}, {}, "income_statement").case_id.empty());
  EXPECT_TRUE(ByText({test::PersonId(1)}, {}, "unknown").case_id.empty());
}

TEST_F(LinkerTest, TwoPlausibleCasesOfThePersonAreNotGuessed) {
  // report_card is accepted by both AAP and DAG.
  LinkDecision d = ByText({test::PersonId(2)}, {}, "report_card");
  EXPECT_TRUE(d.case_id.empty());
  EXPECT_NE(d.evidence.find("2 open cases"), std::string::npos) << d.evidence;
  // A type only one of them accepts resolves it.
  EXPECT_EQ(ByText({test::PersonId(2)}, {}, "medical_certificate").case_id, "2026-000002");
}

TEST_F(LinkerTest, CaseNumberOfThatPersonResolvesAmbiguity) {
  EXPECT_EQ(ByText({test::PersonId(2)}, {"2026-000003"}, "report_card").case_id, "2026-000003");
}

TEST_F(LinkerTest, CaseNumberOfAnotherPersonIsNotLinked) {
  LinkDecision d = ByText({test::PersonId(1)}, {"2026-000002"}, "medical_certificate");
  EXPECT_TRUE(d.case_id.empty());
  EXPECT_NE(d.evidence.find("another person"), std::string::npos);
}

TEST_F(LinkerTest, TwoPersonsInOneDocumentAreNotLinked) {
  EXPECT_TRUE(
      ByText({test::PersonId(1), test::PersonId(2)}, {}, "medical_certificate").case_id.empty());
}

TEST_F(LinkerTest, UnknownPersonAndNoEvidenceAreNotLinked) {
  EXPECT_TRUE(ByText({test::PersonId(9)}, {}, "medical_certificate").case_id.empty());
  EXPECT_TRUE(ByText({}, {}, "medical_certificate").case_id.empty());
  EXPECT_TRUE(ByText({}, {"2026-999999"}, "medical_certificate").case_id.empty());
}

TEST_F(LinkerTest, CoverSheetLinksToItsCaseOrToTheOnlyCaseOfItsArea) {
  Change view = store_->BeginChange(test::Tester(), "test");
  CoverSheet sheet;
  sheet.id = "000000000018";
  sheet.case_id = "2026-000001";
  EXPECT_EQ(LinkByCoverSheet(view, sheet).case_id, "2026-000001");
  EXPECT_EQ(LinkByCoverSheet(view, sheet).method, LinkMethod::kCoverSheet);
  CoverSheet by_area;
  by_area.id = "000000000026";
  by_area.person_id = test::PersonId(2);
  by_area.area = "DAG";
  EXPECT_EQ(LinkByCoverSheet(view, by_area).case_id, "2026-000003");
  by_area.area = "SYK";
  EXPECT_TRUE(LinkByCoverSheet(view, by_area).case_id.empty());
  sheet.case_id = "2026-999999";
  EXPECT_TRUE(LinkByCoverSheet(view, sheet).case_id.empty());
}

TEST_F(LinkerTest, ACoverSheetOnAnotherPersonsPapersIsNotFiled) {
  Change view = store_->BeginChange(test::Tester(), "test");
  CoverSheet sheet;
  sheet.id = "000000000018";
  sheet.case_id = "2026-000001";
  // The text names the case's person, or nobody: the sheet decides.
  LinkDecision same = DecideLink(view, test::SampleRules(), sheet, {test::PersonId(1)}, {}, "x");
  EXPECT_EQ(same.case_id, "2026-000001");
  EXPECT_EQ(same.method, LinkMethod::kCoverSheet);
  EXPECT_EQ(DecideLink(view, test::SampleRules(), sheet, {}, {}, "x").case_id, "2026-000001");
  // The text names only someone else: a person decides, and is told why.
  LinkDecision other =
      DecideLink(view, test::SampleRules(), sheet, {test::PersonId(2)}, {}, "medical_certificate");
  EXPECT_TRUE(other.case_id.empty());
  EXPECT_NE(other.evidence.find("names another person"), std::string::npos) << other.evidence;
  EXPECT_EQ(other.evidence.find(test::PersonId(2)), std::string::npos) << "no unmasked id";
  // Without a sheet the text decides, as LinkByText does.
  EXPECT_EQ(DecideLink(view, test::SampleRules(), std::nullopt, {test::PersonId(1)}, {},
                       "medical_certificate")
                .case_id,
            "2026-000001");
}

}  // namespace
}  // namespace postmottak

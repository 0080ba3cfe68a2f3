#include "pipeline/config/rules.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace postmottak {
namespace {

TEST(RulesTest, ShippedRulesLoad) {
  const Rules& rules = test::SampleRules();
  EXPECT_EQ(rules.intake_unit(), "4817");
  ASSERT_NE(rules.Area("AAP"), nullptr);
  EXPECT_EQ(rules.Area("AAP")->required,
            (std::vector<std::string>{"application", "medical_certificate"}));
  EXPECT_EQ(rules.Area("SYK")->required,
            (std::vector<std::string>{"sick_note", "income_statement"}));
  EXPECT_TRUE(rules.Plausible("AAP", "medical_certificate"));
  EXPECT_TRUE(rules.Plausible("AAP", "report_card"));
  EXPECT_FALSE(rules.Plausible("AAP", "income_statement"));
  EXPECT_FALSE(rules.Plausible("AAP", "unknown"));
  for (const auto& area : KnownAreas()) EXPECT_NE(rules.Area(area), nullptr) << area;
  // Every area can be handed on, and every category has a unit to go to.
  for (const auto& area : KnownAreas()) EXPECT_FALSE(rules.Area(area)->handover.empty()) << area;
  EXPECT_TRUE(rules.CheckHandover("AAP", "4402", "decide").ok());
  EXPECT_FALSE(rules.CheckHandover("SYK", "0301", "assess_work_ability").ok()) << "AAP's only";
}

struct BadRules {
  std::string json;
  const char* names;  // what the error message must name
};

class MalformedRulesTest : public ::testing::TestWithParam<BadRules> {};

TEST_P(MalformedRulesTest, IsRefusedWithTheFileAndFieldNamed) {
  auto rules = Rules::Parse(GetParam().json, "custom.json");
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(rules.status().message().find("custom.json"), std::string::npos)
      << rules.status().message();
  EXPECT_NE(rules.status().message().find(GetParam().names), std::string::npos)
      << rules.status().message();
}

constexpr const char* kTypes =
    R"("document_types": {"application": {"title": "Søknad", "keywords": ["søknad"]}})";

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedRulesTest,
    ::testing::Values(
        BadRules{"{not json", "not valid JSON"}, BadRules{"[]", "top level"},
        // Found by the fuzzer: a number beyond a double, and a count that wraps in 32 bits.
        BadRules{"2e525", "not valid JSON"},
        BadRules{R"({"intake_unit": "4817", "response_days": 4294967297})", "response_days"},
        BadRules{
            (std::string(R"({"intake_unit": "4817", "document_types": {"application": )"
                         R"({"title": "Søknad", "keywords": ["søknad"], "awaited_from": []}}, )"
                         R"("areas": {}})")),
            "document_types.application.awaited_from"},
        BadRules{R"({"intake_unit": "12", "document_types": {}, "areas": {}})", "intake_unit"},
        BadRules{R"({"intake_unit": "4817", "document_types": {}, "areas": {}})", "document_types"},
        BadRules{(std::string(R"({"intake_unit": "4817", )") + kTypes +
                  R"(, "areas": {"XYZ": {"requires": []}}})"),
                 "areas.XYZ"},
        BadRules{(std::string(R"({"intake_unit": "4817", )") + kTypes +
                  R"(, "areas": {"AAP": {"requires": ["nonsense"]}}})"),
                 "nonsense"},
        BadRules{(std::string(R"({"intake_unit": "4817", )") + kTypes +
                  R"(, "areas": {"AAP": {"requires": [3]}}})"),
                 "areas.AAP.requires[0]"},
        BadRules{
            R"({"intake_unit": "4817", "document_types": {"a": {"title": "A", "keywords": []}}, "areas": {}})",
            "keywords"},
        // Handovers: a unit needs a kind, a category a kind some unit has, an area's
        // categories must exist.
        BadRules{(std::string(R"({"intake_unit": "4817", "units": {"12": {"kind": "x"}}, )") +
                  kTypes + R"(, "areas": {}})"),
                 "units.12"},
        BadRules{(std::string(R"({"intake_unit": "4817", "units": {"0301": {"name": "A"}}, )") +
                  kTypes + R"(, "areas": {}})"),
                 "units.0301"},
        BadRules{(std::string(R"({"intake_unit": "4817", "units": {"0301": {"kind": "local"}}, )"
                              R"("handover_categories": {"decide": {"to": ["back"]}}, )") +
                  kTypes + R"(, "areas": {}})"),
                 "handover_categories.decide.to"},
        BadRules{(std::string(R"({"intake_unit": "4817", )") + kTypes +
                  R"(, "areas": {"AAP": {"requires": [], "handover": ["decide"]}}})"),
                 "unknown handover category 'decide'"}));

TEST(RulesTest, MissingFileIsNamed) {
  auto rules = Rules::Load("/nonexistent/rules.json");
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.status().message().find("/nonexistent/rules.json"), std::string::npos);
}

}  // namespace
}  // namespace postmottak

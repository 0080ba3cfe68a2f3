#include "pipeline/stages/extraction.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace postmottak {
namespace {

TEST(ExtractionTest, FindsValidPersonIdsWrittenEitherWay) {
  const std::string a = test::PersonId(1), b = test::PersonId(2);
  const std::string text =
      "Fødselsnummer: " + a.substr(0, 6) + " " + a.substr(6) + "\nAnnen: " + b + "\n";
  Extraction e = ExtractFromText(text, test::SampleRules());
  EXPECT_EQ(e.person_ids, (std::vector<std::string>{a, b}));
}

TEST(ExtractionTest, DropsIdsWithWrongCheckDigitsAndLongerNumbers) {
  std::string bad = test::PersonId(3);
  bad[10] = bad[10] == '9' ? '0' : static_cast<char>(bad[10] + 1);
  const std::string text = "Fnr " + bad + " konto 12345678901234\n";
  EXPECT_TRUE(ExtractFromText(text, test::SampleRules()).person_ids.empty());
}

TEST(ExtractionTest, FindsCaseNumbersAndDates) {
  Extraction e = ExtractFromText("Saksnummer: 2026-004711\nDato: 24.11.2026\nx2026-0047119\n",
                                 test::SampleRules());
  EXPECT_EQ(e.case_numbers, (std::vector<std::string>{"2026-004711"}));
  EXPECT_EQ(e.dates, (std::vector<std::string>{"24.11.2026"}));
}

TEST(ExtractionTest, TitleGivesTheTypeEvenWithAnOcrError) {
  Extraction e = ExtractFromText("LEGEERKLÆRlNG\nNavn: Kari\n\nTekst.\n", test::SampleRules());
  EXPECT_EQ(e.document_type, "medical_certificate");
  EXPECT_TRUE(e.titled);
  e = ExtractFromText("Søknad om arbeidsavklaringspenger\n", test::SampleRules());
  EXPECT_EQ(e.document_type, "application");
}

TEST(ExtractionTest, TitleSplitOrJoinedByOcrIsStillATitle) {
  // Seen on a demo page: Tesseract put spaces inside a word of the title.
  Extraction e =
      ExtractFromText("| Bekreftelse fra a rbeid sgiver\n\n— Navn: Kari\n", test::SampleRules());
  EXPECT_EQ(e.document_type, "employer_statement");
  EXPECT_TRUE(e.titled);
  e = ExtractFromText("Inntekts melding\n", test::SampleRules());
  EXPECT_EQ(e.document_type, "income_statement");
}

TEST(ExtractionTest, KeywordInTheBodyGivesTheTypeButNoTitle) {
  std::string text = "Side 2 av 3\n";
  for (int i = 0; i < 8; ++i) text += "Vanlig tekst uten noe spesielt.\n";
  text += "Vedlagt er inntektsmelding for mars.\n";
  Extraction e = ExtractFromText(text, test::SampleRules());
  EXPECT_EQ(e.document_type, "income_statement");
  EXPECT_FALSE(e.titled);
}

TEST(ExtractionTest, UnrelatedTextHasNoType) {
  Extraction e = ExtractFromText("Hei\nDette er et brev.\n", test::SampleRules());
  EXPECT_TRUE(e.document_type.empty());
  EXPECT_FALSE(e.titled);
}

TEST(ExtractionTest, MasksPersonIdsInTextForPeople) {
  const std::string a = test::PersonId(1);
  const std::string text =
      "Fnr: " + a + ", også " + a.substr(0, 6) + " " + a.substr(6) + "; konto 12345678901.";
  const std::string masked = MaskPersonIdsIn(text);
  EXPECT_EQ(masked.find(a), std::string::npos);
  EXPECT_EQ(masked.find(a.substr(6)), std::string::npos);
  EXPECT_NE(masked.find(a.substr(0, 6) + "*****"), std::string::npos);
  EXPECT_NE(masked.find(a.substr(0, 6) + " *****"), std::string::npos);
  EXPECT_NE(masked.find("12345678901"), std::string::npos) << "not a valid person id: left alone";
}

TEST(ExtractionTest, LowerCasesNorwegianLetters) {
  EXPECT_EQ(LowerNorwegian("ÆØÅ Søknad"), "æøå søknad");
}

}  // namespace
}  // namespace postmottak

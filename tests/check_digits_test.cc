#include "codecs/check_digits.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace postmottak {
namespace {

TEST(PersonIdTest, SyntheticIdsAreValid) {
  for (int i = 0; i < 50; ++i) {
    const std::string id = test::PersonId(i);
    EXPECT_TRUE(IsValidPersonId(id)) << id;
    EXPECT_GE(std::stoi(id.substr(2, 2)), 81) << "synthetic ids have month + 80";
  }
}

TEST(PersonIdTest, EverySingleDigitErrorIsRejected) {
  const std::string id = test::PersonId(7);
  for (size_t pos = 0; pos < id.size(); ++pos) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == id[pos]) continue;
      std::string bad = id;
      bad[pos] = d;
      EXPECT_FALSE(IsValidPersonId(bad)) << bad;
    }
  }
}

TEST(PersonIdTest, DNumbersAndShapesAreHandled) {
  std::string nine = "410180123";  // D-number: day 01 + 40
  std::string check;
  ASSERT_TRUE(PersonIdCheckDigits(nine, &check) || PersonIdCheckDigits("410180124", &check));
  EXPECT_FALSE(IsValidPersonId("1234567890"));
  EXPECT_FALSE(IsValidPersonId("1234567890a"));
  EXPECT_FALSE(IsValidPersonId(""));
  // Day 00 and month 13 are not dates, whatever the check digits.
  for (const char* prefix : {"000180123", "011380123"}) {
    if (PersonIdCheckDigits(prefix, &check)) {
      EXPECT_FALSE(IsValidPersonId(prefix + check));
    }
  }
}

TEST(CoverIdTest, MadeIdsAreValidAndFixedWidth) {
  for (uint64_t serial : {1ULL, 42ULL, 99999999999ULL}) {
    const std::string id = MakeCoverId(serial);
    EXPECT_EQ(id.size(), static_cast<size_t>(kCoverIdLength));
    EXPECT_TRUE(IsValidCoverId(id)) << id;
  }
}

TEST(CoverIdTest, EverySingleDigitErrorAndAdjacentTranspositionFails) {
  for (uint64_t serial = 1; serial < 200; serial += 13) {
    const std::string id = MakeCoverId(serial);
    for (size_t pos = 0; pos < id.size(); ++pos) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == id[pos]) continue;
        std::string bad = id;
        bad[pos] = d;
        EXPECT_FALSE(IsValidCoverId(bad)) << bad;
      }
      if (pos + 1 < id.size() && id[pos] != id[pos + 1]) {
        std::string swapped = id;
        std::swap(swapped[pos], swapped[pos + 1]);
        EXPECT_FALSE(IsValidCoverId(swapped)) << swapped;
      }
    }
  }
}

TEST(CoverIdTest, ShapeIsRecognisedApartFromValidity) {
  EXPECT_TRUE(LooksLikeCoverId("000000000010"));
  EXPECT_FALSE(LooksLikeCoverId("00000000001"));
  EXPECT_FALSE(LooksLikeCoverId("POSTMOTTAK-1"));
}

}  // namespace
}  // namespace postmottak

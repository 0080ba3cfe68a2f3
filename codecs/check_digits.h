// Check digits: the guards that keep a misread number from naming the wrong person or
// case.
//
// Person ids (fødselsnummer, D-nummer) carry two mod-11 check digits. Cover ids carry a
// Damm check digit, which detects every single-digit error and every transposition of
// adjacent digits, so a misread cover id fails its check instead of resolving to
// another case.
#ifndef POSTMOTTAK_CODECS_CHECK_DIGITS_H_
#define POSTMOTTAK_CODECS_CHECK_DIGITS_H_

#include <cstdint>
#include <string>

namespace postmottak {

// True when `id` is 11 digits with valid mod-11 check digits and a plausible date:
// ordinary ids, D-numbers (first digit + 4), and synthetic test ids (month + 80).
bool IsValidPersonId(const std::string& id);

// Computes the two check digits for a 9-digit prefix; false when no valid pair exists.
bool PersonIdCheckDigits(const std::string& nine_digits, std::string* two_digits);

// Damm check digit over a string of decimal digits.
int DammCheckDigit(const std::string& digits);
bool DammValid(const std::string& digits_with_check);

// Cover ids: 12 digits, an 11-digit serial number and its Damm check digit.
constexpr int kCoverIdLength = 12;
std::string MakeCoverId(uint64_t serial);
bool IsValidCoverId(const std::string& id);
// True when `text` has the shape of a cover id (12 digits), valid or not.
bool LooksLikeCoverId(const std::string& text);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_CHECK_DIGITS_H_

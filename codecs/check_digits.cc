#include "codecs/check_digits.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace postmottak {

namespace {
bool AllDigits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

int Mod11(const std::string& digits, const int* weights, int n) {
  int sum = 0;
  for (int i = 0; i < n; ++i) sum += (digits[i] - '0') * weights[i];
  int r = 11 - sum % 11;
  if (r == 11) return 0;
  return r;  // 10 means "no valid check digit"
}

constexpr int kWeights1[] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
constexpr int kWeights2[] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

// Damm's totally anti-symmetric quasigroup of order 10.
constexpr int kDamm[10][10] = {{0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
                               {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
                               {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
                               {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
                               {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0}};
}  // namespace

bool PersonIdCheckDigits(const std::string& nine, std::string* two) {
  if (nine.size() != 9 || !AllDigits(nine)) return false;
  int k1 = Mod11(nine, kWeights1, 9);
  if (k1 == 10) return false;
  std::string ten = nine + static_cast<char>('0' + k1);
  int k2 = Mod11(ten, kWeights2, 10);
  if (k2 == 10) return false;
  *two = std::string{static_cast<char>('0' + k1), static_cast<char>('0' + k2)};
  return true;
}

bool IsValidPersonId(const std::string& id) {
  if (id.size() != 11 || !AllDigits(id)) return false;
  std::string check;
  if (!PersonIdCheckDigits(id.substr(0, 9), &check) || check != id.substr(9)) return false;
  int day = (id[0] - '0') * 10 + (id[1] - '0');
  int month = (id[2] - '0') * 10 + (id[3] - '0');
  if (day > 40) day -= 40;  // D-number
  if (month > 80)
    month -= 80;  // synthetic test identity
  else if (month > 40)
    month -= 40;  // H-number
  return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

int DammCheckDigit(const std::string& digits) {
  int interim = 0;
  for (char c : digits) interim = kDamm[interim][c - '0'];
  return interim;
}

bool DammValid(const std::string& s) { return AllDigits(s) && DammCheckDigit(s) == 0; }

std::string MakeCoverId(uint64_t serial) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%011llu",
                static_cast<unsigned long long>(serial % 100000000000ULL));
  std::string base = buf;
  return base + static_cast<char>('0' + DammCheckDigit(base));
}

bool LooksLikeCoverId(const std::string& text) {
  return text.size() == kCoverIdLength && AllDigits(text);
}

bool IsValidCoverId(const std::string& id) { return LooksLikeCoverId(id) && DammValid(id); }

}  // namespace postmottak

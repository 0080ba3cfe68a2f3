#include "pipeline/stages/extraction.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <sstream>

#include "codecs/check_digits.h"
#include "codecs/text_raster.h"

namespace postmottak {

namespace {

constexpr size_t kTitleLines = 6;

void AddUnique(std::vector<std::string>* v, const std::string& s) {
  if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
}

// Digit groups separated by at most one space form one number ("010180 12345").
std::vector<std::string> DigitRuns(const std::string& text) {
  std::vector<std::string> runs;
  std::string cur;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : '\n';
    if (std::isdigit(static_cast<unsigned char>(c))) {
      cur.push_back(c);
    } else if (c == ' ' && !cur.empty() && i + 1 < text.size() &&
               std::isdigit(static_cast<unsigned char>(text[i + 1])) && cur.size() == 6) {
      continue;  // "DDMMYY NNNNN"
    } else {
      if (!cur.empty()) runs.push_back(cur);
      cur.clear();
    }
  }
  return runs;
}

bool IsLetter(char32_t c) {
  return (c >= U'a' && c <= U'z') || c == U'æ' || c == U'ø' || c == U'å' || c == U'é';
}

// The letters of a line, without spaces or punctuation: OCR splits and joins words
// ("a rbeid sgiver"), so matching ignores where the spaces fell.
std::u32string LettersOnly(const std::string& lower_line) {
  std::u32string out;
  for (char32_t c : DecodeUtf8(lower_line))
    if (IsLetter(c)) out.push_back(c);
  return out;
}

// Fewest edits that turn `pattern` into some substring of `text` (Sellers' algorithm).
int SubstringDistance(const std::u32string& text, const std::u32string& pattern) {
  const size_t m = pattern.size();
  std::vector<int> prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  int best = prev[m];
  for (char32_t t : text) {
    cur[0] = 0;  // a match may start anywhere in the text
    for (size_t j = 1; j <= m; ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (t == pattern[j - 1] ? 0 : 1)});
    best = std::min(best, cur[m]);
    std::swap(prev, cur);
  }
  return best;
}

// Lines naming the keyword, allowing one edit per six letters.
int CountKeyword(const std::vector<std::u32string>& lines, const std::u32string& keyword) {
  if (keyword.empty()) return 0;
  const int tolerance = static_cast<int>(keyword.size()) / 6;
  int hits = 0;
  for (const auto& line : lines)
    if (line.size() + tolerance >= keyword.size() && SubstringDistance(line, keyword) <= tolerance)
      ++hits;
  return hits;
}

}  // namespace

std::string MaskPersonIdsIn(const std::string& text) {
  std::string out = text;
  auto digit = [&out](size_t i) {
    return i < out.size() && std::isdigit(static_cast<unsigned char>(out[i]));
  };
  for (size_t i = 0; i < out.size(); ++i) {
    if (!digit(i) || (i > 0 && digit(i - 1))) continue;
    size_t j = i;
    while (digit(j)) ++j;
    size_t tail = j;  // where the last five digits start
    if (j - i == 6 && j < out.size() && out[j] == ' ' && digit(j + 1)) {
      size_t k = j + 1;
      while (digit(k)) ++k;
      if (k - j - 1 != 5) continue;
      tail = j + 1;
      j = k;
    } else if (j - i == 11) {
      tail = i + 6;
    } else {
      i = j;
      continue;
    }
    std::string id = out.substr(i, 6) + out.substr(tail, 5);
    if (IsValidPersonId(id))
      for (size_t k = tail; k < tail + 5; ++k) out[k] = '*';
    i = j;
  }
  return out;
}

void AppendUnique(std::vector<std::string>* to, const std::vector<std::string>& from) {
  for (const auto& s : from) AddUnique(to, s);
}

std::string LowerNorwegian(const std::string& utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c == 0xC3 && i + 1 < utf8.size()) {
      unsigned char d = static_cast<unsigned char>(utf8[i + 1]);
      // Æ (C3 86), Ø (C3 98), Å (C3 85), É (C3 89): lower case is +0x20.
      if (d == 0x86 || d == 0x98 || d == 0x85 || d == 0x89) d += 0x20;
      out.push_back(static_cast<char>(c));
      out.push_back(static_cast<char>(d));
      ++i;
    } else {
      out.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  return out;
}

Extraction ExtractFromText(const std::string& text, const Rules& rules) {
  Extraction out;
  for (const auto& run : DigitRuns(text))
    if (run.size() == 11 && IsValidPersonId(run)) AddUnique(&out.person_ids, run);

  static const std::regex case_re(R"((^|[^0-9])((19|20)[0-9]{2}-[0-9]{6})($|[^0-9]))");
  static const std::regex date_re(
      R"((^|[^0-9])([0-3][0-9]\.[01][0-9]\.(19|20)[0-9]{2})($|[^0-9]))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), case_re);
       it != std::sregex_iterator(); ++it)
    AddUnique(&out.case_numbers, (*it)[2].str());
  for (auto it = std::sregex_iterator(text.begin(), text.end(), date_re);
       it != std::sregex_iterator(); ++it)
    AddUnique(&out.dates, (*it)[2].str());

  // Title lines: the first few non-empty lines.
  std::istringstream lines(LowerNorwegian(text));
  std::vector<std::u32string> title_lines, all_lines;
  for (std::string line; std::getline(lines, line);) {
    std::u32string letters = LettersOnly(line);
    if (letters.empty()) continue;
    if (title_lines.size() < kTitleLines) title_lines.push_back(letters);
    all_lines.push_back(std::move(letters));
  }
  std::string best_title, best_body;
  int best_title_hits = 0, best_body_hits = 0;
  bool body_tie = false;
  for (const auto& [id, rule] : rules.document_types()) {
    int title_hits = 0, body_hits = 0;
    for (const auto& kw : rule.keywords) {
      const std::u32string letters = LettersOnly(LowerNorwegian(kw));
      title_hits += CountKeyword(title_lines, letters);
      body_hits += CountKeyword(all_lines, letters);
    }
    if (title_hits > best_title_hits) best_title = id, best_title_hits = title_hits;
    if (body_hits > best_body_hits) {
      best_body = id, best_body_hits = body_hits, body_tie = false;
    } else if (body_hits > 0 && body_hits == best_body_hits) {
      body_tie = true;
    }
  }
  if (!best_title.empty()) {
    out.document_type = best_title;
    out.titled = true;
  } else if (!best_body.empty() && !body_tie) {
    out.document_type = best_body;
  }
  return out;
}

}  // namespace postmottak

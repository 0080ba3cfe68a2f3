#include "pipeline/extraction.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <sstream>

#include "codecs/check_digits.h"
#include "codecs/text_raster.h"

namespace postmottak {

namespace {

constexpr int kTitleLines = 6;

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

std::u32string Letters(const std::u32string& s) {
  std::u32string out;
  for (char32_t c : s) {
    bool letter = (c >= U'a' && c <= U'z') || c == U'æ' || c == U'ø' || c == U'å' || c == U'é';
    out.push_back(letter ? c : U' ');
  }
  return out;
}

std::vector<std::u32string> Words(const std::u32string& s) {
  std::vector<std::u32string> out;
  std::u32string cur;
  for (char32_t c : Letters(s)) {
    if (c == U' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

int EditDistance(const std::u32string& a, const std::u32string& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Counts occurrences of a (possibly multi-word) keyword among words, allowing one edit
// per six letters.
int CountKeyword(const std::vector<std::u32string>& words, const std::vector<std::u32string>& kw) {
  if (kw.empty() || words.size() < kw.size()) return 0;
  std::u32string target;
  for (const auto& w : kw) target += w;
  const int tolerance = std::max(0, static_cast<int>(target.size()) / 6);
  int hits = 0;
  for (size_t i = 0; i + kw.size() <= words.size(); ++i) {
    std::u32string cand;
    for (size_t k = 0; k < kw.size(); ++k) cand += words[i + k];
    if (std::abs(static_cast<int>(cand.size()) - static_cast<int>(target.size())) > tolerance)
      continue;
    if (EditDistance(cand, target) <= tolerance) ++hits;
  }
  return hits;
}

}  // namespace

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
  std::string lower = LowerNorwegian(text);
  std::istringstream lines(lower);
  std::string line, title;
  for (int n = 0; n < kTitleLines && std::getline(lines, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    title += line + "\n";
    ++n;
  }
  const auto title_words = Words(DecodeUtf8(title));
  const auto all_words = Words(DecodeUtf8(lower));
  std::string best_title, best_body;
  int best_title_hits = 0, best_body_hits = 0;
  bool body_tie = false;
  for (const auto& [id, rule] : rules.document_types()) {
    int title_hits = 0, body_hits = 0;
    for (const auto& kw : rule.keywords) {
      auto kw_words = Words(DecodeUtf8(LowerNorwegian(kw)));
      title_hits += CountKeyword(title_words, kw_words);
      body_hits += CountKeyword(all_words, kw_words);
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

#include "samples/evaluation.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "pipeline/services/access.h"

namespace postmottak {

namespace fs = std::filesystem;
using nlohmann::json;

PageOutcome OutcomeOf(const ProcessedPage& page) {
  PageOutcome o;
  o.file = page.file;
  o.page = page.page;
  o.kind = page.error.empty() ? ToString(page.kind) : "rejected";
  o.cover_id = page.cover_id;
  o.rotation = page.rotation;
  o.text = page.text;
  return o;
}

std::u32string NormalizeForCer(const std::string& utf8) {
  std::u32string out;
  bool space = false;
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    char32_t cp = 0xFFFD;
    int len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 && i + 1 < utf8.size()) {
      cp = ((c & 0x1F) << 6) | (utf8[i + 1] & 0x3F);
      len = 2;
    } else if ((c >> 4) == 0xE && i + 2 < utf8.size()) {
      cp = ((c & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F);
      len = 3;
    } else if ((c >> 3) == 0x1E && i + 3 < utf8.size()) {
      cp = ((c & 0x07) << 18) | ((utf8[i + 1] & 0x3F) << 12) | ((utf8[i + 2] & 0x3F) << 6) |
           (utf8[i + 3] & 0x3F);
      len = 4;
    }
    i += len;
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(U' ');
    space = false;
    out.push_back(cp);
  }
  return out;
}

long EditDistance(const std::u32string& a, const std::u32string& b) {
  // Two rows of the dynamic programme: memory is linear in the shorter text.
  const std::u32string& s = a.size() < b.size() ? a : b;
  const std::u32string& t = a.size() < b.size() ? b : a;
  std::vector<long> prev(s.size() + 1), cur(s.size() + 1);
  for (size_t i = 0; i <= s.size(); ++i) prev[i] = static_cast<long>(i);
  for (size_t j = 1; j <= t.size(); ++j) {
    cur[0] = static_cast<long>(j);
    for (size_t i = 1; i <= s.size(); ++i) {
      const long substitute = prev[i - 1] + (s[i - 1] == t[j - 1] ? 0 : 1);
      cur[i] = std::min({prev[i] + 1, cur[i - 1] + 1, substitute});
    }
    std::swap(prev, cur);
  }
  return prev[s.size()];
}

namespace {

std::string Key(const std::string& file, int page) { return file + "\n" + std::to_string(page); }

}  // namespace

EvalReport Evaluate(const json& truth, const std::vector<PageOutcome>& pages,
                    const std::vector<Document>& documents) {
  EvalReport r;
  r.degradation = truth.value("degradation", "office");
  std::map<std::string, const PageOutcome*> seen;
  for (const auto& p : pages) seen[Key(p.file, p.page)] = &p;

  for (const auto& t : truth["pages"]) {
    ++r.pages;
    const std::string kind = t["kind"];
    auto it = seen.find(Key(t["file"], t["page"]));
    const PageOutcome* o = it == seen.end() ? nullptr : it->second;
    const std::string got = o ? o->kind : "missing";
    if (kind == "cover_sheet")
      r.cover_recall.Count(got == "cover_sheet" && o->cover_id == t["cover_id"]);
    if (kind == "separator") r.separator_recall.Count(got == "separator");
    if (kind == "blank") r.blank_recall.Count(got == "blank");
    if (got == "separator") r.separator_precision.Count(kind == "separator");
    if (got == "blank") r.blank_precision.Count(kind == "blank");
    json detail = {{"file", t["file"]},
                   {"page", t["page"]},
                   {"truth", kind},
                   {"got", got},
                   {"truth_rotation", t["rotation"]},
                   {"rotation", o ? o->rotation : 0}};
    if (kind == "content") {
      r.orientation.Count(got == "content" && (t["rotation"].get<int>() + o->rotation) % 360 == 0);
      const std::u32string want = NormalizeForCer(t["text"]);
      const long edits = EditDistance(o ? NormalizeForCer(o->text) : std::u32string(), want);
      r.cer_chars += static_cast<long>(want.size());
      r.cer_edits += edits;
      detail["edits"] = edits;
      detail["chars"] = want.size();
    }
    r.page_details.push_back(std::move(detail));
  }

  // Each true document is known by its file and first page; so is each stored one.
  std::map<std::string, std::string> true_case_of_page;
  for (const auto& t : truth["pages"]) true_case_of_page[Key(t["file"], t["page"])] = t["case"];
  std::map<std::string, const Document*> stored;
  for (const auto& d : documents) {
    if (d.source_pages.empty()) continue;
    stored[Key(d.source_file, d.source_pages.front())] = &d;
  }
  r.documents = static_cast<int>(documents.size());
  for (const auto& d : documents) {
    r.manual_share.Count(d.case_id.empty());
    if (d.case_id.empty() || d.source_pages.empty()) continue;
    auto t = true_case_of_page.find(Key(d.source_file, d.source_pages.front()));
    r.link_precision.Count(t != true_case_of_page.end() && t->second == d.case_id);
  }
  for (const auto& d : truth["documents"]) {
    const std::string route = d["route"];
    if (route != "cover_sheet" && route != "text") continue;
    auto s = stored.find(Key(d["file"], d["pages"][0]));
    r.link_recall.Count(s != stored.end() && s->second->case_id == d["true_case"]);
  }
  return r;
}

json EvalReport::ToJson() const {
  auto ratio = [](const Ratio& x) {
    return json{{"hits", x.hits}, {"total", x.total}, {"value", x.value()}};
  };
  return {{"degradation", degradation},
          {"pages", pages},
          {"documents", documents},
          {"cover_sheet_recall", ratio(cover_recall)},
          {"separator_precision", ratio(separator_precision)},
          {"separator_recall", ratio(separator_recall)},
          {"blank_precision", ratio(blank_precision)},
          {"blank_recall", ratio(blank_recall)},
          {"orientation_accuracy", ratio(orientation)},
          {"link_precision", ratio(link_precision)},
          {"link_recall", ratio(link_recall)},
          {"manual_share", ratio(manual_share)},
          {"character_error_rate", cer()},
          {"cer_edits", cer_edits},
          {"cer_chars", cer_chars},
          {"pages_per_second", pages_per_second},
          {"workers", workers}};
}

Result<EvalReport> EvaluateCorpus(const std::string& corpus_dir, const Rules& rules,
                                  IntakeOptions options) {
  const fs::path corpus(corpus_dir);
  std::ifstream in(corpus / "truth.json");
  if (!in) return Status::NotFound("no truth.json in " + corpus_dir);
  json truth;
  try {
    in >> truth;
  } catch (const std::exception& e) {
    return Status::Corruption(corpus_dir + "/truth.json: " + e.what());
  }
  // A fresh store: a copy of the one the corpus's cases were registered in.
  static std::atomic<int> serial{0};
  const fs::path store_dir =
      fs::temp_directory_path() /
      ("postmottak-eval-" + std::to_string(::getpid()) + "-" + std::to_string(++serial));
  std::error_code ec;
  fs::remove_all(store_dir, ec);
  fs::copy(corpus / "store", store_dir, fs::copy_options::recursive, ec);
  if (ec)
    return Status::IOError("cannot copy " + (corpus / "store").string() + ": " + ec.message());
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{store_dir};

  StoreOptions store_options;
  store_options.sync_commits = false;  // a throw-away copy
  auto store = Store::Open(store_dir.string(), store_options);
  if (!store.ok()) return store.status();
  std::vector<PageOutcome> pages;
  options.on_page = [&pages](const ProcessedPage& p) { pages.push_back(OutcomeOf(p)); };
  if (options.batch.empty()) options.batch = "eval";
  if (options.principal.id.empty()) {
    auto intake =
        Policy().MakePrincipal("service:evaluation", "4817", Domain::kState, {"intake_service"});
    if (!intake.ok()) return intake.status();
    options.principal = *intake;
  }
  auto report = RunIntake(store->get(), rules, {(corpus / "scans").string()}, options);
  if (!report.ok()) return report.status();
  auto documents = (*store)->List<Document>();
  if (!documents.ok()) return documents.status();
  EvalReport r = Evaluate(truth, pages, *documents);
  r.pages_per_second = report->pages_per_second;
  r.workers = report->workers;
  return r;
}

std::string FormatReports(const std::vector<EvalReport>& reports) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-8s %6s %8s %8s %8s %8s %8s %8s %8s %8s %7s %8s %6s\n",
                "level", "pages", "cover", "sep P", "sep R", "blank P", "blank R", "orient",
                "link P", "link R", "CER", "manual", "p/s");
  out << line;
  auto pct = [](const Ratio& r) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f%%", 100 * r.value());
    return std::string(b);
  };
  for (const auto& r : reports) {
    std::snprintf(line, sizeof line, "%-8s %6d %8s %8s %8s %8s %8s %8s %8s %8s %6.2f%% %8s %6.2f\n",
                  r.degradation.c_str(), r.pages, pct(r.cover_recall).c_str(),
                  pct(r.separator_precision).c_str(), pct(r.separator_recall).c_str(),
                  pct(r.blank_precision).c_str(), pct(r.blank_recall).c_str(),
                  pct(r.orientation).c_str(), pct(r.link_precision).c_str(),
                  pct(r.link_recall).c_str(), 100 * r.cer(), pct(r.manual_share).c_str(),
                  r.pages_per_second);
    out << line;
  }
  return out.str();
}

}  // namespace postmottak

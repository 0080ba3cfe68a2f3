// postmottak-eval: measures intake against the ground truth of sample corpora.
//
//   postmottak-eval --generate DIR [--levels clean,office,poor,fax] [--pages N] [--seed S]
//       makes one corpus per level under DIR (kept, so the same pages can be given to
//       other tools) and evaluates each;
//   postmottak-eval --corpus DIR...           evaluates corpora made before;
//   postmottak-eval cer --corpus DIR --texts T [--per-file]
//       the character error rate of another tool's text for the corpus's content pages
//       (T/<file>-pNNN.txt, or with --per-file T/<file>.txt with pages split by form feeds);
//   postmottak-eval barcodes --corpus DIR
//       our barcode stage alone over the corpus's page images: time per page and recall.
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "codecs/page_source.h"
#include "pipeline/stages/ocr.h"
#include "pipeline/stages/page_analysis.h"
#include "samples/evaluation.h"
#include "samples/generator.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace postmottak;

namespace {

std::optional<json> LoadTruth(const std::string& corpus) {
  std::ifstream in(fs::path(corpus) / "truth.json");
  if (!in) return std::nullopt;
  try {
    json t;
    in >> t;
    return t;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int Fail(const std::string& message, int code = 1) {
  std::cerr << "postmottak-eval: " << message << "\n";
  return code;
}

// Makes the corpus for one level unless it is already there (same seed, same pages).
Status Generate(const std::string& dir, Degradation level, int pages, uint64_t seed,
                const Rules& rules) {
  if (LoadTruth(dir)) return Status::OK();
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  auto store = Store::Open((fs::path(dir) / "store").string());
  if (!store.ok()) return store.status();
  SampleOptions o;
  o.out_dir = dir;
  o.pages = pages;
  o.seed = seed;
  o.degradation = level;
  o.page_images = true;
  auto batch = GenerateSamples(store->get(), rules, o);
  return batch.ok() ? Status::OK() : batch.status();
}

int CerCommand(const std::string& corpus, const std::string& texts, bool per_file) {
  auto truth = LoadTruth(corpus);
  if (!truth) return Fail("no readable truth.json in " + corpus, 2);
  long edits = 0, chars = 0;
  int pages = 0;
  std::map<std::string, std::vector<std::string>> file_pages;  // per-file texts, split
  for (const auto& t : (*truth)["pages"]) {
    if (t["kind"] != "content") continue;
    std::string got;
    if (per_file) {
      const std::string stem = fs::path(t["file"].get<std::string>()).stem().string();
      auto it = file_pages.find(stem);
      if (it == file_pages.end()) {
        std::vector<std::string> split;
        std::string all = ReadText(fs::path(texts) / (stem + ".txt")), cur;
        for (char c : all) {
          if (c == '\f') {
            split.push_back(cur);
            cur.clear();
          } else {
            cur.push_back(c);
          }
        }
        split.push_back(cur);
        it = file_pages.emplace(stem, std::move(split)).first;
      }
      const size_t index = t["page"].get<size_t>() - 1;
      if (index < it->second.size()) got = it->second[index];
    } else {
      const std::string stem = fs::path(t.value("image", "")).stem().string();
      got = ReadText(fs::path(texts) / (stem + ".txt"));
    }
    const std::u32string want = NormalizeForCer(t["text"]);
    chars += static_cast<long>(want.size());
    edits += EditDistance(NormalizeForCer(got), want);
    ++pages;
  }
  std::cout << json{{"pages", pages},
                    {"cer_edits", edits},
                    {"cer_chars", chars},
                    {"character_error_rate", chars ? static_cast<double>(edits) / chars : 0}}
                   .dump()
            << "\n";
  return 0;
}

int BarcodesCommand(const std::string& corpus) {
  auto truth = LoadTruth(corpus);
  if (!truth) return Fail("no readable truth.json in " + corpus, 2);
  Ratio cover, separator;
  int pages = 0, false_positives = 0;
  double seconds = 0;
  for (const auto& t : (*truth)["pages"]) {
    const std::string image = t.value("image", "");
    if (image.empty()) return Fail(corpus + " has no page images (generate with --page-images)");
    // Timed as the other tools are: from the file on disk to the symbols.
    const auto start = std::chrono::steady_clock::now();
    auto source = PageSource::Open(image, SourceLimits{});
    if (!source.ok()) return Fail(source.status().message());
    auto page = (*source)->ReadPage(0);
    if (!page.ok()) return Fail(page.status().message());
    PageAnalysis a;
    ReadPageBarcodes(ToGray(*page), PageResolution(*page), &a);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++pages;
    const std::string kind = t["kind"];
    if (kind == "cover_sheet")
      cover.Count(a.kind == PageKind::kCoverSheet && a.cover_id == t["cover_id"]);
    else if (kind == "separator")
      separator.Count(a.kind == PageKind::kSeparator);
    else if (a.kind != PageKind::kContent)
      ++false_positives;
  }
  std::cout << json{{"pages", pages},
                    {"ms_per_page", pages ? 1000 * seconds / pages : 0},
                    {"cover_sheets", cover.total},
                    {"cover_recall", cover.value()},
                    {"separators", separator.total},
                    {"separator_recall", separator.value()},
                    {"false_positives", false_positives}}
                   .dump()
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  RestartWithSingleThreadedOcr(argv);
  CLI::App app{"Measures Postmottak's intake against sample corpora with ground truth"};
  std::vector<std::string> corpora;
  std::string generate_dir, json_out, rules_path = POSTMOTTAK_DEFAULT_RULES;
  std::string levels = "clean,office,poor,fax";
  int pages = 200, workers = 0;
  uint64_t seed = 20261123;
  app.add_option("--corpus", corpora, "corpus folders made by postmottak-samples");
  app.add_option("--generate", generate_dir, "make one corpus per level under this folder");
  app.add_option("--levels", levels, "degradation levels to generate, comma separated");
  app.add_option("--pages", pages, "pages per generated corpus");
  app.add_option("--seed", seed, "seed of the generated corpora");
  app.add_option("--workers", workers, "intake worker threads (0: one per core)");
  app.add_option("--json", json_out, "also write the reports as JSON to this file");
  app.add_option("--rules", rules_path, "rules file");
  std::string details_dir;
  app.add_option("--details", details_dir, "write per-page outcomes as <level>-pages.json here");

  auto* cer = app.add_subcommand("cer", "character error rate of another tool's text");
  std::string cer_corpus, cer_texts;
  bool per_file = false;
  cer->add_option("--corpus", cer_corpus)->required();
  cer->add_option("--texts", cer_texts, "folder of the tool's text files")->required();
  cer->add_flag("--per-file", per_file, "one text per scanned file, pages split by form feeds");
  auto* barcodes = app.add_subcommand("barcodes", "our barcode stage alone, over page images");
  std::string bar_corpus;
  barcodes->add_option("--corpus", bar_corpus)->required();
  CLI11_PARSE(app, argc, argv);

  if (cer->parsed()) return CerCommand(cer_corpus, cer_texts, per_file);
  if (barcodes->parsed()) return BarcodesCommand(bar_corpus);

  auto rules = Rules::Load(rules_path);
  if (!rules.ok()) return Fail(rules.status().message(), 2);
  if (!generate_dir.empty()) {
    std::stringstream ss(levels);
    std::string name;
    while (std::getline(ss, name, ',')) {
      Degradation level;
      if (!ParseDegradation(name, &level)) return Fail("unknown level " + name, 2);
      const std::string dir = (fs::path(generate_dir) / name).string();
      std::cerr << "postmottak-eval: corpus " << dir << "\n";
      if (Status s = Generate(dir, level, pages, seed, *rules); !s.ok()) return Fail(s.message());
      corpora.push_back(dir);
    }
  }
  if (corpora.empty()) return Fail("nothing to evaluate: give --corpus or --generate", 2);

  std::vector<EvalReport> reports;
  json all = json::array();
  for (const auto& corpus : corpora) {
    IntakeOptions options;
    options.workers = workers;
    auto r = EvaluateCorpus(corpus, *rules, options);
    if (!r.ok()) return Fail(corpus + ": " + r.status().message());
    reports.push_back(*r);
    json j = r->ToJson();
    j["corpus"] = corpus;
    if (!details_dir.empty()) {
      std::ofstream d(fs::path(details_dir) / (r->degradation + "-pages.json"));
      d << r->page_details.dump(1) << "\n";
    }
    all.push_back(j);
  }
  std::cout << FormatReports(reports);
  if (!json_out.empty()) {
    std::ofstream out(json_out);
    out << all.dump(1) << "\n";
    if (!out) return Fail("cannot write " + json_out);
  }
  return 0;
}

// Evaluation: how well an intake did, measured against a sample corpus's ground truth.
//
// A corpus is what postmottak-samples writes: scans/, truth.json, and the store in which
// its cases were registered. Evaluation copies that store (so the corpus stays as it
// was and can be evaluated again), intakes scans/ through the real pipeline, watches
// every page leave the CPU-heavy stages, and compares pages and stored documents with
// the truth. The measures are the ones a mail room chooses a system by:
//
//   cover-sheet recall        cover pages whose id was read right / cover pages
//   separator, blank          precision and recall of the page kind
//   orientation               content pages turned upright / content pages
//   link precision            documents on their true case / documents linked (a
//                             document's true case is that of its first page)
//   link recall               linkable documents linked to their true case / linkable
//   character error rate      edits / characters of the true text, over content pages
//   manual share              documents left for manual journaling / documents
#ifndef POSTMOTTAK_SAMPLES_EVALUATION_H_
#define POSTMOTTAK_SAMPLES_EVALUATION_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/intake/intake.h"
#include "storage/records.h"

namespace postmottak {

struct Ratio {
  int hits = 0;
  int total = 0;
  // 1 when there was nothing to find: no cover pages means none were missed.
  double value() const { return total == 0 ? 1.0 : static_cast<double>(hits) / total; }
  void Count(bool hit) {
    ++total;
    hits += hit ? 1 : 0;
  }
};

// One page as intake saw it.
struct PageOutcome {
  std::string file;
  int page = 0;
  std::string kind;  // content, blank, cover_sheet, separator, or rejected
  std::string cover_id;
  int rotation = 0;
  std::string text;
};
PageOutcome OutcomeOf(const ProcessedPage& page);

struct EvalReport {
  std::string degradation;
  int pages = 0;
  int documents = 0;
  Ratio cover_recall;
  Ratio separator_precision, separator_recall;
  Ratio blank_precision, blank_recall;
  Ratio orientation;
  Ratio link_precision, link_recall;
  Ratio manual_share;
  long cer_edits = 0;
  long cer_chars = 0;
  double pages_per_second = 0;
  int workers = 0;
  // Per page: file, page, truth and outcome kind and rotation, and edits/chars for
  // content pages; for finding what went wrong.
  nlohmann::json page_details = nlohmann::json::array();

  double cer() const { return cer_chars == 0 ? 0 : static_cast<double>(cer_edits) / cer_chars; }
  nlohmann::json ToJson() const;
};

// Compares the pages intake saw and the documents it stored with the ground truth.
EvalReport Evaluate(const nlohmann::json& truth, const std::vector<PageOutcome>& pages,
                    const std::vector<Document>& documents);

// Text as the character error rate compares it: UTF-8 decoded to code points, runs of
// white space (line breaks included) made one space, ends trimmed.
std::u32string NormalizeForCer(const std::string& utf8);
// Levenshtein distance (insertions, deletions, substitutions of one code point each).
long EditDistance(const std::u32string& a, const std::u32string& b);

// Intakes the corpus in `corpus_dir` into a copy of its store and evaluates the result.
// The copy is removed afterwards.
Result<EvalReport> EvaluateCorpus(const std::string& corpus_dir, const Rules& rules,
                                  IntakeOptions options);

// The reports as a table for people, one row per corpus.
std::string FormatReports(const std::vector<EvalReport>& reports);

}  // namespace postmottak

#endif  // POSTMOTTAK_SAMPLES_EVALUATION_H_

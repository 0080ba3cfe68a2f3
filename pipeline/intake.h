// Intake: the streaming pipeline from scanned files to journaled documents.
//
//   reader thread ──PageJob──▶ [bounded queue] ──▶ N workers ──ProcessedPage──▶
//   [reorder window] ──▶ assembler + journal (the calling thread, the store's only writer)
//
// The reader decodes one page at a time; each worker owns one OcrEngine and runs the
// CPU-heavy stages (page analysis, barcodes, OCR, extraction, image encoding) on a
// page; the committer puts pages back in batch order, assembles mail pieces and
// commits each one atomically. Both hand-overs are bounded, so memory is set by the
// worker count, not by the batch size.
//
// Exactly once: before the first page is read, intake takes the batch's inventory
// (pipeline/inventory.h) and records the batch. Each mail piece's commit writes a
// ledger entry for every page of the piece, in the same atomic write, so the ledger is
// the checkpoint: after a crash, running intake again on the same inputs finds the
// batch (its id is derived from the files' checksums, or given), skips the pages with
// an entry and carries on. Commits are synced to the WAL before they return.
#ifndef POSTMOTTAK_PIPELINE_INTAKE_H_
#define POSTMOTTAK_PIPELINE_INTAKE_H_

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "codecs/page_source.h"
#include "pipeline/assembler.h"
#include "pipeline/ocr.h"
#include "pipeline/page_analysis.h"
#include "pipeline/rules.h"
#include "storage/store.h"

namespace postmottak {

struct IntakeProgress {
  int pages_done = 0;
  int pages_known = 0;  // pages this run is expected to read
};

struct IntakeOptions {
  int workers = 0;    // 0: one per core
  std::string batch;  // batch name; default: derived from the time
  // Who takes the batch in: required, and it must carry the `intake` permission (a
  // quarantine retry runs the pipeline for a principal with `quarantine`).
  Principal principal;
  OcrOptions ocr;
  // Pages behind a cover sheet skip OCR: the cover sheet already names the case, so
  // they are journaled at once, without text, and `reindex --pending` adds the text
  // later (off the intake path). Pages without a cover sheet are always read, since
  // their text is what links them.
  bool defer_covered_ocr = false;
  PageAnalysisOptions analysis;
  SourceLimits limits;
  std::function<void(const IntakeProgress&)> on_progress;  // called from the committer
  // Sees every page after the CPU-heavy stages, in batch order, on the committer thread
  // (evaluation and diagnostics; it must not keep references).
  std::function<void(const ProcessedPage&)> on_page;
};

struct QuarantinedInput {
  std::string file;
  int page = 0;  // 0: the whole file
  std::string reason;
};

struct IntakeReport {
  std::string batch;
  int files = 0;
  int pages = 0;
  int blank_pages = 0;
  int cover_sheets = 0;
  int separator_sheets = 0;
  int mail_pieces = 0;
  int documents = 0;
  int linked_by_cover = 0;
  int linked_by_text = 0;
  int manual = 0;
  int duplicates = 0;       // documents not created: all their pages were held already
  int duplicate_pages = 0;  // pages identical to pages held already (duplicate files too)
  int duplicate_files = 0;  // files identical to a file taken in before
  int resumed_pages = 0;    // pages of the batch accounted for before this run began
  int runs = 0;             // intake runs on this batch, this one included
  int tasks_raised = 0;
  int tasks_closed = 0;
  std::vector<QuarantinedInput> quarantined;
  double seconds = 0;
  double pages_per_second = 0;
  int workers = 0;
};

// One page as the reader hands it to the workers: decoded, or the reason it was not.
// Page 0 stands for the whole file: `image` holds why it could not be read, or
// `duplicate_of` names the identical file it repeats.
struct PageJob {
  uint64_t seq = 0;  // set by the pipeline
  int file_index = 0;
  std::string file;  // the name records and messages use
  std::string path;  // where the bytes were read, when not `file` (a retry's scratch copy)
  int page = 0;
  std::string duplicate_of;
  Result<Image> image = Status::NotFound("no image");
};

// Produces the pages to process, in batch order, by calling `emit` for each; runs on
// the reader thread.
using PageFeed = std::function<void(const std::function<void(PageJob)>& emit)>;

// Feeds one file: every page not in `skip`; the file's refusal as page 0 when it cannot
// be opened; the unreachable rest of a damaged file as the page after its last. With
// `only_page`, that page alone (a file of one page is taken to hold it) and a refusal
// is that page's. `path` is read; `name` is what the jobs and their messages say.
// Returns the pages the file holds, or -1 when it cannot be opened.
int FeedFile(const std::string& path, const std::string& name, int file_index,
             const SourceLimits& limits, const std::set<int>& skip, int only_page,
             const std::function<void(PageJob)>& emit);
// The CPU-heavy stages in two halves, so OCR can be skipped between them. AnalyzeJob
// analyses the decoded page and sets `upright` to the image OCR would read (left
// empty when the page needs no OCR); RecognizePage adds text, searchable PDF and
// extraction. Their failures are the page's own, returned inside it.
ProcessedPage AnalyzeJob(PageJob job, const PageAnalysisOptions& analysis, Image* upright);
void RecognizePage(const Image& upright, OcrEngine* ocr, const Rules& rules, ProcessedPage* page);

// Takes in the files under `paths` (folders walked recursively, in name order) as one
// batch, or resumes the batch when it was begun before. Refused (PermissionDenied)
// unless options.principal may take in scans.
Result<IntakeReport> RunIntake(Store* store, const Rules& rules,
                               const std::vector<std::string>& paths, const IntakeOptions& options);

// The pipeline alone: the pages `feed` produces, processed and journaled into `batch`,
// which must exist. RunIntake runs a batch through it; a quarantine retry one input.
// `expected_pages` is for progress only.
Result<IntakeReport> RunPages(Store* store, const Rules& rules, const std::string& batch,
                              const PageFeed& feed, int expected_pages,
                              const IntakeOptions& options);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_INTAKE_H_

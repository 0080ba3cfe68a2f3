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
// (pipeline/stages/inventory.h) and records the batch. Each mail piece's commit writes a
// ledger entry for every page of the piece, in the same atomic write, so the ledger is
// the checkpoint: after a crash, running intake again on the same inputs finds the
// batch (its id is derived from the files' checksums, or given), skips the pages with
// an entry and carries on. Commits are synced to the WAL before they return.
#ifndef POSTMOTTAK_PIPELINE_INTAKE_INTAKE_H_
#define POSTMOTTAK_PIPELINE_INTAKE_INTAKE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "codecs/page_source.h"
#include "pipeline/config/rules.h"
#include "pipeline/intake/bounded_queue.h"
#include "pipeline/stages/assembler.h"
#include "pipeline/stages/notices.h"
#include "pipeline/stages/ocr.h"
#include "pipeline/stages/page_analysis.h"
#include "pipeline/vendor/decryption.h"
#include "postmottak/reports.h"
#include "storage/store.h"

namespace postmottak {

struct Inventory;  // pipeline/stages/inventory.h

struct IntakeProgress {
  int pages_done = 0;
  int pages_known = 0;  // pages this run is expected to read
};

class PageWorkers;

struct IntakeOptions {
  int workers = 0;    // 0: one per core
  std::string batch;  // batch name; default: derived from the time
  // Who takes the batch in: required, and it must carry the `intake` permission (a
  // quarantine retry runs the pipeline for a principal with `quarantine`).
  Principal principal;
  // Why, for the audit trail (the session's purpose); default "intake".
  std::string purpose;
  OcrOptions ocr;
  // Which areas are on the same side of the state/municipal divide, for the notices a
  // change notice raises (stages/notices.h); unset: one side.
  SameDomain same_domain;
  // Pages behind a cover sheet skip OCR: the cover sheet already names the case, so
  // they are journaled at once, without text, and `reindex --pending` adds the text
  // later (off the intake path). Pages without a cover sheet are always read, since
  // their text is what links them.
  bool defer_covered_ocr = false;
  PageAnalysisOptions analysis;
  SourceLimits limits;
  // Decrypts the scanning vendor's encrypted deliveries (`*.zip.pgp`, `*.enc.zip`);
  // unset: an encrypted delivery goes to quarantine whole.
  DecryptionKey vendor_key;
  std::function<void(const IntakeProgress&)> on_progress;  // called from the committer
  // Sees every page after the CPU-heavy stages, in batch order, on the committer thread
  // (evaluation and diagnostics; it must not keep references).
  std::function<void(const ProcessedPage&)> on_page;
  // Where the CPU-heavy stages run, made once the batch is known (remote workers:
  // pipeline/distributed/distributed.h); unset: `workers` threads in this process.
  std::function<Result<std::unique_ptr<PageWorkers>>(const std::string& batch)> remote_workers;
  // Set (by a signal handler, say): read no further pages; the pages in flight are
  // committed and the batch stays resumable (IntakeReport::interrupted).
  const std::atomic<bool>* stop = nullptr;
};

using QuarantinedInput = QuarantinedRecord;
// The public summary (postmottak/reports.h) is the whole report.
using IntakeReport = IntakeSummary;

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
  bool rendered = false;   // rendered from a PDF page (SourcePage::rendered)
  std::string text_layer;  // a born-digital page's own sound text: read instead of OCR
  std::string page_pdf;    // with a text layer: the page as its own PDF (SourcePage)
  // What is left of the page's time bound (SourceLimits::page_seconds) after reading
  // it; the workers' stages share it.
  double seconds_left = 60;
  double read_seconds = 0;
};

// Takes the next page in batch order; false when the run is stopping and the feed
// should read no more.
using EmitPage = std::function<bool(PageJob)>;
// Produces the pages to process, in batch order, by calling `emit` for each; runs on
// the reader thread.
using PageFeed = std::function<void(const EmitPage& emit)>;

// `message` naming the file as the batch knows it (`name`) where it names the copy read
// (`path`): a scratch copy's path means nothing to the person reading the message.
std::string NamedAsInBatch(std::string message, const std::string& path, const std::string& name);

// Feeds one file: every page not in `skip`; the file's refusal as page 0 when it cannot
// be opened; the unreachable rest of a damaged file as the page after its last. With
// `only_page`, that page alone (a file of one page is taken to hold it) and a refusal
// is that page's. `path` is read; `name` is what the jobs and their messages say.
// Stops early when `emit` says so. Returns the pages the file holds, or -1 when it
// cannot be opened.
int FeedFile(const std::string& path, const std::string& name, int file_index,
             const SourceLimits& limits, const std::set<int>& skip, int only_page,
             const EmitPage& emit);

// A file of `pages` pages with this checksum, taken in before by a batch other than
// `batch` and fully accounted for, as "batch/file-index"; empty when there is none. Such
// a file is the same delivery again: its pages are recorded as duplicates of what
// became of that file's pages.
std::string EarlierCopyOf(const Store& store, const std::string& sha256, int pages,
                          const std::string& batch);

// A processed page that so far knows only where it stands: the job's position, file and
// page.
ProcessedPage PageOf(const PageJob& job);
// Marks the page for quarantine with `reason`, naming its file and page. Its bytes go
// with it: the original kept so far, else the upright page already encoded (else the
// journal keeps the whole file), so a rejected page is never lost.
void RejectPage(ProcessedPage* page, const std::string& reason);

// Called by ProcessJob once a job is analysed: `needs_ocr` tells whether the page has
// text to read. Returns true to leave OCR to `reindex --pending` (deferred OCR behind a
// cover sheet); may block until the pages before it are known.
using DeferOcr = std::function<bool(const ProcessedPage& analysed, bool needs_ocr)>;

// The CPU-heavy stages on one job, exactly as embedded and remote workers both run
// them: a whole-file job (page 0) passes through as it is; a page is analysed (page
// analysis, barcodes, orientation, the stored image), then OCRed and extracted unless
// `defer` (may be null) leaves its OCR for later. Failures are the page's own, returned
// inside it: a library that throws on one hostile page fails that page, not the batch.
ProcessedPage ProcessJob(PageJob job, const PageAnalysisOptions& analysis, const Rules& rules,
                         OcrEngine* ocr, const DeferOcr& defer);

// Takes processed pages back to the committer, in any order, from any thread.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  // Blocks until page `seq` may be started: the committer has taken every page more
  // than the workers' window() before it. This is intake's backpressure.
  virtual void WaitRoom(uint64_t seq) = 0;
  // Exactly once per job, after WaitRoom(seq).
  virtual void Put(ProcessedPage page) = 0;
};

// Where the CPU-heavy stages run: threads of this process (the default), or remote
// workers (pipeline/distributed/distributed.h). The transport is the only difference: both run
// ProcessJob on every page.
class PageWorkers {
 public:
  virtual ~PageWorkers() = default;
  // Workers, for the report ("2 workers", "nats: 3 workers seen").
  virtual int count() const = 0;
  // Pages that may be in flight beyond the last page the committer took.
  virtual uint64_t window() const = 0;
  // Whether `defer` may be used: it blocks on pages other workers analyse, which only
  // works when they share this process.
  virtual bool can_defer_ocr() const = 0;
  // Processes the jobs of `jobs` until it is closed and drained, handing each result to
  // `sink` exactly once. Returns early with the failure that stopped it, if any.
  virtual Status Process(BoundedQueue<PageJob>* jobs, ResultSink* sink, const DeferOcr& defer) = 0;
  // Every page up to and including `seq` is committed durably (remote results can be
  // acknowledged).
  virtual void Committed(uint64_t seq) { (void)seq; }
};

// Threads in this process, each with its own Tesseract.
Result<std::unique_ptr<PageWorkers>> LocalWorkers(int threads, const OcrOptions& ocr,
                                                  const PageAnalysisOptions& analysis,
                                                  const Rules& rules);

// Takes in the files under `paths` (folders walked recursively, in name order) as one
// batch, or resumes the batch when it was begun before. Refused (PermissionDenied)
// unless options.principal may take in scans.
Result<IntakeReport> RunIntake(Store* store, const Rules& rules,
                               const std::vector<std::string>& paths, const IntakeOptions& options);
// The same for files already listed (TakeInventory): a quarantine retry lists a kept
// delivery from a temporary copy, and names its files after the original.
Result<IntakeReport> IntakeInventory(Store* store, const Rules& rules, const Inventory& inventory,
                                     const IntakeOptions& options);

// The pipeline alone: the pages `feed` produces, processed and journaled into `batch`,
// which must exist. RunIntake runs a batch through it; a quarantine retry one input.
// `expected_pages` is for progress only.
Result<IntakeReport> RunPages(Store* store, const Rules& rules, const std::string& batch,
                              const PageFeed& feed, int expected_pages,
                              const IntakeOptions& options);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_INTAKE_INTAKE_H_

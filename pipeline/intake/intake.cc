#include "pipeline/intake/intake.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "codecs/file_bytes.h"
#include "pipeline/intake/bounded_queue.h"
#include "pipeline/stages/inventory.h"
#include "pipeline/stages/journal.h"
#include "pipeline/vendor/delivery.h"
#include "storage/audit.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace fs = std::filesystem;

ProcessedPage PageOf(const PageJob& job) {
  ProcessedPage page;
  page.seq = job.seq;
  page.file_index = job.file_index;
  page.file = job.file;
  page.path = job.path;
  page.page = job.page;
  return page;
}

void RejectPage(ProcessedPage* page, const std::string& reason) {
  page->error = "file " + page->file + " page " + std::to_string(page->page) + ": " + reason;
  if (page->original.empty()) page->original = page->image;
}

namespace {

// The CPU-heavy stages in two halves, so OCR can be skipped between them. AnalyzeJob
// analyses the decoded page and sets `upright` to the image OCR would read (left empty
// when the page needs no OCR); RecognizePage adds text, searchable PDF and extraction.
ProcessedPage AnalyzeJob(PageJob job, const PageAnalysisOptions& analysis, Image* upright) {
  ProcessedPage out = PageOf(job);
  if (!job.image.ok()) {
    out.error = job.image.status().message();
    return out;
  }
  const Image& image = *job.image;
  auto keep_original = [&out, &image] {
    auto g4 = EncodeTiffG4(ToBitonal(image));
    if (g4.ok()) out.original = std::move(g4).value();
  };
  PageAnalysis a = AnalyzePage(image, analysis);
  out.kind = a.kind;
  out.cover_id = a.cover_id;
  out.rotation = a.rotation;
  out.skew = a.skew;
  if (!a.barcode_error.empty()) {
    keep_original();
    RejectPage(&out, a.barcode_error);
    out.error_starts_piece = true;
    return out;
  }
  if (a.kind == PageKind::kCoverSheet || a.kind == PageKind::kSeparator) {
    keep_original();
    return out;
  }
  if (a.kind == PageKind::kBlank) return out;

  auto g4 = EncodeTiffG4(a.upright);
  if (!g4.ok()) {
    keep_original();
    RejectPage(&out, g4.status().message());
    return out;
  }
  out.image = std::move(g4).value();
  out.image_format = "tiff-g4";
  *upright = std::move(a.upright);
  return out;
}

void RecognizePage(const Image& upright, OcrEngine* ocr, const Rules& rules, double seconds,
                   ProcessedPage* page) {
  auto text = ocr->Recognize(upright, seconds);
  if (!text.ok()) {
    RejectPage(page, text.status().message());
    return;
  }
  if (text->timed_out) {
    page->unread = "OCR was stopped at the page's time bound";
    return;
  }
  page->text = std::move(text->text);
  page->text_source = kTextFromOcr;
  page->pdf = std::move(text->pdf);
  page->extraction = ExtractFromText(page->text, rules);
}

// Puts pages back in batch order. Workers start a page only when it is less than
// `window` pages ahead of the page the committer takes next, which bounds the pages
// held here (and, with remote workers, the jobs in flight).
class ReorderWindow : public ResultSink {
 public:
  explicit ReorderWindow(uint64_t window) : window_(window) {}

  void WaitRoom(uint64_t seq) override {
    std::unique_lock<std::mutex> lock(mu_);
    room_.wait(lock, [&] { return seq < next_ + window_ || !failure_.ok(); });
  }
  void Put(ProcessedPage page) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (page.seq < next_ || pages_.count(page.seq)) return;  // a duplicate delivery
    pages_.emplace(page.seq, std::move(page));
    ready_.notify_all();
  }
  // The reader tells how many pages there were, once it knows.
  void SetTotal(uint64_t total) {
    std::lock_guard<std::mutex> lock(mu_);
    total_ = total;
    ready_.notify_all();
  }
  // The workers failed: no more pages will come.
  void Abort(Status failure) {
    std::lock_guard<std::mutex> lock(mu_);
    failure_ = std::move(failure);
    ready_.notify_all();
    room_.notify_all();
  }
  Status failure() {
    std::lock_guard<std::mutex> lock(mu_);
    return failure_;
  }
  // Next page in order, or nullopt at the end of the batch or after Abort.
  std::optional<ProcessedPage> Next() {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] {
      return pages_.count(next_) || (total_ && next_ >= *total_) || !failure_.ok();
    });
    auto it = pages_.find(next_);
    if (it == pages_.end() || !failure_.ok()) return std::nullopt;
    ProcessedPage page = std::move(it->second);
    pages_.erase(it);
    ++next_;
    room_.notify_all();
    return page;
  }

 private:
  const uint64_t window_;
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::map<uint64_t, ProcessedPage> pages_;
  uint64_t next_ = 0;
  std::optional<uint64_t> total_;
  Status failure_;
};

// Tells workers whether a page sits behind a cover sheet, which depends on the pages
// before it in its file: the nearest cover sheet, separator sheet or untrusted page, or
// the start of the file. Each worker publishes a page's boundary as soon as the page is
// analysed, then asks. A page waits only for pages taken from the queue before it, and
// those publish before they wait themselves, so every wait ends.
class CoverTracker {
 public:
  enum class Boundary { kNone, kCover, kOther };

  void Publish(uint64_t seq, const std::string& file, Boundary boundary) {
    std::lock_guard<std::mutex> lock(mu_);
    pages_[seq] = {file, boundary, false, false};
    // Resolve in batch order as far as the published pages reach.
    for (auto it = pages_.find(resolved_); it != pages_.end() && it->first == resolved_;
         it = pages_.find(resolved_)) {
      Entry& e = it->second;
      auto prev = pages_.find(resolved_ - 1);
      const bool inherits = prev != pages_.end() && prev->second.file == e.file;
      e.covered = inherits && prev->second.opens_cover;
      e.opens_cover =
          e.boundary == Boundary::kCover || (e.boundary == Boundary::kNone && e.covered);
      ++resolved_;
    }
    changed_.notify_all();
  }

  // True when the page `seq` (already published) is behind a cover sheet.
  bool Covered(uint64_t seq) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [&] { return resolved_ > seq; });
    return pages_[seq].covered;
  }

  // Pages before `seq` will not be asked about again (the committer has them).
  void Forget(uint64_t seq) {
    std::lock_guard<std::mutex> lock(mu_);
    // Keep one page before `seq`: the next page resolves against it.
    while (!pages_.empty() && pages_.begin()->first + 1 < seq &&
           pages_.begin()->first + 1 < resolved_)
      pages_.erase(pages_.begin());
  }

 private:
  struct Entry {
    std::string file;
    Boundary boundary = Boundary::kNone;
    bool covered = false;      // this page is behind a cover sheet
    bool opens_cover = false;  // the next page of the same file is
  };
  std::mutex mu_;
  std::condition_variable changed_;
  std::map<uint64_t, Entry> pages_;
  uint64_t resolved_ = 0;  // pages before this are resolved
};

CoverTracker::Boundary BoundaryOf(const ProcessedPage& p) {
  if (!StartsMailPiece(p)) return CoverTracker::Boundary::kNone;
  return p.kind == PageKind::kCoverSheet && p.error.empty() ? CoverTracker::Boundary::kCover
                                                            : CoverTracker::Boundary::kOther;
}

// Counts the page's rendering, text source and time, keeping the slowest few.
void NoteTime(const ProcessedPage& p, IntakeReport* r) {
  constexpr size_t kSlowest = 5;
  r->rendered_pages += p.rendered;
  r->text_layer_pages += p.text_source == kTextFromPdf;
  r->unread_pages += !p.unread.empty();
  auto& slow = r->slowest;
  if (slow.size() == kSlowest && slow.back().seconds >= p.seconds) return;
  auto at = std::find_if(slow.begin(), slow.end(),
                         [&](const SlowPage& s) { return s.seconds < p.seconds; });
  slow.insert(at, {p.file, p.page, p.seconds, p.rendered, p.unread});
  if (slow.size() > kSlowest) slow.pop_back();
}

void Accumulate(const PieceOutcome& o, IntakeReport* r) {
  r->duplicate_pages += o.duplicate_pages;
  r->documents += o.documents;
  r->linked_by_cover += o.linked_by_cover;
  r->linked_by_text += o.linked_by_text;
  r->linked_by_metadata += o.linked_by_metadata;
  r->manual += o.manual;
  r->duplicates += o.duplicates;
  r->tasks_raised += o.tasks_raised;
  r->tasks_closed += o.tasks_closed;
  r->notices += o.notices;
  for (const auto& q : o.quarantined) r->quarantined.push_back({q.file, q.page, q.reason});
}

// Threads of this process, each owning one Tesseract (an instance is not shared).
class ThreadWorkers : public PageWorkers {
 public:
  ThreadWorkers(std::vector<std::unique_ptr<OcrEngine>> engines,
                const PageAnalysisOptions& analysis, const Rules& rules)
      : engines_(std::move(engines)), analysis_(analysis), rules_(rules) {}

  int count() const override { return static_cast<int>(engines_.size()); }
  uint64_t window() const override { return engines_.size() * 4; }
  bool can_defer_ocr() const override { return true; }

  Status Process(BoundedQueue<PageJob>* jobs, ResultSink* sink, const DeferOcr& defer) override {
    std::vector<std::thread> pool;
    for (auto& engine : engines_) {
      pool.emplace_back([&, ocr = engine.get()] {
        while (auto job = jobs->Pop()) {
          sink->WaitRoom(job->seq);
          sink->Put(ProcessJob(std::move(*job), analysis_, rules_, ocr, defer));
        }
      });
    }
    for (auto& t : pool) t.join();
    return Status::OK();
  }

 private:
  std::vector<std::unique_ptr<OcrEngine>> engines_;
  const PageAnalysisOptions analysis_;
  const Rules& rules_;
};

}  // namespace

ProcessedPage ProcessJob(PageJob job, const PageAnalysisOptions& analysis, const Rules& rules,
                         OcrEngine* ocr, const DeferOcr& defer) {
  ProcessedPage page = PageOf(job);
  if (job.page == 0) {  // a whole-file error or duplicate travels as it is
    page.error = job.duplicate_of.empty() ? job.image.status().message() : "";
    page.duplicate_of = job.duplicate_of;
    if (defer) defer(page, false);
    return page;
  }
  // The page's time bound: what reading it left. Waits for neighbours (deferred OCR)
  // do not count against it.
  const double budget = job.seconds_left;
  double spent = 0;
  const bool rendered = job.rendered;
  std::string text_layer = std::move(job.text_layer);
  std::string page_pdf = std::move(job.page_pdf);
  const double read_seconds = job.read_seconds;
  Image upright;
  auto stage = std::chrono::steady_clock::now();
  try {
    page = AnalyzeJob(std::move(job), analysis, &upright);
  } catch (const std::exception& e) {
    RejectPage(&page, std::string("page could not be processed: ") + e.what());
  }
  spent += SecondsSince(stage);
  page.rendered = rendered;
  const bool needs_ocr = !upright.empty();
  if (needs_ocr && !text_layer.empty()) {
    // A born-digital page says what it says: its own text beats reading its picture.
    page.text = std::move(text_layer);
    page.text_source = kTextFromPdf;
    page.pdf = std::move(page_pdf);
    page.extraction = ExtractFromText(page.text, rules);
  } else if (defer && defer(page, needs_ocr) && needs_ocr) {
    page.ocr_deferred = true;
  } else if (needs_ocr && budget - spent <= 0) {
    page.unread = "analysis used the page's whole time bound";
  } else if (needs_ocr) {
    stage = std::chrono::steady_clock::now();
    try {
      RecognizePage(upright, ocr, rules, budget - spent, &page);
    } catch (const std::exception& e) {
      RejectPage(&page, std::string("OCR failed: ") + e.what());
    }
    spent += SecondsSince(stage);
  }
  page.seconds = read_seconds + spent;
  if (!page.unread.empty()) {
    char took[64];
    std::snprintf(took, sizeof took, " (%.1f s on the page)", page.seconds);
    page.unread += took;
  }
  return page;
}

Result<std::unique_ptr<PageWorkers>> LocalWorkers(int threads, const OcrOptions& ocr,
                                                  const PageAnalysisOptions& analysis,
                                                  const Rules& rules) {
  if (threads <= 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<OcrEngine>> engines;
  for (int i = 0; i < threads; ++i) {
    auto engine = OcrEngine::Create(ocr);
    if (!engine.ok()) return engine.status();
    engines.push_back(std::move(engine).value());
  }
  return std::unique_ptr<PageWorkers>(new ThreadWorkers(std::move(engines), analysis, rules));
}

std::string NamedAsInBatch(std::string message, const std::string& path, const std::string& name) {
  if (path.empty() || path == name) return message;
  for (size_t at = message.find(path); at != std::string::npos;
       at = message.find(path, at + name.size()))
    message.replace(at, path.size(), name);
  return message;
}

int FeedFile(const std::string& path, const std::string& name, int file_index,
             const SourceLimits& limits, const std::set<int>& skip, int only_page,
             const EmitPage& emit) {
  auto named = [&](const Status& s) {
    return path == name ? s : s.WithMessage(NamedAsInBatch(s.message(), path, name));
  };
  auto job = [&](int page, Result<SourcePage> read) {
    PageJob j;
    j.file_index = file_index;
    j.file = name;
    if (path != name) j.path = path;
    j.page = page;
    if (read.ok()) {
      j.image = std::move(read->image);
      j.rendered = read->rendered;
      j.text_layer = std::move(read->text_layer);
      j.page_pdf = std::move(read->page_pdf);
      j.read_seconds = read->seconds;
    } else {
      j.image = named(read.status());
    }
    j.seconds_left = limits.page_seconds - j.read_seconds;
    return emit(std::move(j));
  };
  auto source = PageSource::Open(path, limits);
  if (!source.ok()) {
    if (skip.empty()) job(only_page, source.status());
    return -1;
  }
  const int n = (*source)->page_count();
  if (only_page > 0) {
    job(only_page, (*source)->Read(n == 1 ? 0 : only_page - 1));
    return n;
  }
  for (int p = 0; p < n; ++p)
    if (!skip.count(p + 1) && !job(p + 1, (*source)->Read(p))) return n;
  // The unreachable rest of a damaged file, reported as the next page.
  if (Status damage = (*source)->Damage(); !damage.ok() && !skip.count(n + 1))
    job(n + 1, Result<SourcePage>(damage));
  return n;
}

namespace {

// The committer: takes the pages in batch order, assembles them into mail pieces and
// journals each piece. It runs on the thread that called RunPages, the one thread that
// writes the store during an intake. After a failed commit it takes the remaining
// pages without writing, so the other threads drain; Finish returns the failure.
class Committer {
 public:
  Committer(Store* store, const Rules& rules, const IntakeOptions& options,
            const std::string& batch, int expected_pages, PageWorkers* workers,
            CoverTracker* tracker, IntakeReport* report)
      : journal_(store, &rules, options.principal, batch, options.same_domain),
        options_(options),
        expected_pages_(expected_pages),
        workers_(workers),
        tracker_(tracker),
        report_(report) {}

  void Take(ProcessedPage page) {
    if (tracker_) tracker_->Forget(page.seq);
    if (page.page == 0) {
      TakeWholeFile(page);
      return;
    }
    CountPage(page);
    if (options_.on_page) options_.on_page(page);
    const uint64_t seq = page.seq;
    if (auto piece = assembler_.Add(std::move(page))) {
      Commit(std::move(piece));
      CommittedBefore(seq);
    }
    if (options_.on_progress) options_.on_progress({pages_done_, expected_pages_});
  }

  Status Finish() {
    Commit(assembler_.Finish());
    CommittedBefore(std::numeric_limits<uint64_t>::max());  // every page taken
    return failure_;
  }

 private:
  // Page 0 stands for a whole file: one that could not be read, or one identical to a
  // file taken in before.
  void TakeWholeFile(const ProcessedPage& page) {
    // Pieces never span files; closing the open one first keeps the ledger a prefix of
    // the batch.
    Commit(assembler_.Finish());
    if (!failure_.ok()) return;
    if (!page.duplicate_of.empty()) {
      auto n = journal_.RecordDuplicateFile(page.file_index, page.file, page.duplicate_of);
      if (!n.ok()) {
        failure_ = n.status();
        return;
      }
      ++report_->duplicate_files;
      report_->duplicate_pages += *n;
      pages_done_ += *n;
    } else {
      auto q = journal_.QuarantineFile(page);
      if (!q.ok()) failure_ = q.status();
      report_->quarantined.push_back({page.file, 0, page.error});
    }
    CommittedBefore(page.seq + 1);
  }

  void CountPage(const ProcessedPage& page) {
    ++report_->pages;
    ++pages_done_;
    NoteTime(page, report_);
    if (!page.error.empty()) return;
    if (page.kind == PageKind::kBlank) ++report_->blank_pages;
    if (page.kind == PageKind::kCoverSheet) ++report_->cover_sheets;
    if (page.kind == PageKind::kSeparator) ++report_->separator_sheets;
  }

  void Commit(std::optional<MailPiece> piece) {
    if (!piece || !failure_.ok()) return;
    ++report_->mail_pieces;
    auto outcome = journal_.Commit(*piece);
    if (!outcome.ok()) {
      failure_ = outcome.status();
      return;
    }
    Accumulate(*outcome, report_);
  }

  // A piece is committed when the next one starts, so each commit covers every page
  // before the page that started the new piece.
  void CommittedBefore(uint64_t seq) {
    if (seq > 0 && failure_.ok()) workers_->Committed(seq - 1);
  }

  Journal journal_;
  Assembler assembler_;
  const IntakeOptions& options_;
  const int expected_pages_;
  PageWorkers* workers_;
  CoverTracker* tracker_;  // set when OCR behind cover sheets is deferred
  IntakeReport* report_;
  Status failure_;
  int pages_done_ = 0;
};

// The reader: feeds every page of the batch into `jobs`, numbered in batch order, until
// the feed ends or `options.stop` is set (then `interrupted`).
std::thread StartReader(const PageFeed& feed, const IntakeOptions& options,
                        BoundedQueue<PageJob>* jobs, ReorderWindow* window,
                        std::atomic<bool>* interrupted) {
  return std::thread([&feed, &options, jobs, window, interrupted] {
    uint64_t seq = 0;
    feed([&](PageJob job) {
      if (options.stop && options.stop->load()) {
        *interrupted = true;
        return false;
      }
      job.seq = seq;
      if (!jobs->Push(std::move(job))) return false;
      ++seq;
      return true;
    });
    // A feed may also stop on its own when it sees the flag (between files); a stop
    // after the last page only makes the next run find nothing left to do.
    if (options.stop && options.stop->load()) *interrupted = true;
    window->SetTotal(seq);
    jobs->Close();
  });
}

// The workers' driver: processes the jobs into the window; a failure ends the batch.
std::thread StartProcessing(PageWorkers* workers, BoundedQueue<PageJob>* jobs,
                            ReorderWindow* window, DeferOcr defer_ocr) {
  return std::thread([workers, jobs, window, defer_ocr = std::move(defer_ocr)] {
    Status st = workers->Process(jobs, window, defer_ocr);
    if (!st.ok()) {
      window->Abort(st);
      jobs->Close();
    }
  });
}

}  // namespace

Result<IntakeReport> RunPages(Store* store, const Rules& rules, const std::string& batch,
                              const PageFeed& feed, int expected_pages,
                              const IntakeOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  IntakeReport report;
  report.batch = batch;

  auto made = options.remote_workers
                  ? options.remote_workers(batch)
                  : LocalWorkers(options.workers, options.ocr, options.analysis, rules);
  if (!made.ok()) return made.status();
  const std::unique_ptr<PageWorkers> workers = std::move(made).value();
  const bool defer = options.defer_covered_ocr;
  if (defer && !workers->can_defer_ocr())
    return Status::InvalidArgument(
        "deferred OCR needs every page's neighbours in one process: use it without remote "
        "workers");
  BoundedQueue<PageJob> jobs(static_cast<size_t>(std::max(2, workers->count() * 2)));
  ReorderWindow window(workers->window());
  CoverTracker tracker;
  DeferOcr defer_ocr;
  if (defer)
    defer_ocr = [&tracker](const ProcessedPage& page, bool needs_ocr) {
      tracker.Publish(page.seq, page.file,
                      page.page == 0 ? CoverTracker::Boundary::kOther : BoundaryOf(page));
      return needs_ocr && tracker.Covered(page.seq);
    };

  std::atomic<bool> interrupted{false};
  std::thread reader = StartReader(feed, options, &jobs, &window, &interrupted);
  std::thread processing = StartProcessing(workers.get(), &jobs, &window, std::move(defer_ocr));
  Committer committer(store, rules, options, batch, expected_pages, workers.get(),
                      defer ? &tracker : nullptr, &report);
  while (auto page = window.Next()) committer.Take(std::move(*page));
  const Status failure = committer.Finish();
  reader.join();
  processing.join();
  PM_RETURN_IF_ERROR(window.failure());
  if (!failure.ok()) return failure;
  report.interrupted = interrupted;
  report.workers = workers->count();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.pages_per_second = report.seconds > 0 ? report.pages / report.seconds : 0;
  return report;
}

namespace {

// Pages of each file of `batch` that have a ledger entry, by file index.
Result<std::map<int, std::set<int>>> AccountedPages(const Store& store, const std::string& batch) {
  auto ledger = store.List<LedgerEntry>(LedgerBatchPrefix(batch));
  if (!ledger.ok()) return ledger.status();
  std::map<int, std::set<int>> done;
  for (const auto& e : *ledger) done[e.file_index].insert(e.page);
  return done;
}

// True when every page of file `index` of `batch` has a ledger entry.
bool FileAccounted(const Store& store, const std::string& batch, int index, int pages) {
  auto ledger = store.List<LedgerEntry>(LedgerFilePrefix(batch, index));
  // A failed read counts against the store (Store::Read): the change that asked for the
  // earlier copy refuses to commit, so "not accounted" here decides nothing.
  if (!ledger.ok()) return false;
  std::set<int> seen;
  for (const auto& e : *ledger) seen.insert(e.page);
  if (seen.count(0)) return true;
  for (int p = 1; p <= pages; ++p)
    if (!seen.count(p)) return false;
  return pages > 0;
}

}  // namespace

std::string EarlierCopyOf(const Store& store, const std::string& sha256, int pages,
                          const std::string& batch) {
  for (const auto& [rest, name] : store.ScanIndex(index_keys::FileCopies(sha256))) {
    const auto slash = rest.rfind('/');
    const std::string other = rest.substr(0, slash);
    const int index = std::atoi(rest.c_str() + slash + 1);
    if (other != batch && FileAccounted(store, other, index, pages))
      return other + "/" + std::to_string(index);
  }
  return "";
}

namespace {

// Records a new batch, or finds the one these files began before (resumption).
// A delivered piece's metadata XML and the vendor's text, kept as the batch's blobs:
// nothing a vendor delivers is lost, and the journal entry points at them.
void KeepVendorCompanions(Change& change, const Inventory& inventory, Batch* b) {
  for (size_t i = 0; i < b->files.size(); ++i) {
    const DeliveredCompanions& c = inventory.companions[i];
    VendorReceipt& receipt = b->files[i].vendor;
    const std::string prefix = "batch/" + b->id + "/" + std::to_string(i) + "/";
    // Both were checked against their bounds when the delivery was read.
    if (auto xml = ReadFileBytes(c.xml, kMaxScanMetadataBytes); !c.xml.empty() && xml.ok()) {
      receipt.metadata_blob = prefix + "metadata.xml";
      change.PutBlob(receipt.metadata_blob, std::move(xml).value());
    }
    if (auto text = ReadFileBytes(c.ocr, kMaxVendorTextBytes); !c.ocr.empty() && text.ok()) {
      receipt.text_blob = prefix + "vendor.ocr";
      change.PutBlob(receipt.text_blob, std::move(text).value());
    }
  }
}

// The external reference makes a delivery idempotent. An identical copy of a vendor's
// file taken in before is already a duplicate (by checksum); a different file under a
// name already journaled, here or in this batch, is refused for a person to look at
// rather than journaled twice.
void RefuseRedeliveries(const Store& store, Batch* b) {
  std::map<std::string, size_t> first_in_batch;
  for (size_t i = 0; i < b->files.size(); ++i) {
    BatchFile& f = b->files[i];
    const std::string& ref = f.vendor.external_ref;
    if (ref.empty() || !f.refused.empty() || !f.duplicate_of.empty()) continue;
    const std::string before = "the vendor's file " + ref + " was delivered before";
    if (auto it = first_in_batch.find(ref); it != first_in_batch.end()) {
      f.refused = before + " in this delivery as " + b->files[it->second].name +
                  ", with other content: it is not journaled twice";
      continue;
    }
    first_in_batch[ref] = i;
    auto held = store.ScanIndex(index_keys::ExternalRefDocuments(ref));
    if (!held.empty())
      f.refused = before + " and journaled as document " + held.begin()->first +
                  "; this copy has other content: it is not journaled twice";
  }
}

Result<Batch> BeginBatch(Store* store, const std::string& id, const Inventory& inventory,
                         const Principal& principal) {
  Change change = store->BeginChange(principal, "intake of batch " + id);
  Batch b;
  if (auto existing = change.Get<Batch>(id); existing.ok()) {
    b = std::move(existing).value();
    bool same = b.files.size() == inventory.files.size();
    for (size_t i = 0; same && i < b.files.size(); ++i)
      same = b.files[i].sha256 == inventory.files[i].sha256 &&
             b.files[i].size == inventory.files[i].size;
    if (!same)
      return Status::FailedPrecondition(
          "batch " + id + " was begun with other files (" + std::to_string(b.files.size()) +
          "); rerun it with the same files, or give this delivery another --batch name");
    ++b.runs;
    change.Log("intake_resumed", "batch/" + id, "run " + std::to_string(b.runs));
  } else {
    b.id = id;
    b.created_at = NowUtc();
    b.created_by = principal.id;
    b.files = inventory.files;
    b.runs = 1;
    if (inventory.manifest) {
      b.has_manifest = true;
      b.manifest = ResolveManifest(*inventory.manifest, inventory.manifest_dir);
    }
    for (size_t i = 0; i < b.files.size(); ++i) {
      BatchFile& f = b.files[i];
      if (f.sha256.empty() || !f.error.empty() || f.pages <= 0 || !f.refused.empty()) continue;
      for (size_t j = 0; j < i && f.duplicate_of.empty(); ++j)
        if (b.files[j].sha256 == f.sha256 && b.files[j].error.empty() &&
            b.files[j].duplicate_of.empty())
          f.duplicate_of = id + "/" + std::to_string(j);
      if (f.duplicate_of.empty()) f.duplicate_of = EarlierCopyOf(*store, f.sha256, f.pages, id);
    }
    KeepVendorCompanions(change, inventory, &b);
    RefuseRedeliveries(*store, &b);
    change.Log(
        "intake_started", "batch/" + id,
        std::to_string(b.files.size()) + " files" + (b.has_manifest ? ", with manifest" : ""));
  }
  change.Put(b);
  PM_RETURN_IF_ERROR(change.Commit());
  return b;
}

}  // namespace

Result<IntakeReport> RunIntake(Store* store, const Rules& rules,
                               const std::vector<std::string>& paths,
                               const IntakeOptions& options) {
  PM_RETURN_IF_ERROR(RequireAudited(store, options.principal, Permission::kIntake, "take in scans",
                                    options.purpose.empty() ? "intake" : options.purpose));
  auto inventory = TakeInventory(paths, options.limits, options.vendor_key);
  if (!inventory.ok()) return inventory.status();
  return IntakeInventory(store, rules, *inventory, options);
}

Result<IntakeReport> IntakeInventory(Store* store, const Rules& rules, const Inventory& inventory,
                                     const IntakeOptions& options) {
  PM_RETURN_IF_ERROR(RequireAudited(store, options.principal, Permission::kIntake, "take in scans",
                                    options.purpose.empty() ? "intake" : options.purpose));
  const std::string id = options.batch.empty() ? DerivedBatchId(inventory) : options.batch;
  if (!IsValidBatchName(id))
    return Status::InvalidArgument("batch name \"" + id +
                                   "\" must be 1-64 letters, digits, '.', '_' or '-'");
  auto batch = BeginBatch(store, id, inventory, options.principal);
  if (!batch.ok()) return batch.status();

  auto accounted_pages = AccountedPages(*store, id);
  if (!accounted_pages.ok()) return accounted_pages.status();
  const auto done = std::move(accounted_pages).value();
  int resumed = 0, expected = 0;
  for (size_t i = 0; i < batch->files.size(); ++i) {
    auto it = done.find(static_cast<int>(i));
    const int accounted = it == done.end() ? 0 : static_cast<int>(it->second.size());
    resumed += accounted;
    expected += std::max(0, batch->files[i].pages - accounted);
  }

  // The files as named this run (the batch keeps the names of its first run).
  const std::vector<BatchFile>& files = inventory.files;
  const PageFeed feed = [&](const EmitPage& emit) {
    static const std::set<int> kNone;
    for (size_t i = 0; i < files.size(); ++i) {
      const int index = static_cast<int>(i);
      auto it = done.find(index);
      const std::set<int>& accounted = it == done.end() ? kNone : it->second;
      if (accounted.count(0)) continue;
      if (!batch->files[i].duplicate_of.empty()) {
        if (!accounted.empty()) continue;
        PageJob job;  // not read: its pages are recorded as the original's
        job.file_index = index;
        job.file = files[i].name;
        job.duplicate_of = batch->files[i].duplicate_of;
        if (!emit(std::move(job))) return;
        continue;
      }
      if (options.stop && options.stop->load()) return;  // the reader marks the run interrupted
      if (!batch->files[i].refused.empty()) {
        PageJob job;  // refused before reading: to quarantine whole, with its bytes
        job.file_index = index;
        job.file = files[i].name;
        job.path = inventory.paths[i];
        const BatchFile& f = batch->files[i];
        job.image = Status::InvalidArgument(
            f.name == f.vendor.delivery ? f.refused : "file " + f.name + ": " + f.refused);
        if (!emit(std::move(job))) return;
        continue;
      }
      FeedFile(inventory.paths[i], files[i].name, index, options.limits, accounted, 0, emit);
    }
  };
  auto report = RunPages(store, rules, id, feed, expected, options);
  if (!report.ok()) return report.status();
  report->files = static_cast<int>(files.size());
  report->resumed_pages = resumed;
  report->runs = batch->runs;

  Change change = store->BeginChange(options.principal, "intake of batch " + id);
  auto b = change.Get<Batch>(id);
  if (!b.ok()) return b.status();
  if (!b->complete && !report->interrupted) {
    b->complete = true;
    b->completed_at = NowUtc();
    change.Put(*b);
  }
  change.Log(
      report->interrupted ? "intake_interrupted" : "intake_finished", "batch/" + id,
      std::to_string(report->pages) + " pages this run, " + std::to_string(resumed) + " before");
  PM_RETURN_IF_ERROR(change.Commit());
  return report;
}

}  // namespace postmottak

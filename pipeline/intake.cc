#include "pipeline/intake.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "pipeline/bounded_queue.h"
#include "pipeline/journal.h"

namespace postmottak {

namespace fs = std::filesystem;

Result<std::vector<std::string>> ListInputFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file()) found.push_back(it->path().string());
      if (ec) return Status::IOError("folder " + p + " cannot be read: " + ec.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      return Status::NotFound("input " + p + " does not exist");
    }
  }
  return files;
}

namespace {

// Marks the page for quarantine, naming its file and page. Its bytes go with it: the
// original kept so far, else the upright page already encoded (else the journal keeps
// the whole file), so a rejected page is never lost.
void Reject(ProcessedPage* page, const std::string& reason) {
  page->error = "file " + page->file + " page " + std::to_string(page->page) + ": " + reason;
  if (page->original.empty()) page->original = page->image;
}

}  // namespace

ProcessedPage AnalyzeJob(PageJob job, const PageAnalysisOptions& analysis, Image* upright) {
  ProcessedPage out;
  out.seq = job.seq;
  out.file = job.file;
  out.page = job.page;
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
    Reject(&out, a.barcode_error);
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
    Reject(&out, g4.status().message());
    return out;
  }
  out.image = std::move(g4).value();
  out.image_format = "tiff-g4";
  *upright = std::move(a.upright);
  return out;
}

void RecognizePage(const Image& upright, OcrEngine* ocr, const Rules& rules, ProcessedPage* page) {
  auto text = ocr->Recognize(upright);
  if (!text.ok()) {
    Reject(page, text.status().message());
    return;
  }
  page->text = std::move(text->text);
  page->pdf = std::move(text->pdf);
  page->extraction = ExtractFromText(page->text, rules);
}

namespace {

// Puts pages back in batch order. A worker may run at most `window` pages ahead of the
// committer, which bounds the pages held here.
class ReorderWindow {
 public:
  explicit ReorderWindow(uint64_t window) : window_(window) {}

  void Put(ProcessedPage page) {
    std::unique_lock<std::mutex> lock(mu_);
    room_.wait(lock, [&] { return page.seq < next_ + window_; });
    pages_.emplace(page.seq, std::move(page));
    ready_.notify_all();
  }
  // The reader tells how many pages there were, once it knows.
  void SetTotal(uint64_t total) {
    std::lock_guard<std::mutex> lock(mu_);
    total_ = total;
    ready_.notify_all();
  }
  // Next page in order, or nullopt at the end of the batch.
  std::optional<ProcessedPage> Next() {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return pages_.count(next_) || (total_ && next_ >= *total_); });
    auto it = pages_.find(next_);
    if (it == pages_.end()) return std::nullopt;
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

std::string DefaultBatchName() {
  std::string t = NowUtc();
  t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == ':' || c == '-'; }), t.end());
  return "batch-" + t;
}

void Accumulate(const PieceOutcome& o, IntakeReport* r) {
  r->documents += o.documents;
  r->linked_by_cover += o.linked_by_cover;
  r->linked_by_text += o.linked_by_text;
  r->manual += o.manual;
  r->duplicates += o.duplicates;
  r->tasks_raised += o.tasks_raised;
  r->tasks_closed += o.tasks_closed;
  for (const auto& q : o.quarantined) r->quarantined.push_back({q.file, q.page, q.reason});
}

}  // namespace

Result<IntakeReport> RunIntake(Store* store, const Rules& rules,
                               const std::vector<std::string>& paths,
                               const IntakeOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto files_or = ListInputFiles(paths);
  if (!files_or.ok()) return files_or.status();
  const std::vector<std::string> files = std::move(files_or).value();

  IntakeReport report;
  report.batch = options.batch.empty() ? DefaultBatchName() : options.batch;
  report.files = static_cast<int>(files.size());
  const int workers =
      options.workers > 0 ? options.workers : std::max(1u, std::thread::hardware_concurrency());
  report.workers = workers;

  std::vector<std::unique_ptr<OcrEngine>> engines;
  for (int i = 0; i < workers; ++i) {
    auto engine = OcrEngine::Create(options.ocr);
    if (!engine.ok()) return engine.status();
    engines.push_back(std::move(engine).value());
  }

  BoundedQueue<PageJob> jobs(static_cast<size_t>(workers) * 2);
  ReorderWindow window(static_cast<uint64_t>(workers) * 4);
  std::atomic<int> pages_known{0};
  std::atomic<int> files_done{0};

  std::thread reader([&] {
    uint64_t seq = 0;
    for (const auto& file : files) {
      auto source = PageSource::Open(file, options.limits);
      if (!source.ok()) {
        PageJob job;
        job.seq = seq++;
        job.file = file;
        job.page = 0;
        job.image = source.status();
        jobs.Push(std::move(job));
        ++files_done;
        continue;
      }
      const int n = (*source)->page_count();
      pages_known += n;
      for (int i = 0; i < n; ++i) {
        PageJob job;
        job.seq = seq++;
        job.file = file;
        job.page = i + 1;
        job.image = (*source)->ReadPage(i);
        jobs.Push(std::move(job));
      }
      if (Status damage = (*source)->Damage(); !damage.ok()) {
        PageJob job;  // the unreachable rest of the file, reported as the next page
        job.seq = seq++;
        job.file = file;
        job.page = n + 1;
        job.image = damage;
        jobs.Push(std::move(job));
      }
      ++files_done;
    }
    window.SetTotal(seq);
    jobs.Close();
  });

  CoverTracker tracker;
  const bool defer = options.defer_covered_ocr;
  std::vector<std::thread> pool;
  for (int i = 0; i < workers; ++i) {
    pool.emplace_back([&, engine = engines[i].get()] {
      while (auto job = jobs.Pop()) {
        if (job->page == 0) {  // a whole-file error travels as it is
          ProcessedPage p;
          p.seq = job->seq;
          p.file = job->file;
          p.error = job->image.status().message();
          if (defer) tracker.Publish(p.seq, p.file, CoverTracker::Boundary::kOther);
          window.Put(std::move(p));
          continue;
        }
        // A library that throws on one hostile page must not take the batch with it.
        ProcessedPage page;
        page.seq = job->seq;
        page.file = job->file;
        page.page = job->page;
        Image upright;
        try {
          page = AnalyzeJob(std::move(*job), options.analysis, &upright);
        } catch (const std::exception& e) {
          Reject(&page, std::string("page could not be processed: ") + e.what());
        }
        if (defer) tracker.Publish(page.seq, page.file, BoundaryOf(page));
        if (!upright.empty()) {
          if (defer && tracker.Covered(page.seq)) {
            page.ocr_deferred = true;
          } else {
            try {
              RecognizePage(upright, engine, rules, &page);
            } catch (const std::exception& e) {
              Reject(&page, std::string("OCR failed: ") + e.what());
            }
          }
        }
        window.Put(std::move(page));
      }
    });
  }

  Journal journal(store, &rules, options.actor, report.batch);
  Assembler assembler;
  Status failure;
  int pages_done = 0;
  auto commit = [&](std::optional<MailPiece> piece) {
    if (!piece || !failure.ok()) return;
    ++report.mail_pieces;
    auto outcome = journal.Commit(*piece);
    if (!outcome.ok()) {
      failure = outcome.status();
      return;
    }
    Accumulate(*outcome, &report);
  };
  while (auto page = window.Next()) {
    if (defer) tracker.Forget(page->seq);
    if (page->page == 0) {
      auto q = journal.QuarantineFile(page->file, page->error);
      if (!q.ok()) failure = q.status();
      report.quarantined.push_back({page->file, 0, page->error});
      continue;
    }
    ++report.pages;
    ++pages_done;
    if (page->error.empty()) {
      if (page->kind == PageKind::kBlank) ++report.blank_pages;
      if (page->kind == PageKind::kCoverSheet) ++report.cover_sheets;
      if (page->kind == PageKind::kSeparator) ++report.separator_sheets;
    }
    if (options.on_page) options.on_page(*page);
    commit(assembler.Add(std::move(*page)));
    if (options.on_progress)
      options.on_progress({pages_done, pages_known.load(), files_done.load(), report.files});
  }
  commit(assembler.Finish());

  reader.join();
  for (auto& t : pool) t.join();
  if (!failure.ok()) return failure;

  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.pages_per_second = report.seconds > 0 ? report.pages / report.seconds : 0;
  return report;
}

}  // namespace postmottak

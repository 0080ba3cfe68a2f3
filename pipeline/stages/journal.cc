#include "pipeline/stages/journal.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "codecs/page_source.h"
#include "codecs/pdf_merge.h"
#include "codecs/sha256.h"
#include "pipeline/stages/completeness.h"
#include "pipeline/stages/extraction.h"
#include "pipeline/stages/linker.h"

namespace postmottak {

namespace {

constexpr int64_t kMaxQuarantinedFileBytes = int64_t{256} << 20;

// The bytes of the file a page was read from (its scratch copy in a retry), for
// quarantine when no page image could be made, so nothing is lost (up to a size limit).
std::string FileBytes(const ProcessedPage& page) {
  const std::string& file = page.path.empty() ? page.file : page.path;
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec || static_cast<int64_t>(size) > kMaxQuarantinedFileBytes) return "";
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Where the page's file was read: the batch's file, or a retry's scratch copy.
std::string SourcePath(const ProcessedPage& page) {
  return page.path.empty() ? page.file : page.path;
}
std::string SourcePath(const MailPiece& piece) {
  if (!piece.pages.empty()) return SourcePath(piece.pages.front());
  return piece.sheet ? SourcePath(*piece.sheet) : piece.file;
}

// A document from its draft: custody, and evidence from every page (repeated pages too:
// what they say about the person still counts). Its text is its stored pages'.
Document DraftDocument(const MailPiece& piece, const DocumentDraft& draft,
                       const std::string& mail_piece) {
  Document d;
  d.type = draft.type;
  d.mail_piece = mail_piece;
  d.source_file = piece.file;
  d.cover_id = piece.cover_id;
  d.received_at = NowUtc();
  d.pipeline_version = POSTMOTTAK_VERSION;
  for (size_t idx : draft.pages) {
    const ProcessedPage& p = piece.pages[idx];
    d.ocr_pending = d.ocr_pending || p.ocr_deferred;
    AppendUnique(&d.person_ids, p.extraction.person_ids);
    AppendUnique(&d.case_numbers, p.extraction.case_numbers);
    AppendUnique(&d.dates, p.extraction.dates);
  }
  return d;
}

// The page `sha256` held by a document of `case_id`, as "<doc id>/<page n>"; empty when
// none holds it.
std::string HeldForCase(Change& change, const std::string& sha256, const std::string& case_id) {
  for (const auto& [doc_id, n] : change.ScanIndex("page/" + sha256 + "/")) {
    auto held = change.Get<Document>(doc_id);
    if (held.ok() && held->case_id == case_id) return doc_id + "/" + n;
  }
  return "";
}

// A cover sheet links exactly, unless the text names another person; without one, the
// text links only when its evidence resolves to exactly one open case.
LinkDecision Decide(Change& change, const Rules& rules, const std::optional<CoverSheet>& sheet,
                    const Document& d) {
  LinkDecision decision = sheet ? LinkByCoverSheet(change, *sheet)
                                : LinkByText(change, rules, d.person_ids, d.case_numbers, d.type);
  if (sheet && !decision.case_id.empty() && !d.person_ids.empty()) {
    // The text must not contradict the cover sheet: a sheet on the wrong person's
    // papers is caught here rather than filed.
    auto c = change.Get<Case>(decision.case_id);
    if (c.ok() &&
        std::find(d.person_ids.begin(), d.person_ids.end(), c->person_id) == d.person_ids.end()) {
      decision = LinkDecision{};
      decision.evidence = "cover sheet " + sheet->id + " names case " + c->id +
                          ", but the text names another person";
    }
  }
  return decision;
}

// A linked document with pages nobody could read in time: a person in the case's unit
// reads them.
Task ReadingTask(Change& change, const Document& d) {
  Task t;
  t.id = "read-" + d.id;
  t.kind = TaskKind::kManualReading;
  t.case_id = d.case_id;
  t.document_id = d.id;
  auto c = change.Get<Case>(d.case_id);
  t.unit = c.ok() ? c->unit : "";
  t.reason = "not read in time: " + d.unread;
  t.created_at = NowUtc();
  return t;
}

void OpenTask(Change& change, const Task& t, PieceOutcome* out) {
  change.Put(t);
  change.Log("open_task", "task/" + t.id, ToString(t.kind));
  ++out->tasks_raised;
}

}  // namespace

std::string QuarantineId(const std::string& batch, const std::string& file, int page) {
  return "q-" + Sha256Hex(batch + "\n" + file + "\n" + std::to_string(page)).substr(0, 20);
}

Journal::Journal(Store* store, const Rules* rules, Principal principal, std::string batch)
    : store_(store),
      rules_(rules),
      principal_(std::move(principal)),
      batch_(std::move(batch)),
      purpose_("intake of batch " + batch_) {}

void Journal::Record(Change& change, LedgerEntry entry) {
  entry.batch = batch_;
  entry.id = LedgerKey(batch_, entry.file_index, entry.page);
  entry.time = NowUtc();
  change.Put(entry);
}

QuarantineEntry Journal::Quarantine(Change& change, int file_index, const std::string& file,
                                    int page, const std::string& reason, std::string bytes) {
  QuarantineEntry q;
  q.id = QuarantineId(batch_, file, page);
  if (auto earlier = change.Get<QuarantineEntry>(q.id); earlier.ok()) {
    // Refused again (a retry that failed): the earlier refusal stays on record.
    q = std::move(earlier).value();
    q.history.push_back({q.time, q.resolved_by.empty() ? principal_.id : q.resolved_by, q.reason,
                         q.blob_key, q.sha256});
    q.blob_key.clear();
    q.sha256.clear();
    q.status = QuarantineStatus::kHeld;
    q.resolution.clear();
  }
  q.batch = batch_;
  q.file = file;
  q.page = page;
  q.reason = reason;
  q.time = NowUtc();
  if (!bytes.empty()) {
    q.sha256 = Sha256Hex(bytes);
    q.blob_key =
        "quarantine/" + q.id + (q.history.empty() ? "" : "/" + std::to_string(q.history.size()));
    change.PutBlob(q.blob_key, std::move(bytes));
  }
  change.Put(q);
  change.Log("quarantine", "quarantine/" + q.id, reason);
  LedgerEntry e;
  e.file_index = file_index;
  e.file = file;
  e.page = page;
  e.disposition = PageDisposition::kQuarantined;
  e.quarantine = q.id;
  e.detail = reason;
  Record(change, std::move(e));
  return q;
}

Result<QuarantineEntry> Journal::QuarantineFile(const ProcessedPage& page) {
  Change change = store_->BeginChange(principal_, purpose_);
  QuarantineEntry q =
      Quarantine(change, page.file_index, page.file, 0, page.error, FileBytes(page));
  PM_RETURN_IF_ERROR(change.Commit());
  return q;
}

Result<int> Journal::RecordDuplicateFile(int file_index, const std::string& file,
                                         const std::string& original) {
  const auto slash = original.rfind('/');
  if (slash == std::string::npos) return Status::InvalidArgument("bad file reference " + original);
  const std::string batch = original.substr(0, slash);
  const int index = std::atoi(original.c_str() + slash + 1);
  auto listed = store_->List<LedgerEntry>(LedgerFilePrefix(batch, index));
  if (!listed.ok()) return listed.status();
  const std::vector<LedgerEntry>& earlier = *listed;
  if (earlier.empty())
    return Status::FailedPrecondition("file " + file + ": its original " + original +
                                      " has no ledger entries");
  Change change = store_->BeginChange(principal_, purpose_);
  for (const auto& o : earlier) {
    LedgerEntry e;
    e.file_index = file_index;
    e.file = file;
    e.page = o.page;
    e.disposition = PageDisposition::kDuplicate;
    e.document = o.document;
    e.case_id = o.case_id;
    e.sha256 = o.sha256;
    e.detail = "identical to file " + o.file + " of batch " + o.batch + ", where page " +
               std::to_string(o.page) + " was " + ToString(o.disposition) +
               (o.document.empty() ? "" : " (" + o.document + ")");
    Record(change, std::move(e));
  }
  change.Log("duplicate_file", "batch/" + batch_ + "/" + std::to_string(file_index),
             "file " + file + " is identical to " + earlier.front().file + " of batch " + batch);
  PM_RETURN_IF_ERROR(change.Commit());
  return static_cast<int>(earlier.size());
}

Result<PieceOutcome> Journal::Commit(const MailPiece& piece) {
  Change change = store_->BeginChange(principal_, purpose_);
  PieceOutcome out;
  auto page_entry = [&piece](int page, PageDisposition disposition) {
    LedgerEntry e;
    e.file_index = piece.file_index;
    e.file = piece.file;
    e.page = page;
    e.disposition = disposition;
    return e;
  };
  for (const auto& page : piece.rejected)
    out.quarantined.push_back(Quarantine(change, piece.file_index, page.file, page.page, page.error,
                                         page.original.empty() ? FileBytes(page) : page.original));

  std::optional<CoverSheet> sheet;
  if (!piece.cover_id.empty()) {
    auto s = change.Get<CoverSheet>(piece.cover_id);
    if (s.ok()) {
      sheet = std::move(s).value();
    } else {
      // A valid check digit but no such cover sheet: forged, or from another system.
      const int page = piece.sheet ? piece.sheet->page : 0;
      out.quarantined.push_back(Quarantine(change, piece.file_index, piece.file, page,
                                           "file " + piece.file + " page " + std::to_string(page) +
                                               ": unknown cover id " + piece.cover_id,
                                           piece.sheet ? piece.sheet->original : ""));
    }
  }
  const int first_page = piece.sheet            ? piece.sheet->page
                         : !piece.pages.empty() ? piece.pages.front().page
                                                : 0;
  const std::string mail_piece = batch_ + ":" + piece.file + ":" + std::to_string(first_page);
  if (piece.sheet) {
    change.Log(piece.separator ? "separator_sheet" : "cover_sheet", "mail_piece/" + mail_piece,
               "file " + piece.file + " page " + std::to_string(piece.sheet->page) +
                   (piece.cover_id.empty() ? "" : " cover " + piece.cover_id),
               sheet ? Concerning{sheet->case_id, sheet->person_id} : Concerning{});
    if (piece.separator || sheet) {
      LedgerEntry e = page_entry(piece.sheet->page, piece.separator ? PageDisposition::kSeparator
                                                                    : PageDisposition::kCoverSheet);
      e.detail = piece.separator ? "separator sheet" : "cover sheet " + piece.cover_id;
      e.case_id = sheet ? sheet->case_id : "";
      Record(change, std::move(e));
    }
  }
  if (!piece.blank_pages.empty()) {
    change.Log("blank_pages", "mail_piece/" + mail_piece, JoinPages(piece.blank_pages));
    for (int page : piece.blank_pages) Record(change, page_entry(page, PageDisposition::kBlank));
  }

  std::set<std::string> touched;
  // Pages journaled by this piece so far, by checksum: "<doc id>/<page n>".
  std::map<std::string, std::string> piece_held;
  const std::string source_path = SourcePath(piece);
  const bool from_pdf = SniffFile(source_path) == SourceFormat::kPdf;
  for (const auto& draft : piece.documents) {
    Document d = DraftDocument(piece, draft, mail_piece);
    d.batch = batch_;
    // Without text, the cover sheet is the only word on what the document is.
    if (d.ocr_pending && d.type == "unknown" && sheet && sheet->expected.size() == 1)
      d.type = sheet->expected.front();
    LinkDecision decision = Decide(change, *rules_, sheet, d);

    // A page is a duplicate only when it is the same mail again: identical to a page
    // earlier in this mail piece, or to one already held for the same case. The same
    // pixels for another case (a pre-printed form two persons both send) are that
    // person's document and are journaled there too.
    struct Repeat {
      size_t idx;
      std::string sha256;
      std::string holder;  // "<doc id>/<page n>", or empty: a page of this document
    };
    std::vector<size_t> fresh;
    std::vector<std::string> fresh_sha;
    std::vector<Repeat> repeated;
    for (size_t idx : draft.pages) {
      std::string sha = Sha256Hex(piece.pages[idx].image);
      std::string holder = piece_held.count(sha) ? piece_held[sha] : "";
      if (holder.empty() && !decision.case_id.empty())
        holder = HeldForCase(change, sha, decision.case_id);
      if (!holder.empty()) {
        repeated.push_back({idx, std::move(sha), holder});
      } else if (std::find(fresh_sha.begin(), fresh_sha.end(), sha) != fresh_sha.end()) {
        repeated.push_back({idx, std::move(sha), ""});
      } else {
        fresh.push_back(idx);
        fresh_sha.push_back(std::move(sha));
      }
    }
    std::string page_hashes;
    std::vector<std::string> page_pdfs;
    bool every_page_pdf = true;
    for (size_t i = 0; i < fresh.size(); ++i) {
      const ProcessedPage& p = piece.pages[fresh[i]];
      StoredPage sp;
      sp.format = p.image_format;
      sp.sha256 = fresh_sha[i];
      sp.source_page = p.page;
      sp.rotation = p.rotation;
      sp.skew = p.skew;
      sp.rendered = p.rendered;
      sp.text_source = p.text_source;
      d.pages.push_back(sp);
      d.source_pages.push_back(p.page);
      page_hashes += sp.sha256;
      d.text += (d.text.empty() ? "" : "\f") + p.text;
      if (p.pdf.empty())
        every_page_pdf = false;
      else
        page_pdfs.push_back(p.pdf);
      if (!p.unread.empty())
        d.unread += (d.unread.empty() ? "" : "; ") + std::string("page ") + std::to_string(p.page) +
                    ": " + p.unread;
    }
    d.content_hash = Sha256Hex(page_hashes);
    // Derived from where the pages arrived as well as what they hold, so identical
    // pages for two cases are two documents, and a rerun after a crash finds the same id.
    d.id = "doc-" + Sha256Hex(mail_piece + "\n" + d.content_hash).substr(0, 24);

    // Written once the document's case is known: a page it repeats belongs there too.
    auto record_repeats = [&](const std::string& own_id, const std::string& own_case) {
      for (const auto& r : repeated) {
        LedgerEntry e = page_entry(piece.pages[r.idx].page, PageDisposition::kDuplicate);
        e.sha256 = r.sha256;
        if (r.holder.empty()) {
          e.document = own_id;
          e.case_id = own_case;
          e.detail = "repeats a page of " + own_id;
        } else {
          const auto slash = r.holder.find('/');
          e.document = r.holder.substr(0, slash);
          if (auto held = change.Get<Document>(e.document); held.ok()) e.case_id = held->case_id;
          if (e.case_id.empty()) e.case_id = own_case;
          e.detail = "same page as page " + r.holder.substr(slash + 1) + " of " + e.document;
        }
        Record(change, std::move(e));
        ++out.duplicate_pages;
      }
    };
    if (fresh.empty()) {
      record_repeats("", decision.case_id);
      ++out.duplicates;
      std::vector<int> pages;
      for (const auto& r : repeated) pages.push_back(piece.pages[r.idx].page);
      change.Log("duplicate", "mail_piece/" + mail_piece,
                 "file " + piece.file + " pages " + JoinPages(pages) + " are held already");
      continue;
    }
    for (size_t i = 0; i < d.pages.size(); ++i) {
      d.pages[i].blob_key = "doc/" + d.id + "/page/" + std::to_string(i + 1);
      change.PutBlob(d.pages[i].blob_key, piece.pages[fresh[i]].image);
      piece_held[fresh_sha[i]] = d.id + "/" + std::to_string(i + 1);
    }
    if (every_page_pdf && !page_pdfs.empty()) {
      auto pdf = MergePdfs(page_pdfs);
      if (!pdf.ok()) return pdf.status().WithContext("file " + piece.file);
      d.pdf_blob = "doc/" + d.id + "/pdf";
      d.pdf_sha256 = Sha256Hex(*pdf);
      change.PutBlob(d.pdf_blob, std::move(pdf).value());
    }
    if (from_pdf) {
      // The pages as they arrived; a file qpdf cannot split keeps its page images only.
      if (auto original = ExtractPdfPages(source_path, d.source_pages); original.ok()) {
        d.original_blob = "doc/" + d.id + "/original";
        d.original_sha256 = Sha256Hex(*original);
        change.PutBlob(d.original_blob, std::move(original).value());
      }
    }

    d.link_evidence = decision.evidence;
    if (d.ocr_pending) d.link_evidence += " (OCR deferred: the text is not checked yet)";
    ++out.documents;
    if (!decision.case_id.empty()) {
      d.case_id = decision.case_id;
      d.linked_by = decision.method;
      d.linked_at = NowUtc();
      d.linked_actor = principal_.id;
      touched.insert(d.case_id);
      decision.method == LinkMethod::kCoverSheet ? ++out.linked_by_cover : ++out.linked_by_text;
      if (!d.unread.empty()) OpenTask(change, ReadingTask(change, d), &out);
    } else {
      ++out.manual;
      Task t;
      t.id = JournalingTaskId(d.id);
      t.kind = TaskKind::kManualJournaling;
      t.document_id = d.id;
      t.unit = rules_->intake_unit();
      t.reason = d.unread.empty() ? decision.evidence
                                  : "not read in time (" + d.unread + "): " + decision.evidence;
      t.created_at = NowUtc();
      OpenTask(change, t, &out);
    }
    for (size_t i = 0; i < fresh.size(); ++i) {
      LedgerEntry e = page_entry(piece.pages[fresh[i]].page, PageDisposition::kJournaled);
      e.document = d.id;
      e.case_id = d.case_id;
      e.sha256 = d.pages[i].sha256;
      e.detail = "page " + std::to_string(i + 1) + " of " + d.id;
      Record(change, std::move(e));
    }
    record_repeats(d.id, d.case_id);
    change.Put(d);
    change.Log("journal_document", "document/" + d.id,
               d.case_id.empty() ? "left for manual journaling"
                                 : "case " + d.case_id + " by " + ToString(d.linked_by),
               change.About(d.case_id));
  }
  for (const auto& case_id : touched) {
    auto outcome = EvaluateCase(change, *rules_, case_id);
    if (!outcome.ok()) return outcome.status();
    out.tasks_raised += outcome->tasks_raised;
    out.tasks_closed += outcome->tasks_closed;
  }
  PM_RETURN_IF_ERROR(change.Commit());
  return out;
}

}  // namespace postmottak

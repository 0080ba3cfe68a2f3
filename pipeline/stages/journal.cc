#include "pipeline/stages/journal.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "codecs/file_bytes.h"
#include "codecs/page_source.h"
#include "codecs/pdf_merge.h"
#include "codecs/sha256.h"
#include "pipeline/stages/completeness.h"
#include "pipeline/stages/extraction.h"
#include "pipeline/stages/linker.h"
#include "storage/index_keys.h"

namespace postmottak {

namespace {

constexpr int64_t kMaxQuarantinedFileBytes = int64_t{256} << 20;

// The bytes of the file a page was read from (its scratch copy in a retry), for
// quarantine when no page image could be made, so nothing is lost (up to a size limit).
std::string FileBytes(const ProcessedPage& page) {
  auto bytes = ReadFileBytes(page.path.empty() ? page.file : page.path, kMaxQuarantinedFileBytes);
  return bytes.ok() ? std::move(bytes).value() : "";
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
  for (const auto& [doc_id, n] : change.ScanIndex(index_keys::PageHolders(sha256))) {
    auto held = change.Get<Document>(doc_id);
    if (held.ok() && held->case_id == case_id) return doc_id + "/" + n;
  }
  return "";
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

Journal::Journal(Store* store, const Rules* rules, Principal principal, std::string batch,
                 SameDomain same_domain)
    : store_(store),
      rules_(rules),
      principal_(std::move(principal)),
      batch_(std::move(batch)),
      purpose_("intake of batch " + batch_),
      same_domain_(std::move(same_domain)) {}

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

struct Journal::Piece {
  Piece(const MailPiece& piece, Change c) : in(piece), change(std::move(c)) {}
  const MailPiece& in;
  Change change;
  PieceOutcome out;
  std::optional<CoverSheet> sheet;         // the registered sheet its cover id names
  std::string id;                          // the mail piece's id: "<batch>:<file>:<first page>"
  const VendorReceipt* receipt = nullptr;  // from a vendor's delivery
  bool sheet_by_reference = false;         // `sheet` is the one the vendor's reference names
  std::string doubt;        // set: its evidence disagrees, and every document goes to a person
  std::string source_path;  // where its file's bytes are
  bool from_pdf = false;
  std::set<std::string> touched;  // cases that received a document
  // Documents linked to a case, in order: what notices need of them (id, type, case).
  std::vector<Document> linked;
  // Pages journaled by this piece so far, by checksum: "<doc id>/<page n>".
  std::map<std::string, std::string> held;

  LedgerEntry Entry(int page, PageDisposition disposition) const {
    LedgerEntry e;
    e.file_index = in.file_index;
    e.file = in.file;
    e.page = page;
    e.disposition = disposition;
    return e;
  }
};

namespace {

// A page of a document that is not stored again: the same mail repeated.
struct Repeat {
  size_t idx;  // into MailPiece::pages
  std::string sha256;
  std::string holder;  // "<doc id>/<page n>", or empty: a page of this document
};

// The document's pages split into those to store (`fresh`, with their checksums) and
// repeats. A page is a duplicate only when it is the same mail again: identical to a
// page earlier in this mail piece, or to one already held for the same case. The same
// pixels for another case (a pre-printed form two persons both send) are that person's
// document and are journaled there too.
struct PageSplit {
  std::vector<size_t> fresh;
  std::vector<std::string> fresh_sha;
  std::vector<Repeat> repeated;
};

PageSplit SplitRepeats(Change& change, const MailPiece& piece, const DocumentDraft& draft,
                       const std::map<std::string, std::string>& held, const std::string& case_id) {
  PageSplit split;
  for (size_t idx : draft.pages) {
    std::string sha = Sha256Hex(piece.pages[idx].image);
    auto it = held.find(sha);
    std::string holder = it == held.end() ? "" : it->second;
    if (holder.empty() && !case_id.empty()) holder = HeldForCase(change, sha, case_id);
    if (!holder.empty()) {
      split.repeated.push_back({idx, std::move(sha), holder});
    } else if (std::find(split.fresh_sha.begin(), split.fresh_sha.end(), sha) !=
               split.fresh_sha.end()) {
      split.repeated.push_back({idx, std::move(sha), ""});
    } else {
      split.fresh.push_back(idx);
      split.fresh_sha.push_back(std::move(sha));
    }
  }
  return split;
}

// The fresh pages' records, text and unread notes on the document, and its id, which
// derives from where the pages arrived as well as what they hold: identical pages for
// two cases are two documents, and a rerun after a crash finds the same id.
void AddPages(const MailPiece& piece, const PageSplit& split, const std::string& mail_piece,
              Document* d) {
  std::string page_hashes;
  for (size_t i = 0; i < split.fresh.size(); ++i) {
    const ProcessedPage& p = piece.pages[split.fresh[i]];
    StoredPage sp;
    sp.format = p.image_format;
    sp.sha256 = split.fresh_sha[i];
    sp.source_page = p.page;
    sp.rotation = p.rotation;
    sp.skew = p.skew;
    sp.rendered = p.rendered;
    sp.text_source = p.text_source;
    d->pages.push_back(sp);
    d->source_pages.push_back(p.page);
    page_hashes += sp.sha256;
    d->text += (d->text.empty() ? "" : "\f") + p.text;
    if (!p.unread.empty())
      d->unread += (d->unread.empty() ? "" : "; ") + std::string("page ") + std::to_string(p.page) +
                   ": " + p.unread;
  }
  d->content_hash = Sha256Hex(page_hashes);
  d->id = "doc-" + Sha256Hex(mail_piece + "\n" + d->content_hash).substr(0, 24);
}

}  // namespace

Result<PieceOutcome> Journal::Commit(const MailPiece& piece) {
  Piece p(piece, store_->BeginChange(principal_, purpose_));
  const int first_page = piece.sheet            ? piece.sheet->page
                         : !piece.pages.empty() ? piece.pages.front().page
                                                : 0;
  p.id = batch_ + ":" + piece.file + ":" + std::to_string(first_page);
  p.source_path = SourcePath(piece);
  p.receipt = ReceiptOf(piece.file_index);
  p.from_pdf = SniffFile(p.source_path) == SourceFormat::kPdf;
  QuarantineRejected(p);
  ResolveCoverSheet(p);
  RecordSheetAndBlankPages(p);
  for (const auto& draft : piece.documents) PM_RETURN_IF_ERROR(JournalDocument(p, draft));
  PM_RETURN_IF_ERROR(EvaluateTouchedCases(p));
  PM_RETURN_IF_ERROR(NoticeOtherCases(p));
  PM_RETURN_IF_ERROR(p.change.Commit());
  return std::move(p.out);
}

void Journal::QuarantineRejected(Piece& p) {
  for (const auto& page : p.in.rejected)
    p.out.quarantined.push_back(
        Quarantine(p.change, p.in.file_index, page.file, page.page, page.error,
                   page.original.empty() ? FileBytes(page) : page.original));
}

const VendorReceipt* Journal::ReceiptOf(int file_index) {
  if (!batch_record_) {
    auto b = store_->Get<Batch>(batch_);
    batch_record_ = b.ok() ? std::move(b).value() : Batch{};
  }
  if (file_index < 0 || static_cast<size_t>(file_index) >= batch_record_->files.size())
    return nullptr;
  const VendorReceipt& r = batch_record_->files[file_index].vendor;
  return r.external_ref.empty() ? nullptr : &r;
}

// The vendor's reference number names the cover sheet it took off the piece: the same
// as a sheet on the first page. Both, disagreeing, leave the piece to a person.
void Journal::ResolveReference(Piece& p) {
  const std::string& reference = p.receipt->metadata.reference;
  const std::string cover_id = CoverIdOfReference(reference);
  const std::string said = "the vendor's reference number " + reference;
  if (!p.in.cover_id.empty()) {
    if (cover_id != p.in.cover_id)
      p.doubt = said + " and the cover sheet " + p.in.cover_id + " on the first page disagree";
    return;
  }
  auto s = p.change.Get<CoverSheet>(cover_id);
  if (cover_id.empty() || !s.ok()) {
    p.doubt = said + " names no cover sheet issued here";
    return;
  }
  p.sheet = std::move(s).value();
  p.sheet_by_reference = true;
}

void Journal::ResolveCoverSheet(Piece& p) {
  if (p.receipt && !p.receipt->metadata.reference.empty()) ResolveReference(p);
  if (p.in.cover_id.empty()) return;
  auto s = p.change.Get<CoverSheet>(p.in.cover_id);
  if (s.ok()) {
    p.sheet = std::move(s).value();
    return;
  }
  // A valid check digit but no such cover sheet: forged, or from another system.
  const int page = p.in.sheet ? p.in.sheet->page : 0;
  p.out.quarantined.push_back(Quarantine(
      p.change, p.in.file_index, p.in.file, page,
      "file " + p.in.file + " page " + std::to_string(page) + ": unknown cover id " + p.in.cover_id,
      p.in.sheet ? p.in.sheet->original : ""));
}

void Journal::RecordSheetAndBlankPages(Piece& p) {
  const MailPiece& in = p.in;
  if (in.sheet) {
    p.change.Log(in.separator ? "separator_sheet" : "cover_sheet", "mail_piece/" + p.id,
                 "file " + in.file + " page " + std::to_string(in.sheet->page) +
                     (in.cover_id.empty() ? "" : " cover " + in.cover_id),
                 p.sheet ? Concerning{p.sheet->case_id, p.sheet->person_id} : Concerning{});
    if (in.separator || p.sheet) {
      LedgerEntry e = p.Entry(in.sheet->page, in.separator ? PageDisposition::kSeparator
                                                           : PageDisposition::kCoverSheet);
      e.detail = in.separator ? "separator sheet" : "cover sheet " + in.cover_id;
      e.case_id = p.sheet ? p.sheet->case_id : "";
      Record(p.change, std::move(e));
    }
  }
  if (in.blank_pages.empty()) return;
  p.change.Log("blank_pages", "mail_piece/" + p.id, JoinPages(in.blank_pages));
  for (int page : in.blank_pages) Record(p.change, p.Entry(page, PageDisposition::kBlank));
}

Status Journal::JournalDocument(Piece& p, const DocumentDraft& draft) {
  Document d = DraftDocument(p.in, draft, p.id);
  d.batch = batch_;
  // Without text, the cover sheet is the only word on what the document is.
  if (d.ocr_pending && d.type == "unknown" && p.sheet && p.sheet->expected.size() == 1)
    d.type = p.sheet->expected.front();
  if (p.receipt) d.vendor = *p.receipt;
  const LinkDecision decision = Decide(p, d);
  const PageSplit split = SplitRepeats(p.change, p.in, draft, p.held, decision.case_id);
  AddPages(p.in, split, p.id, &d);

  // Written once the document's case is known: a page it repeats belongs there too.
  auto record_repeats = [&](const std::string& own_id, const std::string& own_case) {
    for (const auto& r : split.repeated) {
      LedgerEntry e = p.Entry(p.in.pages[r.idx].page, PageDisposition::kDuplicate);
      e.sha256 = r.sha256;
      if (r.holder.empty()) {
        e.document = own_id;
        e.case_id = own_case;
        e.detail = "repeats a page of " + own_id;
      } else {
        const auto slash = r.holder.find('/');
        e.document = r.holder.substr(0, slash);
        if (auto held = p.change.Get<Document>(e.document); held.ok()) e.case_id = held->case_id;
        if (e.case_id.empty()) e.case_id = own_case;
        e.detail = "same page as page " + r.holder.substr(slash + 1) + " of " + e.document;
      }
      Record(p.change, std::move(e));
      ++p.out.duplicate_pages;
    }
  };
  if (split.fresh.empty()) {
    record_repeats("", decision.case_id);
    ++p.out.duplicates;
    std::vector<int> pages;
    for (const auto& r : split.repeated) pages.push_back(p.in.pages[r.idx].page);
    p.change.Log("duplicate", "mail_piece/" + p.id,
                 "file " + p.in.file + " pages " + JoinPages(pages) + " are held already");
    return Status::OK();
  }
  for (size_t i = 0; i < split.fresh.size(); ++i)
    p.held[split.fresh_sha[i]] = d.id + "/" + std::to_string(i + 1);
  StoreContent(p, d, split.fresh);
  LinkOrQueue(p, d, decision);
  for (size_t i = 0; i < split.fresh.size(); ++i) {
    LedgerEntry e = p.Entry(p.in.pages[split.fresh[i]].page, PageDisposition::kJournaled);
    e.document = d.id;
    e.case_id = d.case_id;
    e.sha256 = d.pages[i].sha256;
    e.detail = "page " + std::to_string(i + 1) + " of " + d.id;
    Record(p.change, std::move(e));
  }
  record_repeats(d.id, d.case_id);
  p.change.Put(d);
  p.change.Log("journal_document", "document/" + d.id,
               d.case_id.empty() ? "left for manual journaling"
                                 : "case " + d.case_id + " by " + ToString(d.linked_by),
               p.change.About(d.case_id));
  return Status::OK();
}

void Journal::StoreContent(Piece& p, Document& d, const std::vector<size_t>& fresh) {
  std::vector<std::string> page_pdfs;
  for (size_t i = 0; i < fresh.size(); ++i) {
    const ProcessedPage& page = p.in.pages[fresh[i]];
    d.pages[i].blob_key = "doc/" + d.id + "/page/" + std::to_string(i + 1);
    p.change.PutBlob(d.pages[i].blob_key, page.image);
    if (!page.pdf.empty()) page_pdfs.push_back(page.pdf);
  }
  // A searchable PDF only when every page has one: a partial one would hide pages. One
  // that cannot be merged leaves the document with its page images, like a page without
  // a PDF, rather than stopping the batch; the trail says which file and pages.
  if (page_pdfs.size() == fresh.size()) {
    auto pdf = MergePdfs(page_pdfs);
    if (pdf.ok()) {
      d.pdf_blob = "doc/" + d.id + "/pdf";
      d.pdf_sha256 = Sha256Hex(*pdf);
      p.change.PutBlob(d.pdf_blob, std::move(pdf).value());
    } else {
      p.change.Log("no_searchable_pdf", "document/" + d.id,
                   "file " + p.in.file + " pages " + JoinPages(d.source_pages) + ": " +
                       pdf.status().message());
    }
  }
  if (p.from_pdf) {
    // The pages as they arrived; a file qpdf cannot split keeps its page images only.
    if (auto original = ExtractPdfPages(p.source_path, d.source_pages); original.ok()) {
      d.original_blob = "doc/" + d.id + "/original";
      d.original_sha256 = Sha256Hex(*original);
      p.change.PutBlob(d.original_blob, std::move(original).value());
    }
  }
}

LinkDecision Journal::Decide(Piece& p, const Document& d) {
  if (!p.doubt.empty()) return LinkDecision{"", LinkMethod::kNone, p.doubt};
  if (!p.sheet && p.receipt && NamesPerson(p.receipt->metadata))
    return LinkByScanMetadata(p.change, *rules_, p.receipt->metadata, d.person_ids, d.case_numbers,
                              d.type);
  LinkDecision decision =
      DecideLink(p.change, *rules_, p.sheet, d.person_ids, d.case_numbers, d.type);
  if (p.sheet_by_reference)
    decision.evidence =
        "the vendor's reference number " + p.receipt->metadata.reference + ": " + decision.evidence;
  return decision;
}

void Journal::LinkOrQueue(Piece& p, Document& d, const LinkDecision& decision) {
  d.link_evidence = decision.evidence;
  if (d.ocr_pending) d.link_evidence += " (OCR deferred: the text is not checked yet)";
  ++p.out.documents;
  if (!decision.case_id.empty()) {
    d.case_id = decision.case_id;
    d.linked_by = decision.method;
    d.linked_at = NowUtc();
    d.linked_actor = principal_.id;
    p.touched.insert(d.case_id);
    Document notice_source;
    notice_source.id = d.id;
    notice_source.type = d.type;
    notice_source.case_id = d.case_id;
    p.linked.push_back(std::move(notice_source));
    if (decision.method == LinkMethod::kCoverSheet) {
      ++p.out.linked_by_cover;
    } else if (decision.method == LinkMethod::kScanMetadata) {
      ++p.out.linked_by_metadata;
    } else {
      ++p.out.linked_by_text;
    }
    if (!d.unread.empty()) OpenTask(p.change, ReadingTask(p.change, d), &p.out);
    return;
  }
  ++p.out.manual;
  Task t;
  t.id = JournalingTaskId(d.id);
  t.kind = TaskKind::kManualJournaling;
  t.document_id = d.id;
  t.unit = rules_->intake_unit();
  t.reason = d.unread.empty() ? decision.evidence
                              : "not read in time (" + d.unread + "): " + decision.evidence;
  t.created_at = NowUtc();
  OpenTask(p.change, t, &p.out);
}

Status Journal::EvaluateTouchedCases(Piece& p) {
  for (const auto& case_id : p.touched) {
    auto outcome = EvaluateCase(p.change, *rules_, case_id);
    if (!outcome.ok()) return outcome.status();
    p.out.tasks_raised += outcome->tasks_raised;
    p.out.tasks_closed += outcome->tasks_closed;
  }
  return Status::OK();
}

Status Journal::NoticeOtherCases(Piece& p) {
  for (const Document& d : p.linked) {
    // Most documents are no change notice: their case is not read for nothing.
    const DocumentTypeRule* type = rules_->DocumentType(d.type);
    if (!type || type->notify.empty()) continue;
    auto on = p.change.Get<Case>(d.case_id);
    if (!on.ok()) return on.status();
    auto raised = RaiseNotices(p.change, *rules_, same_domain_, d, *on);
    if (!raised.ok()) return raised.status();
    p.out.notices += *raised;
  }
  return Status::OK();
}

}  // namespace postmottak

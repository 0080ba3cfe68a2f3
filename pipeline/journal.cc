#include "pipeline/journal.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "codecs/pdf_merge.h"
#include "codecs/sha256.h"
#include "pipeline/completeness.h"
#include "pipeline/extraction.h"
#include "pipeline/linker.h"

namespace postmottak {

namespace {

constexpr int64_t kMaxQuarantinedFileBytes = int64_t{256} << 20;

// The file's bytes, for quarantine when no page image could be made, so nothing is
// lost (up to a size limit).
std::string FileBytes(const std::string& file) {
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec || static_cast<int64_t>(size) > kMaxQuarantinedFileBytes) return "";
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Journal::Journal(Store* store, const Rules* rules, std::string actor, std::string batch)
    : store_(store), rules_(rules), actor_(std::move(actor)), batch_(std::move(batch)) {}

QuarantineEntry Journal::Quarantine(Change& change, const std::string& file, int page,
                                    const std::string& reason, std::string bytes) {
  QuarantineEntry q;
  q.id = "q-" + Sha256Hex(batch_ + "\n" + file + "\n" + std::to_string(page)).substr(0, 20);
  q.batch = batch_;
  q.file = file;
  q.page = page;
  q.reason = reason;
  q.time = NowUtc();
  if (!bytes.empty()) {
    q.blob_key = "quarantine/" + q.id;
    change.PutBlob(q.blob_key, std::move(bytes));
  }
  change.Put(q);
  change.Log("quarantine", "quarantine/" + q.id, reason);
  return q;
}

Result<QuarantineEntry> Journal::QuarantineFile(const std::string& file,
                                                const std::string& reason) {
  Change change = store_->BeginChange(actor_);
  QuarantineEntry q = Quarantine(change, file, 0, reason, FileBytes(file));
  PM_RETURN_IF_ERROR(change.Commit());
  return q;
}

Result<PieceOutcome> Journal::Commit(const MailPiece& piece) {
  Change change = store_->BeginChange(actor_);
  PieceOutcome out;
  for (const auto& page : piece.rejected)
    out.quarantined.push_back(
        Quarantine(change, page.file, page.page, page.error,
                   page.original.empty() ? FileBytes(page.file) : page.original));

  std::optional<CoverSheet> sheet;
  if (!piece.cover_id.empty()) {
    auto s = change.Get<CoverSheet>(piece.cover_id);
    if (s.ok()) {
      sheet = std::move(s).value();
    } else {
      // A valid check digit but no such cover sheet: forged, or from another system.
      const int page = piece.sheet ? piece.sheet->page : 0;
      out.quarantined.push_back(Quarantine(change, piece.file, page,
                                           "file " + piece.file + " page " + std::to_string(page) +
                                               ": unknown cover id " + piece.cover_id,
                                           piece.sheet ? piece.sheet->original : ""));
    }
  }
  const int first_page = piece.sheet            ? piece.sheet->page
                         : !piece.pages.empty() ? piece.pages.front().page
                                                : 0;
  const std::string mail_piece = batch_ + ":" + piece.file + ":" + std::to_string(first_page);
  if (piece.sheet)
    change.Log(piece.separator ? "separator_sheet" : "cover_sheet", "mail_piece/" + mail_piece,
               "file " + piece.file + " page " + std::to_string(piece.sheet->page) +
                   (piece.cover_id.empty() ? "" : " cover " + piece.cover_id));
  if (!piece.blank_pages.empty())
    change.Log("blank_pages", "mail_piece/" + mail_piece, JoinPages(piece.blank_pages));

  std::set<std::string> touched;
  for (const auto& draft : piece.documents) {
    Document d;
    d.type = draft.type;
    d.batch = batch_;
    d.mail_piece = mail_piece;
    d.source_file = piece.file;
    d.cover_id = piece.cover_id;
    d.received_at = NowUtc();
    d.pipeline_version = POSTMOTTAK_VERSION;
    std::string page_hashes;
    std::vector<std::string> page_pdfs;
    for (size_t idx : draft.pages) {
      const ProcessedPage& p = piece.pages[idx];
      StoredPage sp;
      sp.format = p.image_format;
      sp.sha256 = Sha256Hex(p.image);
      sp.source_page = p.page;
      sp.rotation = p.rotation;
      sp.skew = p.skew;
      d.pages.push_back(sp);
      d.source_pages.push_back(p.page);
      page_hashes += sp.sha256;
      d.ocr_pending = d.ocr_pending || p.ocr_deferred;
      if (!p.pdf.empty()) page_pdfs.push_back(p.pdf);
      d.text += (d.text.empty() ? "" : "\f") + p.text;
      AppendUnique(&d.person_ids, p.extraction.person_ids);
      AppendUnique(&d.case_numbers, p.extraction.case_numbers);
      AppendUnique(&d.dates, p.extraction.dates);
    }
    d.content_hash = Sha256Hex(page_hashes);
    d.id = "doc-" + d.content_hash.substr(0, 24);
    auto seen = change.ScanIndex("hash/" + d.content_hash);
    if (!seen.empty() || change.Get<Document>(d.id).ok()) {
      ++out.duplicates;
      change.Log("duplicate", "document/" + d.id,
                 "file " + piece.file + " pages " + JoinPages(d.source_pages));
      continue;
    }
    for (size_t i = 0; i < d.pages.size(); ++i) {
      d.pages[i].blob_key = "doc/" + d.id + "/page/" + std::to_string(i + 1);
      change.PutBlob(d.pages[i].blob_key, piece.pages[draft.pages[i]].image);
    }
    if (!page_pdfs.empty()) {
      auto pdf = MergePdfs(page_pdfs);
      if (!pdf.ok()) return pdf.status().WithContext("file " + piece.file);
      d.pdf_blob = "doc/" + d.id + "/pdf";
      d.pdf_sha256 = Sha256Hex(*pdf);
      change.PutBlob(d.pdf_blob, std::move(pdf).value());
    }

    // Without text, the cover sheet is the only word on what the document is.
    if (d.ocr_pending && d.type == "unknown" && sheet && sheet->expected.size() == 1)
      d.type = sheet->expected.front();
    LinkDecision decision = sheet
                                ? LinkByCoverSheet(change, *sheet)
                                : LinkByText(change, *rules_, d.person_ids, d.case_numbers, d.type);
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
    d.link_evidence = decision.evidence;
    if (d.ocr_pending) d.link_evidence += " (OCR deferred: the text is not checked yet)";
    ++out.documents;
    if (!decision.case_id.empty()) {
      d.case_id = decision.case_id;
      d.linked_by = decision.method;
      d.linked_at = NowUtc();
      d.linked_actor = actor_;
      touched.insert(d.case_id);
      decision.method == LinkMethod::kCoverSheet ? ++out.linked_by_cover : ++out.linked_by_text;
    } else {
      ++out.manual;
      Task t;
      t.id = JournalingTaskId(d.id);
      t.kind = TaskKind::kManualJournaling;
      t.document_id = d.id;
      t.unit = rules_->intake_unit();
      t.reason = decision.evidence;
      t.created_at = NowUtc();
      change.Put(t);
      ++out.tasks_raised;
    }
    change.Put(d);
    change.Log("journal_document", "document/" + d.id,
               d.case_id.empty() ? "left for manual journaling"
                                 : "case " + d.case_id + " by " + ToString(d.linked_by));
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

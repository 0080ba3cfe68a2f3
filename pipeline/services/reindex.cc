#include "pipeline/services/reindex.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "codecs/image.h"
#include "codecs/pdf_merge.h"
#include "codecs/sha256.h"
#include "pipeline/stages/completeness.h"
#include "pipeline/stages/extraction.h"
#include "storage/audit.h"

namespace postmottak {

namespace {

struct Redone {
  Status status;
  std::string text;
  std::string type;
  std::vector<std::string> person_ids, case_numbers, dates;
  std::vector<std::string> page_pdfs;
  bool timed_out = false;  // a page ran past its bound: the document stays as it was
};

// A document with a page whose text came from its own text layer (a born-digital PDF
// page) is not read again: OCR of its picture could only be worse.
bool HasOwnText(const Document& d) {
  return std::any_of(d.pages.begin(), d.pages.end(),
                     [](const StoredPage& p) { return p.text_source == kTextFromPdf; });
}

Redone RedoDocument(const Store& store, const Rules& rules, const Document& d, OcrEngine* ocr,
                    double page_seconds) {
  Redone r;
  for (size_t i = 0; i < d.pages.size(); ++i) {
    auto bytes = store.GetBlob(d.pages[i].blob_key);
    if (!bytes.ok()) {
      r.status = bytes.status().WithContext("document " + d.id);
      return r;
    }
    auto image = DecodeImage(*bytes);
    if (!image.ok()) {
      r.status = image.status().WithContext("document " + d.id + " page " + std::to_string(i + 1));
      return r;
    }
    auto page = ocr->Recognize(*image, page_seconds);
    if (!page.ok()) {
      r.status = page.status().WithContext("document " + d.id + " page " + std::to_string(i + 1));
      return r;
    }
    if (page->timed_out) {
      r.timed_out = true;
      return r;
    }
    Extraction e = ExtractFromText(page->text, rules);
    if (r.type.empty() && !e.document_type.empty()) r.type = e.document_type;
    AppendUnique(&r.person_ids, e.person_ids);
    AppendUnique(&r.case_numbers, e.case_numbers);
    AppendUnique(&r.dates, e.dates);
    r.text += (i == 0 ? "" : "\f") + page->text;
    r.page_pdfs.push_back(std::move(page->pdf));
  }
  if (r.type.empty()) r.type = "unknown";
  return r;
}

}  // namespace

Result<ReindexReport> Reindex(Store* store, const Rules& rules, const ReindexOptions& options) {
  PM_RETURN_IF_ERROR(RequireAudited(store, options.principal, Permission::kMaintain,
                                    "reindex the store",
                                    options.purpose.empty() ? "reindex" : options.purpose));
  const std::string purpose = options.purpose.empty() ? "reindex" : options.purpose;
  ReindexReport report;
  auto listed = store->List<Document>();
  if (!listed.ok()) return listed.status();
  std::vector<Document> docs = std::move(listed).value();
  report.documents = static_cast<int>(docs.size());
  docs.erase(std::remove_if(docs.begin(), docs.end(),
                            [&](const Document& d) {
                              return HasOwnText(d) || (options.only_pending && !d.ocr_pending);
                            }),
             docs.end());
  if (auto cursor = store->GetMeta(kReindexCursorKey)) {
    report.resumed = true;
    docs.erase(std::remove_if(docs.begin(), docs.end(),
                              [&](const Document& d) { return d.id <= *cursor; }),
               docs.end());
  }
  const int workers =
      options.workers > 0 ? options.workers : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<OcrEngine>> engines;
  for (int i = 0; i < workers && !docs.empty(); ++i) {
    auto engine = OcrEngine::Create(options.ocr);
    if (!engine.ok()) return engine.status();
    engines.push_back(std::move(engine).value());
  }

  const size_t chunk = static_cast<size_t>(std::max(1, options.chunk));
  for (size_t begin = 0; begin < docs.size(); begin += chunk) {
    const size_t end = std::min(docs.size(), begin + chunk);
    std::vector<Redone> results(end - begin);
    std::atomic<size_t> next{begin};
    std::vector<std::thread> pool;
    for (auto& engine : engines) {
      pool.emplace_back([&, ocr = engine.get()] {
        for (size_t i; (i = next++) < end;)
          results[i - begin] = RedoDocument(*store, rules, docs[i], ocr, options.page_seconds);
      });
    }
    for (auto& t : pool) t.join();

    Change change = store->BeginChange(options.principal, purpose);
    for (size_t i = begin; i < end; ++i) {
      Redone& r = results[i - begin];
      if (!r.status.ok()) return r.status;
      Document d = docs[i];
      if (r.timed_out) {
        change.Log("reindex_read", "document/" + d.id,
                   "a page ran past its time bound, kept as it was", change.About(d.case_id));
        continue;
      }
      if (!d.ocr_pending && d.unread.empty() && r.text == d.text && r.type == d.type &&
          r.person_ids == d.person_ids && r.case_numbers == d.case_numbers && r.dates == d.dates) {
        change.Log("reindex_read", "document/" + d.id, "page images read, nothing changed",
                   change.About(d.case_id));
        continue;
      }
      d.ocr_pending = false;
      d.unread.clear();
      for (auto& p : d.pages) p.text_source = kTextFromOcr;
      d.text = std::move(r.text);
      d.type = std::move(r.type);
      d.person_ids = std::move(r.person_ids);
      d.case_numbers = std::move(r.case_numbers);
      d.dates = std::move(r.dates);
      auto pdf = MergePdfs(r.page_pdfs);
      if (!pdf.ok()) return pdf.status().WithContext("document " + d.id);
      d.pdf_sha256 = Sha256Hex(*pdf);
      change.PutBlob(d.pdf_blob.empty() ? "doc/" + d.id + "/pdf" : d.pdf_blob,
                     std::move(pdf).value());
      d.pdf_blob = "doc/" + d.id + "/pdf";
      d.pipeline_version = POSTMOTTAK_VERSION;
      change.Put(d);
      change.Log("reindex_document", "document/" + d.id, "page images read, text redone",
                 change.About(d.case_id));
      ++report.changed;
    }
    change.SetMeta(kReindexCursorKey, docs[end - 1].id);
    PM_RETURN_IF_ERROR(change.Commit());
    report.processed += static_cast<int>(end - begin);
    if (options.on_progress) options.on_progress(report.processed, static_cast<int>(docs.size()));
  }

  PM_RETURN_IF_ERROR(store->RebuildIndexes(options.principal, purpose));
  auto cases = store->List<Case>();
  if (!cases.ok()) return cases.status();
  Change change = store->BeginChange(options.principal, purpose);
  for (const auto& c : *cases) {
    if (c.status == CaseStatus::kClosed) continue;
    auto outcome = EvaluateCase(change, rules, c.id);
    if (!outcome.ok()) return outcome.status();
    ++report.cases_evaluated;
  }
  change.DeleteMeta(kReindexCursorKey);
  change.Log("reindex", "store", std::to_string(report.changed) + " documents changed");
  PM_RETURN_IF_ERROR(change.Commit());
  return report;
}

}  // namespace postmottak

// Reindex: re-runs OCR and extraction over every stored document (a newer model, a new
// rules file), then rebuilds the derived indexes and re-evaluates every open case.
//
// Resumable: progress is checkpointed in meta ("reindex/cursor", the last document id
// done) in the same atomic write as each chunk's updates, so a killed reindex goes on
// where it stopped. Idempotent: a document is rewritten only when its text or
// extraction changed, so running it twice leaves the same state.
//
// Links are kept as they are: a cover-sheet or manual link is authoritative, and a
// text link is never moved silently (a change of evidence is for a person to judge).
#ifndef POSTMOTTAK_PIPELINE_SERVICES_REINDEX_H_
#define POSTMOTTAK_PIPELINE_SERVICES_REINDEX_H_

#include <functional>
#include <string>

#include "pipeline/config/rules.h"
#include "pipeline/stages/ocr.h"
#include "postmottak/reports.h"
#include "storage/store.h"

namespace postmottak {

struct ReindexOptions {
  int workers = 0;  // 0: one per core
  // Who reindexes: required, with the `maintain` permission. Every document read is
  // audited for it.
  Principal principal;
  std::string purpose;  // for the audit trail; default "reindex"
  OcrOptions ocr;
  int chunk = 16;             // documents per checkpoint
  bool only_pending = false;  // only documents whose OCR intake deferred
  // Time bound on one page's OCR: a page past it leaves its document as it was.
  double page_seconds = 60;
  std::function<void(int done, int total)> on_progress;
};

Result<ReindexReport> Reindex(Store* store, const Rules& rules, const ReindexOptions& options);

inline constexpr const char* kReindexCursorKey = "reindex/cursor";

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_REINDEX_H_

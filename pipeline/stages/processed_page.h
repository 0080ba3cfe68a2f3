// ProcessedPage: the one type that crosses every stage after the page is read. The
// workers fill it (page analysis, OCR, extraction), the reorder window puts pages back
// in batch order, the assembler groups them into mail pieces, and the journal stores
// them. It is a value, moved from stage to stage: no stage keeps a reference to it.
#ifndef POSTMOTTAK_PIPELINE_STAGES_PROCESSED_PAGE_H_
#define POSTMOTTAK_PIPELINE_STAGES_PROCESSED_PAGE_H_

#include <cstdint>
#include <string>

#include "pipeline/stages/extraction.h"
#include "pipeline/stages/page_analysis.h"

namespace postmottak {

// One page after the CPU-heavy stages: everything the committer needs, compactly.
struct ProcessedPage {
  uint64_t seq = 0;    // position in the batch; pages reach the assembler in this order
  int file_index = 0;  // the file's place in the batch (ledger keys)
  std::string file;
  std::string path;  // where the bytes were read, when not `file` (see PageJob)
  int page = 0;      // 1-based page in file
  PageKind kind = PageKind::kContent;
  std::string cover_id;
  std::string error;  // non-empty: the page goes to quarantine with this reason
  bool error_starts_piece = false;
  std::string duplicate_of;  // page 0 only: the identical file ("batch/index") this one repeats
  std::string original;      // the page as decoded, PNG/G4, kept for quarantine
  int rotation = 0;
  double skew = 0;
  std::string image;         // upright page, TIFF G4
  std::string image_format;  // "tiff-g4"
  std::string pdf;           // one-page searchable PDF
  std::string text;
  bool ocr_deferred = false;  // behind a cover sheet, OCR left for `reindex`
  bool rendered = false;      // rendered from a PDF page, not extracted as stored
  // Where `text` came from: kTextFromOcr, kTextFromPdf (a born-digital page's text layer), or
  // empty when the page has none (blank, a sheet, deferred, or unread).
  std::string text_source;
  // Non-empty: the page ran past its time bound before its text was read, so it is
  // journaled without text and a person is asked to read it. Says which stage and how
  // long.
  std::string unread;
  double seconds = 0;  // reading and processing the page (waits excluded)
  Extraction extraction;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_PROCESSED_PAGE_H_

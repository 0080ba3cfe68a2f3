// Assembler: turns the ordered stream of analysed pages into mail pieces.
//
// A mail piece starts at a cover sheet, a separator sheet, the first page of a file,
// or a page whose cover-like barcode could not be trusted (that page itself goes to
// quarantine, so the pages behind it are never attached to the previous piece).
// Within a piece, a page whose title names a document type starts a new document;
// other content pages continue the current one. Blank pages are kept out of
// documents but recorded, so every page is accounted for.
#ifndef POSTMOTTAK_PIPELINE_STAGES_ASSEMBLER_H_
#define POSTMOTTAK_PIPELINE_STAGES_ASSEMBLER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/stages/processed_page.h"

namespace postmottak {

struct DocumentDraft {
  std::string type;           // document type, or "unknown"
  std::vector<size_t> pages;  // indices into MailPiece::pages
};

struct MailPiece {
  std::string file;  // the file it came from (a piece never spans files)
  int file_index = 0;
  std::string cover_id;
  bool separator = false;
  std::optional<ProcessedPage> sheet;   // the cover or separator sheet that started it
  std::vector<ProcessedPage> pages;     // content pages, in order
  std::vector<int> blank_pages;         // 1-based pages of file
  std::vector<ProcessedPage> rejected;  // pages for quarantine
  std::vector<DocumentDraft> documents;
};

// True when the page starts a new mail piece whatever came before it in its file: a
// cover sheet, a separator sheet, or a cover-like page that cannot be trusted (the
// first page of each file starts one too). Intake's deferred OCR asks the same
// question before the assembler sees the page, so the rule lives here once.
bool StartsMailPiece(const ProcessedPage& page);

class Assembler {
 public:
  // Adds the next page; returns the piece it completed, if any.
  std::optional<MailPiece> Add(ProcessedPage page);
  // Completes the last piece at the end of the batch.
  std::optional<MailPiece> Finish();

 private:
  std::optional<MailPiece> StartNew(const ProcessedPage& first);
  std::optional<MailPiece> current_;
};

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_ASSEMBLER_H_

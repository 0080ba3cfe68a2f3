// Joins one-page PDFs (Tesseract's searchable pages) into one document PDF with qpdf.
// The output is deterministic for the same input: same bytes, same checksum.
#ifndef POSTMOTTAK_CODECS_PDF_MERGE_H_
#define POSTMOTTAK_CODECS_PDF_MERGE_H_

#include <string>
#include <vector>

#include "storage/status.h"

namespace postmottak {
Result<std::string> MergePdfs(const std::vector<std::string>& pdfs);
// The 1-based `pages` of the PDF file at `path`, as a PDF of their own (decrypted when
// the file opened with an empty password): a document's original variant, or a
// born-digital page as its own searchable page.
Result<std::string> ExtractPdfPages(const std::string& path, const std::vector<int>& pages);
// Number of pages of a PDF held in memory.
Result<int> PdfPageCount(const std::string& pdf);
}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_PDF_MERGE_H_

// A deposited document's file under DOKUMENT/: its archive variant, checksummed.
#include <fstream>

#include "codecs/image_pdf.h"
#include "codecs/sha256.h"
#include "pipeline/archive/deposit_model.h"

namespace postmottak {

namespace {

// The document's pages as stored, made one PDF: a document whose OCR was deferred has
// no PDF yet, and the archive must still get what was received.
Result<std::string> PagesAsPdf(const Store& store, const Document& d) {
  std::vector<PageImageBytes> pages;
  for (size_t i = 0; i < d.pages.size(); ++i) {
    auto bytes = store.GetBlob(d.pages[i].blob_key);
    if (!bytes.ok())
      return bytes.status().WithMessage("document " + d.id + " page " + std::to_string(i + 1) +
                                        ": " + bytes.status().message());
    pages.push_back({std::move(bytes).value(), d.pages[i].format == "jpeg"});
  }
  // Its errors name the page, counted as the document's pages are.
  auto pdf = PageImagesPdf(pages);
  if (!pdf.ok()) return Status::Corruption("document " + d.id + " " + pdf.status().message());
  return pdf;
}

}  // namespace

Result<std::string> ArchiveVariantOf(const Store& store, const Document& d) {
  // The searchable PDF, else the PDF pages as they arrived, else the page images.
  const std::string& blob = d.pdf_blob.empty() ? d.original_blob : d.pdf_blob;
  if (!blob.empty()) return store.GetBlob(blob);
  if (d.pages.empty()) return Status::NotFound("document " + d.id + " has no pages");
  return PagesAsPdf(store, d);
}

Result<DocumentFile> WriteDocumentFile(const Store& store, const Document& d,
                                       const std::string& out_dir) {
  auto bytes = ArchiveVariantOf(store, d);
  if (!bytes.ok()) return bytes.status();
  DocumentFile f;
  f.reference = "DOKUMENT/" + d.id + ".pdf";
  f.sha256 = Sha256Hex(*bytes);
  f.size = static_cast<int64_t>(bytes->size());
  std::ofstream out(out_dir + "/" + f.reference, std::ios::binary);
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  if (!out) return Status::IOError("cannot write " + out_dir + "/" + f.reference);
  return f;
}

}  // namespace postmottak

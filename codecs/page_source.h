// PageSource: the pages of one scanned input file, decoded one at a time.
//
// Pages are decoded on demand, so a 1,000-page TIFF never lives in memory at once.
// The format is recognised by content, not by file name: multi-page TIFF (every variant
// libtiff reads: Leptonica's reader first, libtiff's general RGBA path where Leptonica
// refuses), PDF (a scanned page's image is extracted as stored with qpdf; a born-digital
// page, or an image the direct path cannot decode, is rendered in a sandboxed child
// process, codecs/pdf_render.h), PNG and JPEG (one page each).
//
// Errors name the file and the 1-based page. A file that cannot be opened at all fails
// Open(); a page that cannot be decoded fails ReadPage() for that page only.
#ifndef POSTMOTTAK_CODECS_PAGE_SOURCE_H_
#define POSTMOTTAK_CODECS_PAGE_SOURCE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "codecs/image.h"
#include "storage/status.h"

namespace postmottak {

struct SourceLimits {
  int64_t max_file_bytes = int64_t{2} << 30;
  int max_pages = 10'000;
  ImageLimits image;
  // Time bound on one page, from reading (rendering) to the end of OCR. A page past it
  // is journaled without text and flagged for a person to read (pipeline/intake/intake.h).
  double page_seconds = 60;
  // PDF pages that are rendered: resolution (lowered for pages too large for the image
  // limits at it) and the renderer's address space.
  int render_dpi = 300;
  int64_t render_memory_bytes = int64_t{1} << 30;
};

// One page as read from its file.
struct SourcePage {
  Image image;
  // Rendered from a PDF page rather than extracted as stored.
  bool rendered = false;
  // A born-digital page's own text, when it is sound (codecs/pdf_render.h): read
  // instead of OCR. Empty for scans.
  std::string text_layer;
  // With a text layer: the page alone as a PDF, fonts and vectors intact. It is the
  // page's searchable PDF, as Tesseract's is for a scan.
  std::string page_pdf;
  double seconds = 0;  // spent reading the page (rendering included)
};

enum class SourceFormat { kUnknown, kTiff, kPdf, kPng, kJpeg };
// Recognises the format from the first bytes of a file.
SourceFormat SniffFormat(const std::string& head);
// The format of the file at `path`, from its first bytes; kUnknown when unreadable.
SourceFormat SniffFile(const std::string& path);

class PageSource {
 public:
  static Result<std::unique_ptr<PageSource>> Open(const std::string& path,
                                                  const SourceLimits& limits = {});
  virtual ~PageSource() = default;

  const std::string& path() const { return path_; }
  virtual int page_count() const = 0;
  // Decodes page `index` (0-based). The image carries the file's resolution when known.
  virtual Result<SourcePage> Read(int index) = 0;
  // Read() for callers that want the image alone.
  Result<Image> ReadPage(int index);
  // Why pages beyond page_count() may exist but cannot be reached (a TIFF cut short),
  // or OK. The caller reports it, so that a page lost in transit is never silent.
  virtual Status Damage() const { return Status::OK(); }

 protected:
  explicit PageSource(std::string path, SourceLimits limits)
      : path_(std::move(path)), limits_(limits) {}
  // "file a.tif page 3" for error messages.
  std::string Where(int index) const;

  std::string path_;
  SourceLimits limits_;
};

// Seconds from `start` to now (SourcePage::seconds).
double SecondsSince(std::chrono::steady_clock::time_point start);

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_PAGE_SOURCE_H_

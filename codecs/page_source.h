// PageSource: the pages of one scanned input file, decoded one at a time.
//
// Pages are decoded on demand, so a 1,000-page TIFF never lives in memory at once.
// The format is recognised by content, not by file name: multi-page TIFF (any
// compression libtiff reads, CCITT G4 included), PDF (the scanned image of each page is
// extracted with qpdf, never re-rendered), PNG and JPEG (one page each).
//
// Errors name the file and the 1-based page. A file that cannot be opened at all fails
// Open(); a page that cannot be decoded fails ReadPage() for that page only.
#ifndef POSTMOTTAK_CODECS_PAGE_SOURCE_H_
#define POSTMOTTAK_CODECS_PAGE_SOURCE_H_

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
};

enum class SourceFormat { kUnknown, kTiff, kPdf, kPng, kJpeg };
// Recognises the format from the first bytes of a file.
SourceFormat SniffFormat(const std::string& head);

class PageSource {
 public:
  static Result<std::unique_ptr<PageSource>> Open(const std::string& path,
                                                  const SourceLimits& limits = {});
  virtual ~PageSource() = default;

  const std::string& path() const { return path_; }
  virtual int page_count() const = 0;
  // Decodes page `index` (0-based). The image carries the file's resolution when known.
  virtual Result<Image> ReadPage(int index) = 0;
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

}  // namespace postmottak

#endif  // POSTMOTTAK_CODECS_PAGE_SOURCE_H_

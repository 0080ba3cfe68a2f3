#include "codecs/page_source.h"

#include <leptonica/allheaders.h>
#include <tiffio.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "codecs/pdf_images.h"
#include "codecs/tiff_rgba.h"

namespace postmottak {

namespace {

// Counts the directories libtiff can reach and tells whether the chain ends where the
// file says it ends: a cut file leaves a last directory pointing past the end.
struct TiffChain {
  int pages = 0;
  bool complete = false;
};
TiffChain WalkTiff(const std::string& path) {
  TiffChain chain;
  TIFFSetWarningHandler(nullptr);
  TIFFSetErrorHandler(nullptr);
  TIFF* tif = TIFFOpen(path.c_str(), "r");
  if (!tif) return chain;
  do {
    ++chain.pages;
    if (TIFFLastDirectory(tif)) {
      chain.complete = true;
      break;
    }
  } while (TIFFReadDirectory(tif));
  TIFFClose(tif);
  return chain;
}

class TiffSource : public PageSource {
 public:
  TiffSource(std::string path, SourceLimits limits, int pages, bool complete)
      : PageSource(std::move(path), limits), pages_(pages), complete_(complete) {}
  int page_count() const override { return pages_; }
  Status Damage() const override {
    if (complete_) return Status::OK();
    return Status::Corruption("file " + path_ + " page " + std::to_string(pages_ + 1) +
                              ": TIFF is cut short after page " + std::to_string(pages_) +
                              "; the pages after it cannot be read");
  }
  Result<SourcePage> Read(int index) override {
    const auto start = std::chrono::steady_clock::now();
    auto header = ReadTiffPageHeader(path_, index);
    if (!header.ok()) return header.status().WithContext(Where(index));
    Status st = CheckDimensions(header->width, header->height, limits_.image);
    if (!st.ok()) return st.WithContext(Where(index));
    SourcePage page;
    // Leptonica reads the common scans (bitonal, 8-bit gray and RGB, palette) fastest;
    // what it would misread (alpha, 16-bit, CMYK) or refuses (some planar and tiled
    // layouts) goes through libtiff's general path.
    Pix* pix = header->needs_rgba ? nullptr : pixReadTiff(path_.c_str(), index);
    if (pix) {
      page.image = Image(pix);
    } else {
      auto rgba = ReadTiffRgba(path_, index, limits_.image);
      if (!rgba.ok()) return rgba.status().WithContext(Where(index));
      page.image = std::move(rgba).value();
    }
    page.seconds = SecondsSince(start);
    return page;
  }

 private:
  int pages_;
  bool complete_;
};

// PNG and JPEG hold one page.
class SingleImageSource : public PageSource {
 public:
  SingleImageSource(std::string path, SourceLimits limits) : PageSource(std::move(path), limits) {}
  int page_count() const override { return 1; }
  Result<SourcePage> Read(int index) override {
    if (index != 0) return Status::InvalidArgument(Where(index) + ": no such page");
    const auto start = std::chrono::steady_clock::now();
    std::ifstream in(path_, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto image = DecodeImage(bytes, limits_.image);
    if (!image.ok()) return image.status().WithContext(Where(index));
    SourcePage page;
    page.image = std::move(image).value();
    page.seconds = SecondsSince(start);
    return page;
  }
};

}  // namespace

SourceFormat SniffFormat(const std::string& head) {
  auto starts = [&head](const char* magic, size_t n) {
    return head.size() >= n && head.compare(0, n, magic, n) == 0;
  };
  if (starts("II*\0", 4) || starts("MM\0*", 4)) return SourceFormat::kTiff;
  if (starts("\x89PNG", 4)) return SourceFormat::kPng;
  if (starts("\xFF\xD8\xFF", 3)) return SourceFormat::kJpeg;
  if (head.find("%PDF-") != std::string::npos) return SourceFormat::kPdf;
  return SourceFormat::kUnknown;
}

SourceFormat SniffFile(const std::string& path) {
  std::string head(1024, '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return SniffFormat(head);
}

Result<Image> PageSource::ReadPage(int index) {
  auto page = Read(index);
  if (!page.ok()) return page.status();
  return std::move(page->image);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string PageSource::Where(int index) const {
  return "file " + path_ + " page " + std::to_string(index + 1);
}

Result<std::unique_ptr<PageSource>> PageSource::Open(const std::string& path,
                                                     const SourceLimits& limits) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IOError("file " + path + ": cannot be read: " + ec.message());
  if (size == 0) return Status::Corruption("file " + path + ": is empty (0 bytes)");
  if (static_cast<int64_t>(size) > limits.max_file_bytes)
    return Status::InvalidArgument("file " + path + ": " + std::to_string(size) +
                                   " bytes exceeds the limit of " +
                                   std::to_string(limits.max_file_bytes));
  std::unique_ptr<PageSource> source;
  switch (SniffFile(path)) {
    case SourceFormat::kTiff: {
      const TiffChain chain = WalkTiff(path);
      const int pages = chain.pages;
      if (pages <= 0) return Status::Corruption("file " + path + ": TIFF structure is damaged");
      if (pages > limits.max_pages)
        return Status::InvalidArgument("file " + path + ": " + std::to_string(pages) +
                                       " pages exceeds the limit of " +
                                       std::to_string(limits.max_pages));
      source = std::make_unique<TiffSource>(path, limits, pages, chain.complete);
      break;
    }
    case SourceFormat::kPdf:
      return OpenPdfSource(path, limits);
    case SourceFormat::kPng:
    case SourceFormat::kJpeg:
      source = std::make_unique<SingleImageSource>(path, limits);
      break;
    case SourceFormat::kUnknown:
      return Status::Unsupported("file " + path + ": not a TIFF, PDF, PNG or JPEG file");
  }
  return source;
}

}  // namespace postmottak

#include "codecs/image_pdf.h"

#include <leptonica/allheaders.h>

#include <cstring>

#include "codecs/pdf_merge.h"

namespace postmottak {

namespace {

// Leptonica hands out PDF bytes it allocated; this takes them over.
std::string Take(l_uint8* data, size_t size) {
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}

// The JPEG's compressed bytes as the page's image stream (DCTDecode), unchanged. Only
// its header is read: no pixels are allocated, so no size limit is needed here.
Result<std::string> JpegPage(const std::string& jpeg) {
  // l_generateJpegDataMem takes ownership of the buffer, so it gets its own copy.
  auto* copy = static_cast<l_uint8*>(lept_calloc(jpeg.size(), 1));
  if (!copy) return Status::IOError("no memory for a page image");
  std::memcpy(copy, jpeg.data(), jpeg.size());
  L_COMP_DATA* cid = l_generateJpegDataMem(copy, jpeg.size(), 0);
  if (!cid) return Status::Corruption("a stored JPEG page cannot be read");
  l_uint8* data = nullptr;
  size_t size = 0;
  // cidConvertToPdfData takes the cid over and destroys it, whatever it returns.
  const bool ok = cidConvertToPdfData(cid, nullptr, &data, &size) == 0 && data;
  if (!ok) return Status::IOError("a JPEG page cannot be written as PDF");
  return Take(data, size);
}

Result<std::string> DecodedPage(const std::string& bytes, const ImageLimits& limits) {
  auto image = DecodeImage(bytes, limits);
  if (!image.ok()) return image.status();
  const int type = image->depth() == 1 ? L_G4_ENCODE : L_FLATE_ENCODE;
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pixConvertToPdfData(image->get(), type, 0, &data, &size, 0, 0, image->dpi(), nullptr, nullptr,
                          0) != 0 ||
      !data)
    return Status::IOError("a page image cannot be written as PDF");
  return Take(data, size);
}

}  // namespace

Result<std::string> PageImagesPdf(const std::vector<PageImageBytes>& pages,
                                  const ImageLimits& limits) {
  if (pages.empty()) return Status::InvalidArgument("no page images");
  std::vector<std::string> pdfs;
  for (size_t i = 0; i < pages.size(); ++i) {
    const PageImageBytes& p = pages[i];
    auto pdf = p.jpeg ? JpegPage(p.bytes) : DecodedPage(p.bytes, limits);
    if (!pdf.ok())
      return pdf.status().WithMessage("page " + std::to_string(i + 1) + ": " +
                                      pdf.status().message());
    pdfs.push_back(std::move(pdf).value());
  }
  // Merging keeps the pages and drops each one's creation date: the same bytes again.
  return MergePdfs(pdfs);
}

}  // namespace postmottak

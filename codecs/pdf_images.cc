#include "codecs/pdf_images.h"

#include <leptonica/allheaders.h>

#include <cstring>
#include <qpdf/Buffer.hh>
#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <stdexcept>
#include <vector>

namespace postmottak {

namespace {

void Put16(std::string& s, uint16_t v) {
  s.push_back(static_cast<char>(v & 0xFF));
  s.push_back(static_cast<char>(v >> 8));
}
void Put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

int IntOr(QPDFObjectHandle dict, const char* key, int fallback) {
  if (!dict.isDictionary() || !dict.hasKey(key)) return fallback;
  QPDFObjectHandle v = dict.getKey(key);
  return v.isInteger() ? v.getIntValueAsInt() : fallback;
}

bool BoolOr(QPDFObjectHandle dict, const char* key, bool fallback) {
  if (!dict.isDictionary() || !dict.hasKey(key)) return fallback;
  QPDFObjectHandle v = dict.getKey(key);
  return v.isBool() ? v.getBoolValue() : fallback;
}

// The image's single filter name ("" for none); multiple filters come back as "*".
std::string FilterOf(QPDFObjectHandle dict, QPDFObjectHandle* parms) {
  QPDFObjectHandle f = dict.getKey("/Filter");
  QPDFObjectHandle p = dict.getKey("/DecodeParms");
  if (f.isArray()) {
    if (f.getArrayNItems() != 1) return "*";
    f = f.getArrayItem(0);
    if (p.isArray() && p.getArrayNItems() == 1) p = p.getArrayItem(0);
  }
  *parms = p;
  return f.isName() ? f.getName() : "";
}

bool DecodeInverted(QPDFObjectHandle dict) {
  QPDFObjectHandle d = dict.getKey("/Decode");
  if (!d.isArray() || d.getArrayNItems() < 2) return false;
  QPDFObjectHandle first = d.getArrayItem(0);
  return first.isNumber() && first.getNumericValue() > 0.5;
}

int ComponentsOf(QPDFObjectHandle cs) {
  if (cs.isName()) {
    std::string n = cs.getName();
    if (n == "/DeviceGray" || n == "/CalGray") return 1;
    if (n == "/DeviceRGB" || n == "/CalRGB") return 3;
    return 0;
  }
  if (cs.isArray() && cs.getArrayNItems() >= 2 && cs.getArrayItem(0).isName() &&
      cs.getArrayItem(0).getName() == "/ICCBased") {
    QPDFObjectHandle icc = cs.getArrayItem(1);
    if (icc.isStream()) return IntOr(icc.getDict(), "/N", 0);
  }
  return 0;
}

// Builds a PIX from raw decoded samples (8 bpp gray, 8 bpp RGB, 1 bpp gray).
Pix* PixFromSamples(const std::string& data, int w, int h, int bpc, int comps) {
  size_t row_bytes = (static_cast<size_t>(w) * comps * bpc + 7) / 8;
  if (data.size() < row_bytes * h) return nullptr;
  const auto* src = reinterpret_cast<const unsigned char*>(data.data());
  if (bpc == 1 && comps == 1) {
    Pix* pix = pixCreate(w, h, 1);
    l_uint32* dst = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int y = 0; y < h; ++y) {
      // PDF: 1 = white; Leptonica: 1 = black. SET_DATA_BYTE handles Leptonica's
      // byte order inside its 32-bit words.
      l_uint32* line = dst + y * wpl;
      for (size_t b = 0; b < row_bytes; ++b)
        SET_DATA_BYTE(line, b, static_cast<l_uint8>(~src[y * row_bytes + b]));
    }
    return pix;
  }
  if (bpc != 8) return nullptr;
  if (comps == 1) {
    Pix* pix = pixCreate(w, h, 8);
    l_uint32* dst = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) SET_DATA_BYTE(dst + y * wpl, x, src[y * row_bytes + x]);
    return pix;
  }
  if (comps == 3) {
    Pix* pix = pixCreate(w, h, 32);
    l_uint32* dst = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const unsigned char* p = src + y * row_bytes + 3 * x;
        l_uint32 pixel = 0;
        composeRGBPixel(p[0], p[1], p[2], &pixel);
        dst[y * wpl + x] = pixel;
      }
    }
    return pix;
  }
  return nullptr;
}

// Collects decoded stream data up to a limit. A stream that inflates past what its
// image needs is a decompression bomb: it is stopped there, not decoded to the end.
class BoundedSink : public Pipeline {
 public:
  explicit BoundedSink(size_t limit) : Pipeline("bounded sink", nullptr), limit_(limit) {}
  void write(unsigned char const* data, size_t len) override {
    if (len > limit_ - data_.size()) {
      overflowed_ = true;  // qpdf may catch the exception; the flag survives it
      throw std::length_error("image data exceeds its limit");
    }
    data_.append(reinterpret_cast<const char*>(data), len);
  }
  void finish() override {}
  std::string& data() { return data_; }
  bool overflowed() const { return overflowed_; }

 private:
  const size_t limit_;
  std::string data_;
  bool overflowed_ = false;
};

std::string BufferToString(const std::shared_ptr<Buffer>& buf) {
  return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
}

class PdfSource : public PageSource {
 public:
  PdfSource(std::string path, SourceLimits limits) : PageSource(std::move(path), limits) {}

  Status Load() {
    try {
      pdf_.setSuppressWarnings(true);
      pdf_.processFile(path_.c_str());
      pages_ = QPDFPageDocumentHelper(pdf_).getAllPages();
    } catch (const std::exception& e) {
      return Status::Corruption("file " + path_ + ": PDF structure is damaged: " + e.what());
    }
    if (pages_.empty()) return Status::Corruption("file " + path_ + ": PDF has no pages");
    if (static_cast<int>(pages_.size()) > limits_.max_pages)
      return Status::InvalidArgument("file " + path_ + ": " + std::to_string(pages_.size()) +
                                     " pages exceeds the limit of " +
                                     std::to_string(limits_.max_pages));
    return Status::OK();
  }

  int page_count() const override { return static_cast<int>(pages_.size()); }

  Result<Image> ReadPage(int index) override {
    if (index < 0 || index >= page_count())
      return Status::InvalidArgument(Where(index) + ": no such page");
    try {
      auto image = Extract(pages_[index]);
      if (!image.ok()) return image.status().WithContext(Where(index));
      return image;
    } catch (const std::exception& e) {
      return Status::Corruption(Where(index) + ": " + e.what());
    }
  }

 private:
  Result<Image> Extract(QPDFPageObjectHelper& page) {
    // The scanned page is the largest image on it. Walked by hand rather than with
    // getImages(), which leaves out image masks: bitonal scans are often written as
    // one (/ImageMask true, painted black where the sample is 0, like DeviceGray).
    QPDFObjectHandle best;
    int64_t best_area = 0;
    QPDFObjectHandle resources = page.getAttribute("/Resources", false);
    QPDFObjectHandle xobjects =
        resources.isDictionary() ? resources.getKey("/XObject") : QPDFObjectHandle();
    if (xobjects.isDictionary()) {
      for (const auto& name : xobjects.getKeys()) {
        QPDFObjectHandle img = xobjects.getKey(name);
        if (!img.isStream()) continue;
        QPDFObjectHandle d = img.getDict();
        if (!d.getKey("/Subtype").isNameAndEquals("/Image")) continue;
        int64_t area = int64_t{IntOr(d, "/Width", 0)} * IntOr(d, "/Height", 0);
        if (area > best_area) {
          best_area = area;
          best = img;
        }
      }
    }
    if (!best.isStream())
      return Status::Unsupported(
          "page holds no scanned image (born-digital PDF pages are not rendered)");
    QPDFObjectHandle dict = best.getDict();
    int w = IntOr(dict, "/Width", 0), h = IntOr(dict, "/Height", 0);
    PM_RETURN_IF_ERROR(CheckDimensions(w, h, limits_.image));
    QPDFObjectHandle parms;
    std::string filter = FilterOf(dict, &parms);
    bool inverted = DecodeInverted(dict);
    Image image;
    if (filter == "/DCTDecode") {
      auto decoded = DecodeImage(BufferToString(best.getRawStreamData()), limits_.image);
      if (!decoded.ok()) return decoded.status();
      image = std::move(decoded).value();
    } else if (filter == "/CCITTFaxDecode") {
      int k = IntOr(parms, "/K", 0);
      int rows = IntOr(parms, "/Rows", h);
      PM_RETURN_IF_ERROR(CheckDimensions(w, rows, limits_.image));
      int columns = IntOr(parms, "/Columns", 1728);
      if (columns != w) return Status::Corruption("CCITT /Columns does not match image width");
      bool black_is_1 = BoolOr(parms, "/BlackIs1", false);
      std::string tiff =
          WrapCcittAsTiff(BufferToString(best.getRawStreamData()), w, rows, k, black_is_1);
      Pix* pix = pixReadMemTiff(reinterpret_cast<const l_uint8*>(tiff.data()), tiff.size(), 0);
      if (!pix) return Status::Corruption("CCITT image data cannot be decoded");
      image = Image(pix);
      // Decoded white runs are white; the PDF paints them black when BlackIs1 or an
      // inverted /Decode (but not both) says so.
      if (black_is_1 != inverted) pixInvert(image.get(), image.get());
      inverted = false;
    } else if (filter == "" || filter == "/FlateDecode" || filter == "/LZWDecode" ||
               filter == "/RunLengthDecode") {
      int bpc = IntOr(dict, "/BitsPerComponent", 8);
      int comps = ComponentsOf(dict.getKey("/ColorSpace"));
      if (BoolOr(dict, "/ImageMask", false)) comps = 1, bpc = 1;
      if (comps == 0) return Status::Unsupported("image colour space is not supported");
      if (bpc != 1 && bpc != 8) return Status::Unsupported("image depth is not supported");
      // What the samples need, and a little slack for encoders that pad the last row.
      const size_t needed = (static_cast<size_t>(w) * comps * bpc + 7) / 8 * static_cast<size_t>(h);
      BoundedSink sink(needed + 4096);
      bool decoded = false;
      try {
        decoded = best.pipeStreamData(&sink, 0, qpdf_dl_generalized, true);
      } catch (const std::exception&) {
        decoded = false;
      }
      if (sink.overflowed())
        return Status::InvalidArgument("image data inflates beyond the " + std::to_string(needed) +
                                       " bytes a " + std::to_string(w) + "x" + std::to_string(h) +
                                       " image needs (a decompression bomb)");
      if (!decoded) return Status::Corruption("image data cannot be decoded");
      Pix* pix = PixFromSamples(sink.data(), w, h, bpc, comps);
      if (!pix) return Status::Corruption("image samples are truncated or of an unsupported depth");
      image = Image(pix);
    } else {
      return Status::Unsupported("image filter " + filter + " is not supported");
    }
    if (inverted) pixInvert(image.get(), image.get());
    return image;
  }

  QPDF pdf_;
  std::vector<QPDFPageObjectHelper> pages_;
};

}  // namespace

std::string WrapCcittAsTiff(const std::string& ccitt, int width, int height, int k,
                            bool /*black_is_1*/) {
  const bool g4 = k < 0;
  struct Entry {
    uint16_t tag, type;
    uint32_t value;
  };
  std::vector<Entry> entries = {
      {256, 4, static_cast<uint32_t>(width)},
      {257, 4, static_cast<uint32_t>(height)},
      {258, 3, 1},
      {259, 3, g4 ? 4u : 3u},
      {262, 3, 0},  // WhiteIsZero: white runs decode to white
      {273, 4, 0},  // strip offset, patched below
      {277, 3, 1},
      {278, 4, static_cast<uint32_t>(height)},
      {279, 4, static_cast<uint32_t>(ccitt.size())},
  };
  if (!g4) entries.push_back({292, 4, k > 0 ? 1u : 0u});
  const uint32_t ifd_size = 2 + 12 * static_cast<uint32_t>(entries.size()) + 4;
  const uint32_t data_offset = 8 + ifd_size;
  for (auto& e : entries)
    if (e.tag == 273) e.value = data_offset;
  std::string out = "II";
  Put16(out, 42);
  Put32(out, 8);
  Put16(out, static_cast<uint16_t>(entries.size()));
  for (const auto& e : entries) {
    Put16(out, e.tag);
    Put16(out, e.type);
    Put32(out, 1);
    if (e.type == 3) {
      Put16(out, static_cast<uint16_t>(e.value));
      Put16(out, 0);
    } else {
      Put32(out, e.value);
    }
  }
  Put32(out, 0);
  out += ccitt;
  return out;
}

Result<std::unique_ptr<PageSource>> OpenPdfSource(const std::string& path,
                                                  const SourceLimits& limits) {
  auto source = std::make_unique<PdfSource>(path, limits);
  PM_RETURN_IF_ERROR(source->Load());
  return std::unique_ptr<PageSource>(std::move(source));
}

}  // namespace postmottak

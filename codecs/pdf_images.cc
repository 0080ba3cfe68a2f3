#include "codecs/pdf_images.h"

#include <leptonica/allheaders.h>

#include <chrono>
#include <cmath>
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

#include "codecs/pdf_merge.h"
#include "codecs/pdf_render.h"

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

// What a page's content stream draws, as far as telling a scan from a born-digital
// page needs: a scan is one image (sometimes with invisible OCR text over it).
struct PageContent {
  int visible_text = 0;  // text-showing operators in a visible render mode
  int paths = 0;         // path-painting operators (vector graphics)
  int forms = 0;         // form XObjects and inline images drawn
  bool unreadable = false;
};

class ContentSummary : public QPDFObjectHandle::ParserCallbacks {
 public:
  ContentSummary(QPDFObjectHandle xobjects, PageContent* out) : xobjects_(xobjects), out_(out) {}
  void handleObject(QPDFObjectHandle obj, size_t, size_t) override {
    if (obj.isInlineImage()) {
      ++out_->forms;
      return;
    }
    if (!obj.isOperator()) {
      operands_.push_back(obj);
      return;
    }
    const std::string op = obj.getOperatorValue();
    if (op == "Tr" && !operands_.empty() && operands_.back().isInteger()) {
      render_mode_ = operands_.back().getIntValueAsInt();
    } else if (op == "Tj" || op == "TJ" || op == "'" || op == "\"") {
      if (render_mode_ != 3 && render_mode_ != 7) ++out_->visible_text;  // 3, 7: invisible
    } else if (op == "f" || op == "F" || op == "f*" || op == "S" || op == "s" || op == "B" ||
               op == "B*" || op == "b" || op == "b*" || op == "sh") {
      ++out_->paths;
    } else if (op == "Do" && !operands_.empty() && operands_.back().isName() &&
               xobjects_.isDictionary()) {
      QPDFObjectHandle x = xobjects_.getKey(operands_.back().getName());
      if (x.isStream() && x.getDict().getKey("/Subtype").isNameAndEquals("/Form")) ++out_->forms;
    }
    operands_.clear();
  }
  void handleEOF() override {}

 private:
  QPDFObjectHandle xobjects_;
  PageContent* out_;
  std::vector<QPDFObjectHandle> operands_;
  int render_mode_ = 0;
};

// Bits a sample from a JPEG's frame header (0 when it cannot be read).
int JpegBits(const std::string& jpeg) {
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeaderMem(reinterpret_cast<const l_uint8*>(jpeg.data()), jpeg.size(), &format, &w, &h,
                       &bps, &spp, &cmap) != 0)
    return 0;
  return bps;
}

double NumberAt(QPDFObjectHandle array, int i) {
  QPDFObjectHandle v = array.getArrayItem(i);
  return v.isNumber() ? v.getNumericValue() : 0;
}

class PdfSource : public PageSource {
 public:
  PdfSource(std::string path, SourceLimits limits) : PageSource(std::move(path), limits) {}

  Status Load() {
    try {
      pdf_.setSuppressWarnings(true);
      pdf_.processFile(path_.c_str());  // an empty user password opens as no password
      pages_ = QPDFPageDocumentHelper(pdf_).getAllPages();
    } catch (const QPDFExc& e) {
      if (e.getErrorCode() == qpdf_e_password)
        return Status::Unsupported("file " + path_ +
                                   ": PDF is encrypted with a password; only PDFs that open "
                                   "without one can be read");
      return Status::Corruption("file " + path_ + ": PDF structure is damaged: " + e.what());
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

  // A scan's image is extracted as stored. A born-digital page (visible text, vector
  // graphics, forms), or a scan whose image the direct path cannot decode (JBIG2,
  // palette and other colour spaces, odd depths), is rendered instead.
  Result<SourcePage> Read(int index) override {
    if (index < 0 || index >= page_count())
      return Status::InvalidArgument(Where(index) + ": no such page");
    const auto start = std::chrono::steady_clock::now();
    try {
      auto page = ReadScanOrRender(index, start);
      if (!page.ok()) return page.status().WithContext(Where(index));
      page->seconds = SecondsSince(start);
      return page;
    } catch (const std::exception& e) {
      return Status::Corruption(Where(index) + ": " + e.what());
    }
  }

 private:
  Result<SourcePage> ReadScanOrRender(int index, std::chrono::steady_clock::time_point start) {
    const PageContent content = Summarize(pages_[index]);
    const bool born_digital =
        content.unreadable || content.visible_text > 0 || content.paths > 0 || content.forms > 0;
    if (!born_digital) {
      auto image = Extract(pages_[index]);
      if (image.status().code() != Status::Code::kUnsupported) {
        if (!image.ok()) return image.status();
        SourcePage out;
        out.image = std::move(image).value();
        return out;
      }
    }
    return Render(index, content.visible_text > 0, start);
  }

  static PageContent Summarize(QPDFPageObjectHelper& page) {
    PageContent content;
    QPDFObjectHandle resources = page.getAttribute("/Resources", false);
    ContentSummary summary(
        resources.isDictionary() ? resources.getKey("/XObject") : QPDFObjectHandle(), &content);
    try {
      page.parseContents(&summary);
    } catch (const std::exception&) {
      content.unreadable = true;  // poppler is more forgiving: let it try
    }
    return content;
  }

  // The page's size in pixels at `dpi`, from its media box, rotation and user unit.
  Status PixelSize(QPDFPageObjectHelper& page, int dpi, int64_t* w, int64_t* h) {
    QPDFObjectHandle box = page.getMediaBox();
    if (!box.isArray() || box.getArrayNItems() != 4)
      return Status::Corruption("page has no media box");
    double unit = 1;
    QPDFObjectHandle uu = page.getAttribute("/UserUnit", false);
    if (uu.isNumber() && uu.getNumericValue() > 0) unit = uu.getNumericValue();
    const double wpt = std::fabs(NumberAt(box, 2) - NumberAt(box, 0)) * unit;
    const double hpt = std::fabs(NumberAt(box, 3) - NumberAt(box, 1)) * unit;
    if (!(wpt >= 1 && hpt >= 1 && wpt < 1e7 && hpt < 1e7))
      return Status::Corruption("page's media box is empty or absurd");
    *w = static_cast<int64_t>(std::ceil(wpt * dpi / 72.0));
    *h = static_cast<int64_t>(std::ceil(hpt * dpi / 72.0));
    QPDFObjectHandle rotate = page.getAttribute("/Rotate", false);
    if (rotate.isInteger() && (rotate.getIntValue() % 180 + 180) % 180 == 90) std::swap(*w, *h);
    return Status::OK();
  }

  Result<SourcePage> Render(int index, bool has_text, std::chrono::steady_clock::time_point start) {
    QPDFPageObjectHelper& page = pages_[index];
    // The pipeline's resolution, lowered for a page too large for the pixel limits at
    // it (a poster, an engineering drawing): its text layer matters more than its ink.
    int dpi = limits_.render_dpi;
    int64_t w = 0, h = 0;
    PM_RETURN_IF_ERROR(PixelSize(page, dpi, &w, &h));
    while (dpi > 36 && !CheckDimensions(w, h, limits_.image).ok()) {
      dpi = dpi * 3 / 4;
      PM_RETURN_IF_ERROR(PixelSize(page, dpi, &w, &h));
    }
    PM_RETURN_IF_ERROR(CheckDimensions(w, h, limits_.image));
    SandboxLimits sandbox;
    sandbox.seconds = limits_.page_seconds;
    sandbox.memory_bytes = limits_.render_memory_bytes;
    auto image =
        RenderPdfPage(path_, index + 1, dpi, static_cast<int>(w), static_cast<int>(h), sandbox);
    if (!image.ok()) return image.status();
    SourcePage out;
    out.image = std::move(image).value();
    out.rendered = true;
    if (has_text) {
      sandbox.seconds = std::max(1.0, limits_.page_seconds - SecondsSince(start));
      auto text = PdfPageText(path_, index + 1, sandbox);
      // Without a readable text layer the page is read by OCR, like a scan.
      auto own = text.ok() && TextLayerIsSound(*text) ? ExtractPdfPages(path_, {index + 1})
                                                      : Result<std::string>(text.status());
      if (own.ok()) {
        out.text_layer = std::move(text).value();
        out.page_pdf = std::move(own).value();
      }
    }
    return out;
  }

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
    if (!best.isStream()) return Status::Unsupported("page holds no scanned image");
    QPDFObjectHandle dict = best.getDict();
    int w = IntOr(dict, "/Width", 0), h = IntOr(dict, "/Height", 0);
    PM_RETURN_IF_ERROR(CheckDimensions(w, h, limits_.image));
    QPDFObjectHandle parms;
    std::string filter = FilterOf(dict, &parms);
    bool inverted = DecodeInverted(dict);
    Image image;
    if (filter == "/DCTDecode") {
      const std::string jpeg = BufferToString(best.getRawStreamData());
      // A JPEG of other than 8 bits a sample (12-bit) is legal and Leptonica does not
      // decode it: it is rendered. A damaged JPEG stays a damaged page (quarantine).
      if (JpegBits(jpeg) > 8) return Status::Unsupported("JPEG image of more than 8 bits");
      auto decoded = DecodeImage(jpeg, limits_.image);
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

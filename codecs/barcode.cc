#include "codecs/barcode.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace postmottak {

namespace {

// zxing wants rows of plain bytes; Leptonica keeps bytes in big-endian order inside
// 32-bit words.
std::vector<uint8_t> Luminance(Pix* gray) {
  const int w = pixGetWidth(gray), h = pixGetHeight(gray), wpl = pixGetWpl(gray);
  const l_uint32* data = pixGetData(gray);
  std::vector<uint8_t> lum(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      lum[static_cast<size_t>(y) * w + x] = GET_DATA_BYTE(data + y * wpl, x);
  return lum;
}

void Collect(const ZXing::Results& results, std::vector<Barcode>* out) {
  for (const auto& r : results) {
    if (!r.isValid()) continue;
    Barcode b;
    b.symbology = r.format() == ZXing::BarcodeFormat::Code128      ? Symbology::kCode128
                  : r.format() == ZXing::BarcodeFormat::DataMatrix ? Symbology::kDataMatrix
                                                                   : Symbology::kOther;
    b.text = r.text();
    out->push_back(std::move(b));
  }
}

}  // namespace

std::string ToString(Symbology s) {
  switch (s) {
    case Symbology::kCode128:
      return "code128";
    case Symbology::kDataMatrix:
      return "datamatrix";
    case Symbology::kOther:
      return "other";
  }
  return "other";
}

std::vector<Barcode> FindLinearBarcode(const Image& page, double scale) {
  std::vector<Barcode> out;
  if (page.empty()) return out;
  Image gray = ToGray(page);
  if (scale < 0.99 || scale > 1.01) {
    const auto f = static_cast<l_float32>(scale);
    // Halving has a fast path (pixScaleAreaMap2, ~5 ms a page); other reductions cost
    // ten times that, more than the smaller read saves.
    Pix* scaled = scale > 1                       ? pixScaleGrayLI(gray.get(), f, f)
                  : std::fabs(scale - 0.5) < 0.01 ? pixScaleAreaMap2(gray.get())
                                                  : pixScaleAreaMap(gray.get(), f, f);
    if (scaled) gray = Image(scaled);
  }
  std::vector<uint8_t> lum = Luminance(gray.get());
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::Code128);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  hints.setMaxNumberOfSymbols(1);  // see the header: never let 1.4 merge linear results
  Collect(ZXing::ReadBarcodes(
              ZXing::ImageView(lum.data(), gray.width(), gray.height(), ZXing::ImageFormat::Lum),
              hints),
          &out);
  return out;
}

std::vector<Barcode> FindMatrixBarcodes(const Image& page, const std::vector<Window>& windows) {
  std::vector<Barcode> out;
  if (page.empty()) return out;
  Image gray = ToGray(page);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::DataMatrix);
  hints.setTryHarder(true);
  for (const auto& w : windows) {
    const int x = std::max(0, w.center_x - w.side / 2), y = std::max(0, w.center_y - w.side / 2);
    const int cw = std::min(w.side, gray.width() - x), ch = std::min(w.side, gray.height() - y);
    if (cw < 16 || ch < 16) continue;
    Box* box = boxCreate(x, y, cw, ch);
    Image crop(pixClipRectangle(gray.get(), box, nullptr));
    boxDestroy(&box);
    if (crop.empty()) continue;
    std::vector<uint8_t> lum = Luminance(crop.get());
    Collect(ZXing::ReadBarcodes(
                ZXing::ImageView(lum.data(), crop.width(), crop.height(), ZXing::ImageFormat::Lum),
                hints),
            &out);
  }
  return out;
}

Result<Image> DrawBarcode(Symbology symbology, const std::string& text, int module_px,
                          int height_px) {
  if (module_px <= 0) return Status::InvalidArgument("barcode module size must be positive");
  ZXing::BitMatrix m;
  try {
    if (symbology == Symbology::kCode128) {
      m = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::Code128).setMargin(0).encode(text, 0, 1);
    } else if (symbology == Symbology::kDataMatrix) {
      m = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::DataMatrix)
              .setMargin(0)
              .encode(text, 0, 0);
    } else {
      return Status::Unsupported("cannot draw this symbology");
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument("cannot encode barcode: " + std::string(e.what()));
  }
  const bool linear = symbology == Symbology::kCode128;
  const int w = m.width() * module_px;
  const int h = linear ? height_px : m.height() * module_px;
  if (w <= 0 || h <= 0) return Status::InvalidArgument("barcode has no size");
  Pix* pix = pixCreate(w, h, 1);
  l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < h; ++y) {
    const int my = linear ? 0 : y / module_px;
    for (int x = 0; x < w; ++x)
      if (m.get(x / module_px, my)) SET_DATA_BIT(data + y * wpl, x);
  }
  return Image(pix);
}

}  // namespace postmottak

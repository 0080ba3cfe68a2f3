#include "pipeline/page_analysis.h"

#include <leptonica/allheaders.h>

#include <cmath>
#include <set>

#include "codecs/barcode.h"
#include "codecs/check_digits.h"
#include "pipeline/cover_sheet.h"

namespace postmottak {

std::string ToString(PageKind k) {
  switch (k) {
    case PageKind::kContent:
      return "content";
    case PageKind::kBlank:
      return "blank";
    case PageKind::kCoverSheet:
      return "cover_sheet";
    case PageKind::kSeparator:
      return "separator";
  }
  return "content";
}

namespace {

// Resolution from the file, or estimated from the page width assuming A4 portrait or
// landscape (scanners do not always record it, and PDF images carry none).
int ResolutionOf(const Image& page) {
  int dpi = page.dpi();
  if (dpi >= 70 && dpi <= 1200) return dpi;
  int shorter = std::min(page.width(), page.height());
  return std::max(70, static_cast<int>(std::lround(shorter / 8.27)));
}

// Classifies the barcodes found. Any cover-like payload must pass its check digit, and
// all cover ids on the page must agree; otherwise the page cannot be trusted.
void Classify(const std::vector<Barcode>& codes, PageAnalysis* out) {
  std::set<std::string> valid, invalid;
  bool separator = false;
  for (const auto& b : codes) {
    if (b.text == kSeparatorPayload) {
      separator = true;
    } else if (LooksLikeCoverId(b.text)) {
      (IsValidCoverId(b.text) ? valid : invalid).insert(b.text);
    }
  }
  if (valid.size() > 1) {
    out->barcode_error = "cover sheet carries conflicting cover ids";
  } else if (valid.size() == 1) {
    out->kind = PageKind::kCoverSheet;
    out->cover_id = *valid.begin();
  } else if (!invalid.empty()) {
    out->barcode_error = "cover id " + *invalid.begin() + " fails its check digit";
  } else if (separator) {
    out->kind = PageKind::kSeparator;
  }
}

// Windows around where a cover sheet's DataMatrix would be, upright or upside down on
// a portrait page, or turned a quarter either way on a landscape one.
std::vector<Window> MatrixWindows(const Image& page, int dpi) {
  const double px = dpi / 25.4;
  const double half_symbol = kMatrixModules * kMatrixModuleMm / 2;
  const int cx = static_cast<int>(std::lround((kMatrixLeftMm + half_symbol) * px));
  const int cy = static_cast<int>(std::lround((kMatrixTopMm + half_symbol) * px));
  const int side = static_cast<int>(std::lround(50 * px));
  const int w = page.width(), h = page.height();
  if (h >= w) return {{cx, cy, side}, {w - cx, h - cy, side}};
  return {{w - cy, cx, side}, {cy, h - cx, side}};
}

// Removes specks smaller than ~0.3 mm: scanner dust, which costs OCR whole words
// (a clean bold title read as "1mpeeksnntk") and makes blank pages look inked. The
// dot of an i at 10 pt is larger, and stays.
Image Despeckle(const Image& bitonal, int dpi) {
  const int min_size = std::max(2, dpi / 85);
  Pix* clean = pixSelectBySize(bitonal.get(), min_size, min_size, 8, L_SELECT_IF_EITHER,
                               L_SELECT_IF_GTE, nullptr);
  return clean ? Image(clean) : bitonal.Clone();
}

// Share of dark pixels in the page's interior: scanner edges and punch holes live in
// the outer 6%.
double InteriorInk(const Image& clean) {
  const int w = clean.width(), h = clean.height();
  Box* box = boxCreate(w * 6 / 100, h * 6 / 100, w * 88 / 100, h * 88 / 100);
  l_int32 count = 0;
  Pix* interior = pixClipRectangle(clean.get(), box, nullptr);
  if (interior) pixCountPixels(interior, &count, nullptr);
  pixDestroy(&interior);
  boxDestroy(&box);
  return static_cast<double>(count) / (std::max(1, w * 88 / 100) * std::max(1, h * 88 / 100));
}

// Degrees clockwise that make the text upright, from Leptonica's ascender/descender
// statistics (upconf: + upright, - upside down; leftconf: + turned left, - turned
// right). The decision is ours: makeOrientDecision() gives up whenever one of the two
// is exactly 0, which a clean page sideways produces (up 0, left 21.6).
int DetectRotation(const Image& bitonal) {
  l_float32 upconf = 0, leftconf = 0;
  if (pixOrientDetect(bitonal.get(), &upconf, &leftconf, 0, 0) != 0) return 0;
  constexpr double kMinConf = 8.0, kMinRatio = 2.5;  // Leptonica's defaults
  const double up = std::fabs(upconf), left = std::fabs(leftconf);
  if (up > kMinConf && up > kMinRatio * left) return upconf > 0 ? 0 : 180;
  if (left > kMinConf && left > kMinRatio * up) return leftconf > 0 ? 90 : 270;
  // Not sure. A portrait document scanned landscape is lying on a side: take the
  // likelier side rather than OCR it sideways.
  if (bitonal.width() > bitonal.height() && left > 0) return leftconf > 0 ? 90 : 270;
  return 0;
}

}  // namespace

PageAnalysis AnalyzePage(const Image& page, const PageAnalysisOptions& options) {
  PageAnalysis out;
  out.dpi = ResolutionOf(page);

  // Barcodes: the DataMatrix windows and a half-size Code 128 pass first; the full-size
  // pass only when they found nothing. Both symbols are read when both are there, so a
  // disagreement between them is caught.
  const bool half_scale = out.dpi >= 250;
  const Image gray = ToGray(page);  // once: every test below reads it
  const auto matrix = FindMatrixBarcodes(gray, MatrixWindows(gray, out.dpi));
  auto codes = FindLinearBarcode(gray, half_scale);
  codes.insert(codes.end(), matrix.begin(), matrix.end());
  Classify(codes, &out);
  if (half_scale && out.kind == PageKind::kContent && out.barcode_error.empty()) {
    codes = FindLinearBarcode(gray, false);
    codes.insert(codes.end(), matrix.begin(), matrix.end());
    Classify(codes, &out);
  }
  if (out.kind != PageKind::kContent || !out.barcode_error.empty()) return out;

  Image bitonal = Despeckle(ToBitonal(page.depth() == 1 ? page : gray), out.dpi);
  pixSetResolution(bitonal.get(), out.dpi, out.dpi);
  out.ink = InteriorInk(bitonal);
  if (out.ink < options.blank_ink_threshold) {
    out.kind = PageKind::kBlank;
    return out;
  }
  if (options.detect_orientation) {
    out.rotation = DetectRotation(bitonal);
    if (out.rotation != 0) bitonal = RotateOrtho(bitonal, out.rotation);
  }
  if (options.deskew) {
    l_float32 angle = 0, conf = 0;
    if (pixFindSkew(bitonal.get(), &angle, &conf) == 0 && conf > 2.0 && std::fabs(angle) > 0.1) {
      out.skew = angle;
      bitonal = RotateSmall(bitonal, angle);
    }
  }
  pixSetResolution(bitonal.get(), out.dpi, out.dpi);
  out.upright = std::move(bitonal);
  return out;
}

}  // namespace postmottak

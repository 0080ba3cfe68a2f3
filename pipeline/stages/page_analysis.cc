#include "pipeline/stages/page_analysis.h"

#include <leptonica/allheaders.h>

#include <cmath>
#include <set>

#include "codecs/barcode.h"
#include "codecs/check_digits.h"
#include "pipeline/stages/cover_sheet.h"
#include "storage/enum_names.h"

namespace postmottak {

namespace {
const char* const kPageKindNames[] = {"content", "blank", "cover_sheet", "separator"};
}  // namespace

std::string ToString(PageKind k) { return EnumName(k, kPageKindNames); }

bool ParsePageKind(const std::string& s, PageKind* out) {
  return ParseEnum(s, kPageKindNames, out);
}

namespace {

// A payload as people may read it in an error message: printable, and short.
std::string Shown(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < 40; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    out += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?';
  }
  if (text.size() > 40) out += "... (" + std::to_string(text.size()) + " characters)";
  return out;
}

}  // namespace

Payload ParsePayload(const std::string& text) {
  Payload p;
  if (text == kSeparatorPayload) {
    p.kind = PayloadKind::kSeparator;
    return p;
  }
  static const std::string kPrefix = "POSTMOTTAK";
  if (text.compare(0, kPrefix.size(), kPrefix) == 0) {
    p.kind = PayloadKind::kMalformed;
    p.problem = "barcode \"" + Shown(text) + "\" imitates a separator sheet";
    return p;
  }
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits < static_cast<size_t>(kCoverIdLength)) return p;
  const std::string head = text.substr(0, kCoverIdLength);
  if (text.size() == head.size()) {
    if (IsValidCoverId(head)) {
      p.kind = PayloadKind::kCoverId;
      p.cover_id = head;
    } else {
      p.kind = PayloadKind::kMalformed;
      p.problem = "cover id " + head + " fails its check digit";
      p.misread = true;
    }
  } else if (IsValidCoverId(head)) {
    p.kind = PayloadKind::kMalformed;
    p.problem = "barcode \"" + Shown(text) + "\" carries cover id " + head +
                " with more after it (overlong or forged)";
  }
  return p;
}

namespace {

// Classifies the barcodes found. Cover ids must all agree and nothing may imitate
// Postmottak's symbols; otherwise the page cannot be trusted.
void Classify(const std::vector<Barcode>& codes, PageAnalysis* out) {
  std::set<std::string> cover_ids;
  std::string forged, misread;
  bool separator = false;
  for (const auto& b : codes) {
    Payload p = ParsePayload(b.text);
    if (p.kind == PayloadKind::kSeparator) separator = true;
    if (p.kind == PayloadKind::kCoverId) cover_ids.insert(p.cover_id);
    if (p.kind == PayloadKind::kMalformed) (p.misread ? misread : forged) = p.problem;
  }
  if (!forged.empty()) {
    out->barcode_error = forged;
  } else if (cover_ids.size() > 1) {
    out->barcode_error = "cover sheet carries conflicting cover ids";
  } else if (cover_ids.size() == 1) {
    out->kind = PageKind::kCoverSheet;
    out->cover_id = *cover_ids.begin();
  } else if (!misread.empty()) {
    out->barcode_error = misread;
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

// Share of dark pixels in the page's interior, counting only marks of at least ~0.5 mm
// (a full stop at 10 pt): scanner edges and punch holes live in the outer 6%, and a
// poor scanner's dust, which despeckling leaves when it is 2 to 3 pixels, must not
// make a blank back side look written on.
// `plainly` is a share of ink above which the page is written on whatever the dust: the
// plain count is returned then, and the slower count of marks is saved.
double InteriorInk(const Image& clean, int dpi, double plainly) {
  const int w = clean.width(), h = clean.height();
  Box* box = boxCreate(w * 6 / 100, h * 6 / 100, w * 88 / 100, h * 88 / 100);
  Pix* interior = pixClipRectangle(clean.get(), box, nullptr);
  boxDestroy(&box);
  if (!interior) return 0;
  const double area = std::max(1, w * 88 / 100) * std::max(1, h * 88 / 100);
  l_int32 all = 0;
  pixCountPixels(interior, &all, nullptr);
  if (all / area >= plainly) {
    pixDestroy(&interior);
    return all / area;
  }
  const int min_size = std::max(2, dpi / 50);
  Pix* marks = pixSelectBySize(interior, min_size, min_size, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE,
                               nullptr);
  l_int32 count = 0;
  if (marks) pixCountPixels(marks, &count, nullptr);
  pixDestroy(&marks);
  pixDestroy(&interior);
  return count / area;
}

// Degrees clockwise that make the text upright, from Leptonica's ascender/descender
// statistics (upconf: + upright, - upside down; leftconf: + turned left, - turned
// right). The decision is ours: makeOrientDecision() gives up whenever one of the two
// is exactly 0, which a clean page sideways produces (up 0, left 21.6).
int DetectRotation(const Image& bitonal) {
  l_float32 upconf = 0, leftconf = 0;
  // Measured at full resolution: at half size (tried, for speed) an upside-down 300 dpi
  // page with a bold title passed for upright.
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

// Pages are deskewed up to this angle either way.
constexpr float kMaxSkewDegrees = 12.0f;

}  // namespace

int PageResolution(const Image& page) {
  int dpi = page.dpi();
  if (dpi >= 70 && dpi <= 1200) return dpi;
  int shorter = std::min(page.width(), page.height());
  return std::max(70, static_cast<int>(std::lround(shorter / 8.27)));
}

// The scale at which Code 128 is read. zxing needs bars of about 2.4 pixels or more
// (0.4 mm bars at 100 dpi, two pixels, are lost: a fax is read upscaled); pixels it
// does not need only cost time. A 300 dpi page is read at half size (bars ~2.4 pixels,
// anti-aliased by area mapping, which is also the one fast reduction); a single read
// serves, since a full-size fallback never found a symbol the half-size read missed.
double LinearReadScale(int dpi) {
  if (dpi >= 280) return 0.5;
  if (dpi < 150) return 2.0;
  return 1.0;
}

void ReadPageBarcodes(const Image& gray, int dpi, PageAnalysis* out) {
  // Both symbols are read when both are there, so a disagreement between them is caught.
  auto codes = FindMatrixBarcodes(gray, MatrixWindows(gray, dpi));
  const auto linear = FindLinearBarcode(gray, LinearReadScale(dpi));
  codes.insert(codes.end(), linear.begin(), linear.end());
  Classify(codes, out);
}

PageAnalysis AnalyzePage(const Image& page, const PageAnalysisOptions& options) {
  PageAnalysis out;
  out.dpi = PageResolution(page);

  // Blank first: a blank back side is a third of a duplex batch, carries no barcode, and
  // the ink count on the bitonal page costs a fraction of a barcode search. The gray
  // copy is made once; a bitonal scan needs it only for the barcodes, so only then.
  Image gray = page.depth() == 1 ? Image() : ToGray(page);
  Image bitonal = Despeckle(ToBitonal(gray.empty() ? page : gray), out.dpi);
  pixSetResolution(bitonal.get(), out.dpi, out.dpi);
  out.ink = InteriorInk(bitonal, out.dpi, 4 * options.blank_ink_threshold);
  if (out.ink < options.blank_ink_threshold) {
    out.kind = PageKind::kBlank;
    return out;
  }
  if (gray.empty()) gray = ToGray(page);
  ReadPageBarcodes(gray, out.dpi, &out);
  if (out.kind != PageKind::kContent || !out.barcode_error.empty()) return out;
  if (options.detect_orientation) {
    out.rotation = DetectRotation(bitonal);
    if (out.rotation != 0) bitonal = RotateOrtho(bitonal, out.rotation);
  }
  if (options.deskew) {
    l_float32 angle = 0, conf = 0;
    // Leptonica's default sweep stops at 7 degrees; a page fed carelessly into a
    // sheet feeder goes further, and Tesseract reads nothing at 8.
    if (pixFindSkewSweepAndSearch(bitonal.get(), &angle, &conf, 4, 2, kMaxSkewDegrees, 1.0, 0.01) ==
            0 &&
        conf > 2.0 && std::fabs(angle) > 0.1) {
      out.skew = angle;
      bitonal = RotateSmall(bitonal, angle);
    }
  }
  pixSetResolution(bitonal.get(), out.dpi, out.dpi);
  out.upright = std::move(bitonal);
  return out;
}

}  // namespace postmottak

// Page analysis: what a scanned page is, and an upright, deskewed copy of it.
//
// Per page, cheapest test first: blank detection (a blank back side needs nothing
// more), then barcodes (a cover sheet or separator sheet needs nothing more), then
// orientation (0/90/180/270) and deskew for the pages that go on to OCR.
#ifndef POSTMOTTAK_PIPELINE_STAGES_PAGE_ANALYSIS_H_
#define POSTMOTTAK_PIPELINE_STAGES_PAGE_ANALYSIS_H_

#include <string>

#include "codecs/image.h"

namespace postmottak {

enum class PageKind { kContent, kBlank, kCoverSheet, kSeparator };
std::string ToString(PageKind k);
// The kind ToString names; false for any other name.
bool ParsePageKind(const std::string& s, PageKind* out);

// Payload of the separator sheet's Code 128: starts a mail piece that has no case.
inline constexpr const char* kSeparatorPayload = "POSTMOTTAK-SKILLEARK";

// What one decoded barcode payload says to Postmottak. Payloads are bytes from the
// page, so anything may arrive. Postmottak's own symbols carry a 12-digit cover id or
// the separator text. A payload that imitates them without matching is malformed and
// makes the page untrusted: 12 digits failing their check digit, a valid cover id with
// more after it (overlong or forged), or the separator's prefix with anything else.
// Every other payload belongs to someone else (a bank's QR code on a letter) and is
// ignored.
enum class PayloadKind { kForeign, kCoverId, kSeparator, kMalformed };
struct Payload {
  PayloadKind kind = PayloadKind::kForeign;
  std::string cover_id;  // kCoverId
  std::string problem;   // kMalformed: why, with at most the first 40 characters shown
  // kMalformed only by a failed check digit: a misread more likely than a forgery, so
  // another symbol on the page with a valid id still counts.
  bool misread = false;
};
Payload ParsePayload(const std::string& text);

struct PageAnalysis {
  PageKind kind = PageKind::kContent;
  std::string cover_id;       // kCoverSheet: the verified cover id
  std::string barcode_error;  // a cover-like barcode that cannot be trusted: why
  int rotation = 0;           // degrees clockwise applied
  double skew = 0;            // degrees corrected
  double ink = 0;             // share of dark pixels in the page's interior, after despeckling
  int dpi = 0;                // resolution used (estimated from A4 when the file had none)
  Image upright;              // kContent: the page made upright and deskewed (1 bpp)
};

struct PageAnalysisOptions {
  // A page with less ink than this (share of interior pixels) is blank.
  double blank_ink_threshold = 0.0015;
  bool detect_orientation = true;
  bool deskew = true;
};

PageAnalysis AnalyzePage(const Image& page, const PageAnalysisOptions& options = {});

// The page's resolution from its file, or estimated from the page width assuming A4
// portrait or landscape (scanners do not always record it, and PDF images carry none).
int PageResolution(const Image& page);

// The barcode stage of AnalyzePage alone: sets kind (cover sheet, separator, or content
// when neither), cover_id and barcode_error from an 8 bpp page at `dpi`.
void ReadPageBarcodes(const Image& gray, int dpi, PageAnalysis* out);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_PAGE_ANALYSIS_H_

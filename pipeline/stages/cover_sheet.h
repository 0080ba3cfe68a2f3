// Cover sheets (førsteside): issuing them, and drawing them for print.
//
// A cover sheet is issued for a case, or for a person and benefit area before a case
// exists. Its id is a fixed-width number with a Damm check digit, printed as both a
// Code 128 and a DataMatrix, so one damaged symbol does not lose the link. The sheet
// shows the person's name and masked id only: the citizen knows who they are, and the
// envelope may be opened by others.
#ifndef POSTMOTTAK_PIPELINE_STAGES_COVER_SHEET_H_
#define POSTMOTTAK_PIPELINE_STAGES_COVER_SHEET_H_

#include <string>
#include <vector>

#include "codecs/image.h"
#include "codecs/text_raster.h"
#include "pipeline/config/rules.h"
#include "storage/records.h"
#include "storage/store.h"

namespace postmottak {

// Where the DataMatrix sits on an upright A4 cover sheet, in millimetres from the top-left
// corner; page analysis looks for it there in each of the four orientations.
inline constexpr double kMatrixLeftMm = 160.0;
inline constexpr double kMatrixTopMm = 50.0;
inline constexpr double kMatrixModuleMm = 1.2;
inline constexpr int kMatrixModules = 14;  // a 12-digit cover id needs a 14 x 14 symbol

struct CoverSheetRequest {
  CoverSheetKind kind = CoverSheetKind::kFollowUp;
  std::string case_id;    // either a case ...
  std::string person_id;  // ... or a person and an area
  std::string area;
  std::string title;                  // defaults to the area's name and the kind
  std::vector<std::string> expected;  // defaults to what the case still misses
  std::string unit;                   // defaults to the case's unit
};

// Validates the request against the store and rules, allocates a cover id and stores
// the cover sheet in `change`.
Result<CoverSheet> IssueCoverSheet(Change& change, const Rules& rules, CoverSheetRequest request);

// The sheet as a page image (8 bpp gray) at `dpi`.
Result<Image> DrawCoverSheet(const CoverSheet& sheet, const Rules& rules, int dpi,
                             const Fonts& fonts = {});
// The sheet as a printable one-page A4 PDF (bitonal, CCITT G4, 300 dpi).
Result<std::string> CoverSheetPdf(const CoverSheet& sheet, const Rules& rules,
                                  const Fonts& fonts = {});
// `pdf` (as Leptonica writes it) with its creation date set to `iso` (ISO 8601 UTC)
// in place of the time it was drawn: the same record prints the same bytes, and the
// date says when it was issued. Same length, so the cross-reference table holds.
std::string DatedPdf(std::string pdf, const std::string& iso);
// A separator sheet (skilleark): starts a mail piece without a case.
Result<Image> DrawSeparatorSheet(int dpi);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_COVER_SHEET_H_

// The sample generator: a realistic scanned mail batch and its ground truth.
//
// It registers synthetic cases in a store (through CaseService, like a case system
// would), takes the follow-up cover sheets the store issued for their missing
// documents, and "scans" mail pieces: cover sheets, separator sheets, Norwegian
// documents rendered with a real font, documents without cover sheets whose text
// carries a person id, loose mail, blank back sides, and scanner faults (90/180
// degree rotation, skew, speckle, faint print, JPEG artefacts, fax dropouts, 100 to 300
// dpi) at a chosen degradation level. Pages are written as multi-page TIFF (CCITT G4)
// and PDF (G4 or JPEG). The ground truth names, for every page, its kind, rotation,
// text and true case. Person ids are synthetic (month + 80); names are invented. The
// same seed and level give the same batch.
#ifndef POSTMOTTAK_SAMPLES_GENERATOR_H_
#define POSTMOTTAK_SAMPLES_GENERATOR_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/config/rules.h"
#include "storage/store.h"

namespace postmottak {

// How badly the batch was scanned. Each level is a fixed recipe, so a level and a
// seed make the same corpus again.
enum class Degradation {
  kClean,   // 300 dpi, straight, no dust: the upper bound
  kOffice,  // an office scanner: 200/300 dpi, skew up to 5 degrees, some dust, faint
            // print, pages fed sideways or upside down
  kPoor,    // 200 dpi, skew up to 8 degrees, heavy speckle, much faint print, and
            // grayscale pages in strongly compressed JPEG
  kFax,     // 100 or 200 dpi bitonal, thresholded hard, with dropped scan lines
};
std::string ToString(Degradation d);
bool ParseDegradation(const std::string& name, Degradation* out);

// What the batch holds.
enum class SampleMix {
  kTypical,      // cover-sheet pieces, separator pieces linked by text, loose mail
  kCoverSheets,  // only cover sheets, each followed by short documents
};

struct SampleOptions {
  std::string out_dir;  // scans/ and truth.json are written here
  int pages = 240;      // at least this many pages
  uint64_t seed = 20261122;
  Degradation degradation = Degradation::kOffice;
  SampleMix mix = SampleMix::kTypical;
  int pages_per_file = 30;
  // Also write every page as it was scanned to pages/<file>-p<NNN>.png (for tools that
  // read single images).
  bool page_images = false;
  // Also a document only a person can place: a medical certificate, without its cover
  // sheet, of a person with two open cases it fits (for the manual-journaling workbench).
  bool ambiguous = false;
  // Case numbers are 2026-NNNNNN from this one up: another batch into the same store
  // needs another range.
  int first_case = 4001;
  // The case system registering the sample cases (role case_system).
  std::string principal = "service:sample-generator";
};

struct SampleBatch {
  std::vector<std::string> files;
  int pages = 0;
  nlohmann::json truth;  // as written to truth.json
};

Result<SampleBatch> GenerateSamples(Store* store, const Rules& rules, const SampleOptions& options);

// A synthetic person id: valid check digits, month + 80.
std::string SyntheticPersonId(uint64_t* state);

}  // namespace postmottak

#endif  // POSTMOTTAK_SAMPLES_GENERATOR_H_

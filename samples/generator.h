// The sample generator: a realistic scanned mail batch and its ground truth.
//
// It registers synthetic cases in a store (through CaseService, like a case system
// would), takes the follow-up cover sheets the store issued for their missing
// documents, and "scans" mail pieces: cover sheets, separator sheets, Norwegian
// documents rendered with a real font, documents without cover sheets whose text
// carries a person id, loose mail, blank back sides, and scanner faults (90/180
// degree rotation, skew, speckle, faint print, 200 and 300 dpi). Pages are written as
// multi-page TIFF (CCITT G4) and PDF (G4 or JPEG). Person ids are synthetic (month +
// 80); names are invented. The same seed gives the same batch.
#ifndef POSTMOTTAK_SAMPLES_GENERATOR_H_
#define POSTMOTTAK_SAMPLES_GENERATOR_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/rules.h"
#include "storage/store.h"

namespace postmottak {

struct SampleOptions {
  std::string out_dir;  // scans/ and truth.json are written here
  int pages = 240;      // at least this many pages
  uint64_t seed = 20261122;
  bool faults = true;  // scanner faults
  int pages_per_file = 30;
  std::string actor = "sample-generator";
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

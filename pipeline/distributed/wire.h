// Wire: what travels between the committer and remote workers in distributed intake.
//
// A job carries one decoded page, encoded again without loss (TIFF G4 for 1 bpp, PNG
// for every other depth) with its resolution, so a worker decodes exactly the pixels
// the committer's reader decoded and the stages give exactly the embedded result. A
// result carries the whole ProcessedPage. Run settings carry what must be equal on
// every worker for that: the rules, the OCR language and the page analysis options.
//
// Encoding is CBOR (byte strings stay binary). Decoding accepts bytes from the network:
// anything malformed is an error naming what was wrong, never a crash.
#ifndef POSTMOTTAK_PIPELINE_DISTRIBUTED_WIRE_H_
#define POSTMOTTAK_PIPELINE_DISTRIBUTED_WIRE_H_

#include <string>

#include "codecs/image.h"
#include "pipeline/intake/intake.h"
#include "pipeline/stages/assembler.h"
#include "pipeline/stages/page_analysis.h"
#include "storage/status.h"

namespace postmottak {

// What every worker must use for a run, so that its results equal the embedded ones.
struct RunSettings {
  std::string batch;       // for operators (cluster status)
  std::string started_at;  // for operators
  int max_deliveries = 3;  // deliveries before a job goes to quarantine unprocessed
  std::string rules_json;  // the rules file's text
  std::string language = "nor";
  bool searchable_pdf = true;
  PageAnalysisOptions analysis;
  ImageLimits limits;  // applied again when a worker decodes a job's page
};

struct EncodedJob {
  std::string payload;  // the message
  std::string page;     // the page as the job carries it (G4 or PNG), also inside payload
};
// Fails when the job's page was not decoded (such a job needs no worker), or cannot be
// encoded. A page that fails to decode on the worker fails as the job's own page,
// naming its file and page.
Result<EncodedJob> EncodeJob(const PageJob& job);
Result<PageJob> DecodeJob(const std::string& bytes, const ImageLimits& limits);
// The job's page as the job carries it (G4 or PNG), without decoding it: what a page
// that no worker could process keeps for quarantine.
Result<std::string> JobPageBytes(const std::string& bytes);

std::string EncodeResult(const ProcessedPage& page);
Result<ProcessedPage> DecodeResult(const std::string& bytes);

std::string EncodeSettings(const RunSettings& settings);
Result<RunSettings> DecodeSettings(const std::string& bytes);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_DISTRIBUTED_WIRE_H_

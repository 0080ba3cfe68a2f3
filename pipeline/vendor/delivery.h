// A vendor delivery, unpacked: its mail pieces and what cannot be one.
//
// A piece is a pair `<base>.pdf` + `<base>.xml` (and the vendor's `<base>.ocr` text when
// sent), the XML valid skanningmetadata naming that PDF, and the PDF readable with the
// page count the XML says. Everything else in the folder is refused with the file and
// the reason: a half pair, an XML that fails the schema or names another file, a page
// count that disagrees, a PDF that cannot be read, a file that belongs to no pair. Each
// file of the folder ends in exactly one piece or one refusal: nothing is lost.
#ifndef POSTMOTTAK_PIPELINE_VENDOR_DELIVERY_H_
#define POSTMOTTAK_PIPELINE_VENDOR_DELIVERY_H_

#include <string>
#include <vector>

#include "codecs/page_source.h"
#include "pipeline/vendor/scan_metadata.h"
#include "storage/status.h"

namespace postmottak {

// The vendor's text of one PDF is kept with the batch; a larger one refuses its pair.
constexpr int64_t kMaxVendorTextBytes = int64_t{16} << 20;

struct VendorPiece {
  std::string base;  // the pair's name without extension, as in the archive ("2026/skan-1")
  std::string pdf;   // paths under the delivery's folder
  std::string xml;
  std::string ocr;  // empty when the vendor sent no text
  ScanMetadata metadata;
  int pages = 0;  // counted in the PDF
};

struct VendorRefusal {
  std::vector<std::string> files;  // every file of the refused group (paths)
  std::string reason;              // names the file at fault
};

struct Delivery {
  std::vector<VendorPiece> pieces;  // in name order
  std::vector<VendorRefusal> refused;
};

// Reads the delivery unpacked in `dir`, whose files are `names` (relative, as
// UnpackZip returns them). `limits` bound the reading of each PDF. Errors only for the
// folder itself; bad pairs are refusals.
Result<Delivery> ReadDelivery(const std::string& dir, const std::vector<std::string>& names,
                              const SourceLimits& limits = {});

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_VENDOR_DELIVERY_H_

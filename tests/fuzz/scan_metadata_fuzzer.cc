// Fuzz target: a scanning vendor's skanningmetadata XML, as anyone may write it.
// Invariant: what is accepted names a plain PDF file, a page count within the schema's
// bound and no sentinel left as a value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "pipeline/vendor/scan_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = postmottak::ParseScanMetadata(std::string(reinterpret_cast<const char*>(data), size),
                                         "fuzz.xml");
  if (!m.ok()) return 0;
  if (m->file_name.empty() || m->file_name.find('/') != std::string::npos) std::abort();
  if (m->pages < 0 || m->pages > 10000) std::abort();
  if (m->area == "UKJ" || m->unit == "0000") std::abort();
  return 0;
}

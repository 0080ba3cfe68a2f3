// The scanning vendor's metadata for one mail piece (skanningmetadata XML beside each
// PDF of a delivery), validated against the project's own schema
// (pipeline/vendor/skanningmetadata.xsd, carried in the binary) before any field is
// read.
//
// The XML comes from outside: it is parsed without network access, without a DOCTYPE
// (no entities, so no billion laughs and no external files) and within a size bound.
// Sentinels become "not known": unit "0000" and area "UKJ" read as empty.
#ifndef POSTMOTTAK_PIPELINE_VENDOR_SCAN_METADATA_H_
#define POSTMOTTAK_PIPELINE_VENDOR_SCAN_METADATA_H_

#include <string>

#include "storage/records.h"
#include "storage/status.h"

namespace postmottak {

// ScanMetadata itself is a record (storage/records.h): it goes on the journal entry.

// The XML's bounds: larger files are refused before they are parsed.
constexpr size_t kMaxScanMetadataBytes = 1 << 20;

// Parses and validates `xml`; `source` (the file's name) prefixes every error.
// InvalidArgument with the line and what does not fit the schema.
Result<ScanMetadata> ParseScanMetadata(const std::string& xml, const std::string& source);

// The schema, as carried in the binary (for docs and the tests).
const std::string& ScanMetadataSchema();

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_VENDOR_SCAN_METADATA_H_

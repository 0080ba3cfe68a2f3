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

#include "storage/status.h"

namespace postmottak {

struct ScanMetadata {
  // journalpost
  std::string reference;   // referansenummer: 14 digits, or empty
  std::string user_id;     // bruker/brukerId: a person (11 digits) or an organisation (9)
  std::string user_type;   // bruker/brukertype: "PERSON" or "ORGANISASJON", or empty
  std::string area;        // tema; empty when missing or "UKJ"
  std::string form_code;   // brevKode ("NAV 11-13.05")
  std::string unit;        // journalforendeEnhet; empty when missing or "0000"
  std::string channel;     // mottakskanal ("SKAN_IM")
  std::string received;    // datoMottatt, YYYY-MM-DD, or empty
  std::string batch_name;  // batchnavn
  std::string file_name;   // filnavn: the PDF it describes
  std::string endorser;    // endorsernr: the number the scanner printed on the paper
  int pages = 0;           // antallSider; 0 when not given
  std::string country;     // land
  // skanningInfo
  std::string post_box;          // fysiskPostboks: where the paper arrived
  std::string barcode_post_box;  // strekkodePostboks: the post box its barcode named
};

// The XML's bounds: larger files are refused before they are parsed.
constexpr size_t kMaxScanMetadataBytes = 1 << 20;

// Parses and validates `xml`; `source` (the file's name) prefixes every error.
// InvalidArgument with the line and what does not fit the schema.
Result<ScanMetadata> ParseScanMetadata(const std::string& xml, const std::string& source);

// The schema, as carried in the binary (for docs and the tests).
const std::string& ScanMetadataSchema();

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_VENDOR_SCAN_METADATA_H_

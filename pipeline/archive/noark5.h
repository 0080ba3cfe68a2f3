// The Noark 5 deposit (avleveringspakke) of what Postmottak journaled, for the national
// archive (Noark 5 v5.0, docs/noark5.md).
//
//   <out>/arkivstruktur.xml   arkiv → arkivdel → a saksmappe per case → a journalpost
//                             ("Inngående dokument") per mail piece journaled to it →
//                             a dokumentbeskrivelse per document → its dokumentobjekt
//   <out>/endringslogg.xml    the changes to those entries after they were recorded
//   <out>/loependeJournal.xml, offentligJournal.xml   the journal, and the screened one
//   <out>/arkivuttrekk.xml    ADDML: each XML file's checksum and counts
//   <out>/DOKUMENT/<id>.pdf   each document's archive variant, checksummed (SHA-256)
//   <out>/*.xsd               the official schemas, copied unmodified from `schemas_dir`
//
// Ids are stable: every systemID is a name-based UUID of what it stands for, and
// numbers and dates come from the records, so exporting the same store twice gives the
// same package byte for byte. What it writes is validated against the schemas before
// it returns. Cases past their retention period are left out.
//
// The export reads every case and document it deposits: it needs the `deposit`
// permission, and each case deposited is on the audit trail.
#ifndef POSTMOTTAK_PIPELINE_ARCHIVE_NOARK5_H_
#define POSTMOTTAK_PIPELINE_ARCHIVE_NOARK5_H_

#include <cstdint>
#include <string>

#include "pipeline/config/rules.h"
#include "pipeline/services/access.h"
#include "postmottak/reports.h"
#include "storage/store.h"

namespace postmottak {

// A UUID (version 5 shape) derived from `name`: the same name, the same id.
std::string StableUuid(const std::string& name);

Result<DepositReport> ExportNoark5(Store* store, const Rules& rules, const Policy& policy,
                                   const Principal& principal, const std::string& purpose,
                                   const DepositOptions& options);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_ARCHIVE_NOARK5_H_

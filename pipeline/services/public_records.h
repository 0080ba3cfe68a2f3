// The public records (postmottak/records.h) made from the internal ones: a copy of what
// a case system may see, nothing more (no blob keys, no page checksums, no pipeline
// internals, no person pseudonyms). Masking has already happened in the case service.
#ifndef POSTMOTTAK_PIPELINE_SERVICES_PUBLIC_RECORDS_H_
#define POSTMOTTAK_PIPELINE_SERVICES_PUBLIC_RECORDS_H_

#include <string>
#include <vector>

#include "pipeline/services/case_service.h"
#include "pipeline/services/retention.h"
#include "postmottak/records.h"
#include "postmottak/reports.h"

namespace postmottak {

DocumentRecord RecordOf(const Document& d);
std::vector<DocumentRecord> RecordsOf(const std::vector<Document>& documents);
TaskRecord RecordOf(const Task& t);
CaseRecord RecordOf(const Case& c);  // without checklist, documents and tasks
CaseRecord RecordOf(const CaseView& view);
CoverSheetRecord RecordOf(const CoverSheet& sheet, std::string pdf);
BatchRecord RecordOf(const Batch& b);
QuarantineRecord RecordOf(const QuarantineEntry& q);
AuditEntryRecord RecordOf(const Event& e);  // the person's pseudonym stays inside
RetentionSummary SummaryOf(const RetentionReport& report, bool dry_run);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_PUBLIC_RECORDS_H_

// CaseService: what case systems call. Every call acts for a named actor, and every
// write is one atomic Change with its event.
#ifndef POSTMOTTAK_PIPELINE_CASE_SERVICE_H_
#define POSTMOTTAK_PIPELINE_CASE_SERVICE_H_

#include <string>
#include <vector>

#include "pipeline/completeness.h"
#include "pipeline/cover_sheet.h"
#include "pipeline/rules.h"
#include "storage/store.h"

namespace postmottak {

struct NewCase {
  std::string id;
  std::string person_id;
  std::string person_name;
  std::string area;
  std::string unit;
  std::vector<std::string> required;  // empty: what the rules require for the area
  std::string due;                    // YYYY-MM-DD or empty
};

class CaseService {
 public:
  CaseService(Store* store, const Rules* rules, std::string actor)
      : store_(store), rules_(rules), actor_(std::move(actor)) {}

  // Registers a case and evaluates its checklist at once (missing-documentation tasks
  // and the request letter's cover sheet are raised now, not when the case is opened).
  Result<Case> AddCase(NewCase request);
  Result<CoverSheet> IssueCoverSheet(CoverSheetRequest request);
  // Links a document by hand (manual journaling); closes its journaling task and
  // re-evaluates both the old and the new case.
  Result<Document> LinkDocument(const std::string& document_id, const std::string& case_id);

 private:
  Store* store_;
  const Rules* rules_;
  std::string actor_;
};

// Ids that go into keys: letters, digits, '-', '_' and '.', 1 to 64 characters.
bool IsValidRecordId(const std::string& id);
// YYYY-MM-DD with a real month and day.
bool IsValidDate(const std::string& date);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_CASE_SERVICE_H_

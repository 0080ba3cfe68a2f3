// Completeness: a case's checklist, evaluated at once after every change to the case.
//
// For each document type the case requires: arrived closes its missing-documentation
// task; still missing raises one (with whom it is awaited from), and a follow-up cover
// sheet for the request letter is issued for every batch of newly raised tasks. A
// complete case becomes "ready for decision" with a task in the owning unit's queue; an
// incomplete one is "awaiting documentation" and is not the deciding unit's backlog.
//
// Task ids are derived from the case and the document type, so evaluating the same
// state twice changes nothing.
#ifndef POSTMOTTAK_PIPELINE_STAGES_COMPLETENESS_H_
#define POSTMOTTAK_PIPELINE_STAGES_COMPLETENESS_H_

#include <string>
#include <vector>

#include "pipeline/config/rules.h"
#include "storage/store.h"

namespace postmottak {

struct Checklist {
  struct Item {
    std::string type;
    std::vector<std::string> documents;  // ids of the documents of that type on the case
  };
  std::vector<Item> items;
  std::vector<std::string> missing;
  bool complete() const { return missing.empty(); }
};

struct CompletenessOutcome {
  int tasks_raised = 0;
  int tasks_closed = 0;
  std::string cover_id;  // follow-up cover sheet issued, if any
};

Checklist ChecklistOf(const Change& change, const Case& c);
Result<CompletenessOutcome> EvaluateCase(Change& change, const Rules& rules,
                                         const std::string& case_id);

std::string MissingTaskId(const std::string& case_id, const std::string& type);
std::string DecisionTaskId(const std::string& case_id);
std::string JournalingTaskId(const std::string& document_id);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_COMPLETENESS_H_

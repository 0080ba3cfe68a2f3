// Completeness: a case's checklist, evaluated at once after every change to the case.
//
// For each document type the case requires: arrived closes its missing-documentation
// task; still missing raises one (with whom it is awaited from), and a request letter
// with a follow-up cover sheet of its own goes to each recipient of newly raised tasks
// (letters.h). A
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
  std::vector<std::string> letters;  // request letters written, one per recipient
};

Checklist ChecklistOf(const Change& change, const Case& c);
Result<CompletenessOutcome> EvaluateCase(Change& change, const Rules& rules,
                                         const std::string& case_id);

std::string MissingTaskId(const std::string& case_id, const std::string& type);
std::string DecisionTaskId(const std::string& case_id);
std::string JournalingTaskId(const std::string& document_id);
// The task to decide on what the case holds, after a request and a reminder went
// unanswered (follow_up.h); closed by itself when the case becomes complete.
std::string AsItStandsTaskId(const std::string& case_id);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_COMPLETENESS_H_

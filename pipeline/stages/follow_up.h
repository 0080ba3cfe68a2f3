// Follow-up: chasing what a case asked for, when the answer does not come.
//
// Every open missing-documentation task names the latest letter that asked for its
// document (Task::letter_id). When that letter's answer-by date has passed:
//   - after the request, a reminder goes to the same recipient for what is still
//     missing, behind the same cover sheet, with a new answer-by date;
//   - after the reminder, the case's unit gets one task to decide on the case as it
//     stands (AsItStandsTaskId), which closes by itself if the documents come after all.
// Running it twice on the same day changes nothing, so a scheduled job may run it as
// often as it likes. `now` comes from the caller: tests move the clock.
#ifndef POSTMOTTAK_PIPELINE_STAGES_FOLLOW_UP_H_
#define POSTMOTTAK_PIPELINE_STAGES_FOLLOW_UP_H_

#include <string>
#include <vector>

#include "pipeline/config/rules.h"
#include "storage/store.h"

namespace postmottak {

struct FollowUpOutcome {
  std::vector<std::string> reminders;  // letter ids written
  std::vector<std::string> escalated;  // as-it-stands task ids raised
};

// Follows up case `case_id` at `now` (ISO 8601 UTC) in `change`; a closed case, or one
// that waits for nothing, is left alone.
Result<FollowUpOutcome> FollowUpCase(Change& change, const Rules& rules, const std::string& case_id,
                                     const std::string& now);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_STAGES_FOLLOW_UP_H_

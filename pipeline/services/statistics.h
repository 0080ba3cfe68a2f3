// Statistics: what each unit has on its desk, and how work flowed through it, in
// counts only.
//
// For the mail room and the units' leaders. The paper process made these figures
// misleading: a case waiting for a doctor counted as the deciding unit's backlog, and
// nobody could say how long a case took from its first paper to a decision-ready
// state. Here cases awaiting documentation are counted apart from the backlog (with
// whom they wait for), each case counts with the unit that had it at the time, and the
// time from first document to ready for decision is measured per case, so that weeks
// are comparable.
#ifndef POSTMOTTAK_PIPELINE_SERVICES_STATISTICS_H_
#define POSTMOTTAK_PIPELINE_SERVICES_STATISTICS_H_

#include <string>
#include <vector>

#include "pipeline/config/rules.h"
#include "postmottak/reports.h"
#include "storage/principal.h"
#include "storage/records.h"
#include "storage/status.h"

namespace postmottak {

class Store;

// The period's flow per unit and area, and every unit's desk, as of `now` (ISO 8601
// UTC). Needs the `statistics` permission (a refusal is audited); the reading itself is
// audited as "read_statistics" with the period. A bad period is InvalidArgument.
Result<StatisticsReport> StatisticsOf(Store* store, const Rules& rules, const Principal& principal,
                                      const std::string& purpose, const StatisticsPeriod& period,
                                      const std::string& now);

// The unit that had case `c` at `time` (ISO 8601): its unit history replayed.
std::string UnitAt(const Case& c, const std::string& time);

// The `q` quantile (0..1) of `values` by linear interpolation between closest ranks;
// -1 when there are none. Sorts `values`.
double Quantile(std::vector<double>& values, double q);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_STATISTICS_H_

// Statistics: what each unit has on its desk, in counts only.
//
// For the mail room and the units' leaders: how many cases wait for documentation (and
// from whom), how many can be decided (the backlog), how many are closed, and the open
// tasks by kind and age. Cases awaiting documentation are counted apart from the
// backlog on purpose: a unit is not slow because a doctor has not answered.
#ifndef POSTMOTTAK_PIPELINE_SERVICES_STATISTICS_H_
#define POSTMOTTAK_PIPELINE_SERVICES_STATISTICS_H_

#include <ctime>
#include <map>
#include <string>

#include "postmottak/reports.h"
#include "storage/principal.h"
#include "storage/status.h"

namespace postmottak {

class Store;

// Per unit, over every case and task in the store, as of `now`. Needs the `statistics`
// permission (a refusal is audited); the reading itself is audited as
// "read_statistics". Holds no person id, name or document content.
Result<std::map<std::string, UnitStatistics>> UnitStatisticsOf(Store* store,
                                                               const Principal& principal,
                                                               const std::string& purpose,
                                                               std::time_t now);

}  // namespace postmottak

#endif  // POSTMOTTAK_PIPELINE_SERVICES_STATISTICS_H_

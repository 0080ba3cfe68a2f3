#include "pipeline/services/statistics.h"

#include <set>

#include "storage/audit.h"
#include "storage/store.h"

namespace postmottak {

namespace {

std::time_t ParseUtc(const std::string& iso) {
  std::tm tm{};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return 0;
  return timegm(&tm);
}

const char* AgeBucket(double days) {
  return days < 7 ? "under_7_days" : days < 30 ? "7_to_30_days" : "over_30_days";
}

}  // namespace

Result<std::map<std::string, UnitStatistics>> UnitStatisticsOf(Store* store,
                                                               const Principal& principal,
                                                               const std::string& purpose,
                                                               std::time_t now) {
  PM_RETURN_IF_ERROR(
      RequireAudited(store, principal, Permission::kStatistics, "see unit statistics", purpose));
  auto tasks = store->List<Task>();
  if (!tasks.ok()) return tasks.status();
  auto cases = store->List<Case>();
  if (!cases.ok()) return cases.status();
  {
    // Counts only, no personal data; the reading of every case and task is still noted.
    Change change = store->BeginChange(principal, purpose);
    change.Log("read_statistics", "store", "counts per unit");
    PM_RETURN_IF_ERROR(change.Commit());
  }
  std::map<std::string, UnitStatistics> units;
  std::map<std::string, std::set<std::string>> waiting_on;  // case -> parties
  for (const auto& t : *tasks) {
    if (t.status != TaskStatus::kOpen) continue;
    const double days = static_cast<double>(now - ParseUtc(t.created_at)) / 86400.0;
    ++units[t.unit].open_tasks[ToString(t.kind)][AgeBucket(days)];
    if (t.kind == TaskKind::kMissingDocumentation) waiting_on[t.case_id].insert(t.awaited_from);
  }
  for (const auto& c : *cases) {
    UnitStatistics& u = units[c.unit];
    if (c.status == CaseStatus::kAwaitingDocumentation) {
      ++u.awaiting_documentation;
      for (const auto& party : waiting_on[c.id]) ++u.awaiting_from[party];
    } else if (c.status == CaseStatus::kReadyForDecision) {
      ++u.ready_for_decision;
    } else {
      ++u.closed;
    }
  }
  return units;
}

}  // namespace postmottak

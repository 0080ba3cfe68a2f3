#include "pipeline/services/statistics.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <set>

#include "pipeline/services/case_service.h"
#include "storage/audit.h"
#include "storage/store.h"

namespace postmottak {

namespace {

// A period is at most about three years: longer ones are several reports.
constexpr int kMaxPeriodDays = 1100;

std::time_t ParseUtc(const std::string& iso) {
  std::tm tm{};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return 0;
  return timegm(&tm);
}

const char* AgeBucket(double days) {
  return days < 7 ? "under_7_days" : days < 30 ? "7_to_30_days" : "over_30_days";
}

// The period as dates and as the first and last second it holds.
struct Period {
  std::string since, until, begin, end;
  bool Holds(const std::string& time) const { return time >= begin && time <= end; }
};

Result<Period> Resolve(const StatisticsPeriod& asked, const std::string& now) {
  Period p;
  p.until = asked.until.empty() ? now.substr(0, 10) : asked.until;
  if (!IsValidDate(p.until))
    return Status::InvalidArgument("--until '" + p.until + "' is not YYYY-MM-DD");
  p.since = asked.since.empty() ? AddDays(p.until + "T00:00:00Z", -27).substr(0, 10) : asked.since;
  if (!IsValidDate(p.since))
    return Status::InvalidArgument("--since '" + p.since + "' is not YYYY-MM-DD");
  p.begin = p.since + "T00:00:00Z";
  p.end = p.until + "T23:59:59Z";
  if (p.since > p.until)
    return Status::InvalidArgument("the period " + p.since + " to " + p.until +
                                   " ends before it starts");
  if (ParseUtc(p.end) - ParseUtc(p.begin) > kMaxPeriodDays * 86400L)
    return Status::InvalidArgument("a period may span " + std::to_string(kMaxPeriodDays) +
                                   " days at most; ask for several");
  return p;
}

// Each unit's desk now: cases by state, open tasks by kind and age.
std::map<std::string, UnitStatistics> Desks(const std::vector<Case>& cases,
                                            const std::vector<Task>& tasks,
                                            const std::string& now) {
  std::map<std::string, UnitStatistics> units;
  std::map<std::string, std::set<std::string>> waiting_on;  // case -> parties
  const std::time_t now_t = ParseUtc(now);
  for (const auto& t : tasks) {
    if (t.status != TaskStatus::kOpen) continue;
    const double days = static_cast<double>(now_t - ParseUtc(t.created_at)) / 86400.0;
    ++units[t.unit].open_tasks[ToString(t.kind)][AgeBucket(days)];
    if (t.kind == TaskKind::kMissingDocumentation) waiting_on[t.case_id].insert(t.awaited_from);
  }
  for (const auto& c : cases) {
    UnitStatistics& u = units[c.unit];
    if (c.status == CaseStatus::kAwaitingDocumentation) {
      ++u.awaiting_documentation;
      for (const auto& party : waiting_on[c.id]) ++u.awaiting_from[party];
    } else if (c.status == CaseStatus::kReadyForDecision) {
      ++u.ready_for_decision;
    } else {
      ++u.closed;
    }
    u.overdue += IsOverdue(c, now);
  }
  return units;
}

// Counts the period's flow into rows by unit and area.
class FlowCounter {
 public:
  FlowCounter(const Rules& rules, const Period& period) : rules_(rules), period_(period) {}

  void CountDocument(const Document& d, const std::map<std::string, const Case*>& cases) {
    for (const std::string* id : CasesOf(d)) {
      std::string& first = first_document_[*id];
      if (first.empty() || d.received_at < first) first = d.received_at;
    }
    if (!period_.Holds(d.received_at)) return;
    auto it = cases.find(d.case_id);
    FlowStatistics& r = it == cases.end()
                            ? Row(rules_.intake_unit(), "")
                            : Row(UnitAt(*it->second, d.received_at), it->second->area);
    ++r.received;
    ++r.received_per_day[d.received_at.substr(0, 10)];
  }

  // Which parties each case waited for at the end of the period.
  void CountWaiting(const std::vector<Task>& tasks) {
    for (const auto& t : tasks)
      if (t.kind == TaskKind::kMissingDocumentation && !t.created_at.empty() &&
          t.created_at <= period_.end && (t.closed_at.empty() || t.closed_at > period_.end))
        waiting_[t.case_id].insert(t.awaited_from.empty() ? "citizen" : t.awaited_from);
  }

  void CountCase(const Case& c) {
    if (c.created_at > period_.end) return;
    FlowStatistics& r = Row(UnitAt(c, period_.end), c.area);
    if (!c.closed_at.empty() && c.closed_at <= period_.end) {
      r.closed += c.closed_at >= period_.begin;
    } else {
      if (ReadyAtEnd(c)) {
        ++r.ready_for_decision;
      } else {
        ++r.awaiting_documentation;
        for (const auto& party : waiting_[c.id]) ++r.awaiting_from[party];
      }
      r.overdue += !c.due.empty() && c.due < period_.until;
    }
    if (!period_.Holds(c.ready_at)) return;
    FlowStatistics& at_ready = Row(UnitAt(c, c.ready_at), c.area);
    ++at_ready.became_ready;
    const std::string& first = first_document_[c.id];
    if (!first.empty() && first <= c.ready_at)
      days_to_ready_[{at_ready.unit, at_ready.area}].push_back(
          static_cast<double>(ParseUtc(c.ready_at) - ParseUtc(first)) / 86400.0);
  }

  std::vector<FlowStatistics> Rows() {
    std::vector<FlowStatistics> out;
    for (auto& [key, r] : rows_) {
      auto& days = days_to_ready_[key];
      r.median_days_to_ready = Quantile(days, 0.5);
      r.p90_days_to_ready = Quantile(days, 0.9);
      out.push_back(r);
    }
    return out;
  }

 private:
  FlowStatistics& Row(const std::string& unit, const std::string& area) {
    FlowStatistics& r = rows_[{unit, area}];
    r.unit = unit;
    r.area = area;
    return r;
  }
  static std::vector<const std::string*> CasesOf(const Document& d) {
    std::vector<const std::string*> out;
    if (!d.case_id.empty()) out.push_back(&d.case_id);
    for (const auto& also : d.also_cases) out.push_back(&also);
    return out;
  }
  // Ready for decision at the end of the period. A case that went back to awaiting
  // documentation later is counted as awaiting: when it went back is not kept. A case
  // from before ready times were kept (no ready_at) counts by its state now.
  bool ReadyAtEnd(const Case& c) const {
    if (c.ready_at.empty()) return c.status == CaseStatus::kReadyForDecision;
    return c.ready_at <= period_.end && c.status != CaseStatus::kAwaitingDocumentation;
  }

  const Rules& rules_;
  const Period& period_;
  std::map<std::pair<std::string, std::string>, FlowStatistics> rows_;
  std::map<std::pair<std::string, std::string>, std::vector<double>> days_to_ready_;
  std::map<std::string, std::string> first_document_;  // case -> earliest received_at
  std::map<std::string, std::set<std::string>> waiting_;
};

}  // namespace

std::string UnitAt(const Case& c, const std::string& time) {
  if (c.handovers.empty()) return c.unit;
  std::string unit = c.handovers.front().from;
  for (const auto& h : c.handovers)
    if (h.at <= time) unit = h.to;
  return unit;
}

double Quantile(std::vector<double>& values, double q) {
  if (values.empty()) return -1;
  std::sort(values.begin(), values.end());
  const double rank = q * static_cast<double>(values.size() - 1);
  const size_t low = static_cast<size_t>(std::floor(rank));
  const size_t high = std::min(low + 1, values.size() - 1);
  return values[low] + (rank - static_cast<double>(low)) * (values[high] - values[low]);
}

Result<StatisticsReport> StatisticsOf(Store* store, const Rules& rules, const Principal& principal,
                                      const std::string& purpose, const StatisticsPeriod& asked,
                                      const std::string& now) {
  PM_RETURN_IF_ERROR(
      RequireAudited(store, principal, Permission::kStatistics, "see unit statistics", purpose));
  auto period = Resolve(asked, now);
  if (!period.ok()) return period.status();
  auto tasks = store->List<Task>();
  if (!tasks.ok()) return tasks.status();
  auto cases = store->List<Case>();
  if (!cases.ok()) return cases.status();
  {
    // Counts only, no personal data; the reading of every case and task is still noted.
    Change change = store->BeginChange(principal, purpose);
    change.Log("read_statistics", "store",
               "counts per unit and area, " + period->since + " to " + period->until);
    PM_RETURN_IF_ERROR(change.Commit());
  }
  StatisticsReport report;
  report.since = period->since;
  report.until = period->until;
  report.units = Desks(*cases, *tasks, now);
  std::map<std::string, const Case*> by_id;
  for (const auto& c : *cases) by_id[c.id] = &c;
  FlowCounter flow(rules, *period);
  // One document at a time: only its dates and cases are counted, never its text.
  PM_RETURN_IF_ERROR(store->Each<Document>([&](Document d) {
    flow.CountDocument(d, by_id);
    return true;
  }));
  flow.CountWaiting(*tasks);
  for (const auto& c : *cases) flow.CountCase(c);
  report.flow = flow.Rows();
  return report;
}

}  // namespace postmottak

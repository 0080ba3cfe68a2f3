#include "cli/statistics.h"

#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/json_views.h"

namespace postmottak {

namespace {

using nlohmann::json;

const char* const kParties[] = {"citizen", "employer", "doctor"};

std::string Days(double d) {
  if (d < 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", d);
  return buf;
}

int Count(const std::map<std::string, int>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

// One row per unit and area, or with `daily` one per day, unit and area.
void PrintCsv(const StatisticsReport& r, bool daily) {
  if (daily) {
    std::cout << "date,unit,area,documents_received\n";
    std::map<std::string, std::vector<std::pair<const FlowStatistics*, int>>> by_day;
    for (const auto& row : r.flow)
      for (const auto& [day, n] : row.received_per_day) by_day[day].push_back({&row, n});
    for (const auto& [day, rows] : by_day)
      for (const auto& [row, n] : rows)
        std::cout << day << "," << row->unit << "," << row->area << "," << n << "\n";
    return;
  }
  std::cout << "since,until,unit,area,documents_received,ready_for_decision,"
               "awaiting_documentation,awaiting_citizen,awaiting_employer,awaiting_doctor,"
               "overdue,became_ready,median_days_to_ready,p90_days_to_ready,closed\n";
  for (const auto& row : r.flow) {
    std::cout << r.since << "," << r.until << "," << row.unit << "," << row.area << ","
              << row.received << "," << row.ready_for_decision << "," << row.awaiting_documentation;
    for (const char* party : kParties) std::cout << "," << Count(row.awaiting_from, party);
    std::cout << "," << row.overdue << "," << row.became_ready << ","
              << (row.median_days_to_ready < 0 ? "" : Days(row.median_days_to_ready)) << ","
              << (row.p90_days_to_ready < 0 ? "" : Days(row.p90_days_to_ready)) << "," << row.closed
              << "\n";
  }
}

// Whole days in the period, both ends included.
double PeriodDays(const StatisticsReport& r) {
  std::tm a{}, b{};
  strptime(r.since.c_str(), "%Y-%m-%d", &a);
  strptime(r.until.c_str(), "%Y-%m-%d", &b);
  return static_cast<double>(timegm(&b) - timegm(&a)) / 86400.0 + 1;
}

void PrintFlow(const StatisticsReport& r) {
  const double days = PeriodDays(r);
  std::cout << "From " << r.since << " to " << r.until
            << ", per unit and benefit area (each case with the unit that had it then).\n"
               "Backlog counts only cases that can be decided; cases awaiting documentation are\n"
               "apart, by whom they wait for (citizen/employer/doctor). Days to ready: from a\n"
               "case's first document to ready for decision, for cases that became ready.\n\n"
            << Padded("Unit", 6) << Padded("Area", 6) << Padded("Received", 10)
            << Padded("Per day", 9) << Padded("Backlog", 9) << Padded("Awaiting (c/e/d)", 18)
            << Padded("Overdue", 9) << Padded("Ready", 7) << Padded("Median d", 10)
            << Padded("P90 d", 8) << "Closed\n";
  for (const auto& row : r.flow) {
    std::string awaiting = std::to_string(row.awaiting_documentation) + " (";
    for (const char* party : kParties)
      awaiting += std::to_string(Count(row.awaiting_from, party)) + (party[1] == 'o' ? ")" : "/");
    std::cout << Padded(row.unit, 6) << Padded(row.area.empty() ? "-" : row.area, 6)
              << Padded(std::to_string(row.received), 10) << Padded(Days(row.received / days), 9)
              << Padded(std::to_string(row.ready_for_decision), 9) << Padded(awaiting, 18)
              << Padded(std::to_string(row.overdue), 9)
              << Padded(std::to_string(row.became_ready), 7)
              << Padded(Days(row.median_days_to_ready), 10)
              << Padded(Days(row.p90_days_to_ready), 8) << row.closed << "\n";
  }
}

void PrintDesks(const StatisticsReport& r) {
  std::cout << "\nEach unit's desk now: open tasks by kind and age.\n";
  for (const auto& [unit, u] : r.units) {
    std::cout << "\nUnit " << unit << "  backlog " << u.ready_for_decision << ", awaiting "
              << u.awaiting_documentation << ", overdue " << u.overdue << "\n";
    for (const auto& [kind, buckets] : u.open_tasks) {
      int total = 0;
      for (const auto& [b, n] : buckets) total += n;
      std::cout << "  Open " << Padded(kind + ":", 24) << total << "  (";
      bool first = true;
      for (const auto& [b, n] : buckets) {
        std::cout << (first ? "" : ", ") << b << " " << n;
        first = false;
      }
      std::cout << ")\n";
    }
  }
}

int StatsCommand(Context& ctx, const StatisticsPeriod& period, bool csv, bool daily) {
  auto stats = ctx.s().Statistics(period);
  if (!stats.ok()) return Fail(stats.status());
  if (csv) {
    PrintCsv(*stats, daily);
  } else if (ctx.g.json) {
    std::cout << StatisticsJson(*stats).dump(2) << "\n";
  } else {
    PrintFlow(*stats);
    PrintDesks(*stats);
  }
  return 0;
}

}  // namespace

void AddStatisticsCommand(CLI::App& app, Context& ctx, const Runner& run) {
  struct Options {
    StatisticsPeriod period;
    bool csv = false, daily = false;
  };
  auto o = std::make_shared<Options>();
  auto* stats = app.add_subcommand(
      "stats",
      "per unit and area over a period: received, backlog, awaiting, overdue, days to "
      "ready; and each unit's open tasks by age");
  stats->add_option("--since", o->period.since, "first day, YYYY-MM-DD (default: four weeks back)");
  stats->add_option("--until", o->period.until, "last day, YYYY-MM-DD (default: today)");
  stats->add_flag("--csv", o->csv, "one CSV row per unit and area, for a spreadsheet");
  stats->add_flag("--daily", o->daily, "with --csv: documents received per day, unit and area");
  stats->callback(run([&ctx, o] {
    if (o->daily && !o->csv) return Fail(Status::InvalidArgument("--daily goes with --csv"));
    return StatsCommand(ctx, o->period, o->csv, o->daily);
  }));
}

}  // namespace postmottak
